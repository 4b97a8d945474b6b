import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SpecRegistry } from '../config/spec-registry.js';
import { HarnessError } from '../errors.js';
import { errorVerdict } from '../evaluation/grade-prediction.js';
import type { Instance } from '../instance/instance-schema.js';
import type { Prediction } from '../instance/predictions.js';
import { toReportJson, type InstanceResult } from '../report/instance-result.js';
import { JobQueue, type JobOutcome, type JobTimes } from '../queue/job-queue.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { isSafeName, pathInside } from '../util/safe-path.js';
import type { Reporter } from '../report/reporter.js';
import { runAgents, type AgentRunOutcome, type AgentRunRequest, type RemoteAgentRun } from './agent-run.js';
import { modelDirName, runEvaluation, type EvaluationOutcome, type EvaluationRequest, type RemoteEvaluator } from './evaluate-batch.js';
import {
  EVALUATION_ATTEMPTS,
  EVALUATION_BACKOFF_MS,
  episodeJobId,
  evaluationJobId,
  type EpisodeJob,
  type EpisodeJobResult,
  type EvaluationJob,
  type EvaluationJobResult,
  type QueueJob,
  type QueueJobResult,
  readFiles,
} from './queue-jobs.js';

export interface QueueTarget {
  url: string;
  /** The queue's name: workers of one name take its jobs (routing by name, see the README). */
  name?: string;
  /** Each job's times once its result is written (the queue benchmark reads them). */
  onJobTimes?: (jobId: string, times: JobTimes & { writtenAt: number }) => void;
}

const JOB_OPTIONS = { attempts: EVALUATION_ATTEMPTS, backoffMs: EVALUATION_BACKOFF_MS };

/**
 * Evaluates through a queue: one job per instance, graded by whichever worker takes it, the
 * results and their files written here into the same run folder, reports and summary as a
 * local run. A coordinator stopped and started again with the same run id attaches to the
 * jobs it enqueued before (same ids) and collects them.
 */
export async function runEvaluationOnQueue(req: EvaluationRequest, target: QueueTarget): Promise<EvaluationOutcome> {
  return withRunQueue(target, req.runId, req.reporter, (queue) => runEvaluation({ ...req, remote: remoteEvaluator(queue, req, target) }));
}

/** An agent run through a queue: each episode (instance and sample) a job, then each grading one. */
export async function runAgentsOnQueue(req: AgentRunRequest, target: QueueTarget): Promise<AgentRunOutcome> {
  // One reading of each repo's spec for the run: the episodes' sessions and their grading use the same.
  const specs = SpecRegistry.forConfig(req.config);
  return withRunQueue(target, req.runId, req.reporter, (queue) =>
    runAgents({ ...req, remote: { episode: remoteEpisode(queue, req, target, specs), evaluate: remoteEvaluator(queue, { ...req, force: false }, target, specs) } }),
  );
}

/** The run's queue, and which instance each job is, so progress events name instances. */
interface RunQueue {
  jobs: JobQueue<QueueJob, QueueJobResult>;
  instanceOf: Map<string, string>;
}

async function withRunQueue<T>(target: QueueTarget, runId: string, reporter: Reporter | undefined, body: (queue: RunQueue) => Promise<T>): Promise<T> {
  const instanceOf = new Map<string, string>();
  const jobs = await JobQueue.open<QueueJob, QueueJobResult>(target.url, {
    name: target.name,
    onProgress: (jobId, progress) => {
      const id = instanceOf.get(jobId);
      const phase = (progress as { phase?: string }).phase;
      if (id && (phase === 'image' || phase === 'pull' || phase === 'grading')) reporter?.onInstanceStart?.(id, phase);
    },
  });
  try {
    const outcome = await body({ jobs, instanceOf });
    // Every result is written: a job of this run still in Redis is a stray copy (one collected
    // before a coordinator restart and queued again, say). Redis keeps only work not yet collected.
    const stray = await jobs.forgetUnawaited(`${runId}/`);
    if (stray.length > 0) reporter?.onNotice?.(`removed ${stray.length} job(s) of run ${runId} left in the queue after their results were written: ${stray.join(', ')}`);
    return outcome;
  } finally {
    await jobs.close();
  }
}

/** Runs one job to its end, then forgets it: Redis keeps only work not yet written here. */
async function runJob<R extends QueueJobResult>(queue: RunQueue, jobId: string, instanceId: string, job: QueueJob): Promise<JobOutcome<R>> {
  queue.instanceOf.set(jobId, instanceId);
  return (await queue.jobs.run(jobId, job, JOB_OPTIONS)) as JobOutcome<R>;
}

async function finishJob(queue: RunQueue, target: QueueTarget, jobId: string, times: JobTimes): Promise<void> {
  target.onJobTimes?.(jobId, { ...times, writtenAt: Date.now() });
  await queue.jobs.forget(jobId);
}

function remoteEvaluator(queue: RunQueue, req: Pick<EvaluationRequest, 'config' | 'runId' | 'force'>, target: QueueTarget, specs = SpecRegistry.forConfig(req.config)): RemoteEvaluator {
  const runDir = pathInside(req.config.run.root, req.runId);
  const force = req.force === true;
  return async (instance, prediction) => {
    const jobId = evaluationJobId(req.runId, prediction);
    const outDir = pathInside(runDir, modelDirName(prediction.model_name_or_path), instance.instance_id);
    const job: EvaluationJob = { kind: 'evaluate', runId: req.runId, config: req.config, instance, spec: specs.loaded(instance.repo), prediction, previous: previousReport(outDir, force), force };
    const outcome = await runJob<EvaluationJobResult>(queue, jobId, instance.instance_id, job);
    const collected = collect(outcome, instance, prediction, outDir);
    await finishJob(queue, target, jobId, outcome.times);
    return collected;
  };
}

function remoteEpisode(queue: RunQueue, req: AgentRunRequest, target: QueueTarget, specs: SpecRegistry): RemoteAgentRun['episode'] {
  return async ({ instance, sample, outDir, agentConfig }) => {
    const jobId = episodeJobId(req.runId, instance.instance_id, sample);
    const job: EpisodeJob = {
      kind: 'episode',
      runId: req.runId,
      config: req.config,
      instance,
      sample,
      choice: req.choice,
      limits: req.limits,
      agentConfig,
      previous: readFiles(outDir),
      spec: specs.loaded(instance.repo),
      replayTrajectory: req.choice.replayFrom ? readReplayed(req.choice.replayFrom, instance.instance_id, sample) : undefined,
    };
    const outcome = await runJob<EpisodeJobResult>(queue, jobId, instance.instance_id, job);
    if (outcome.state === 'failed') {
      await finishJob(queue, target, jobId, outcome.times);
      throw new HarnessError('QUEUE_JOB_FAILED', `the episode's queue job failed after ${outcome.times.attempts} attempt(s): ${outcome.reason}`, { instanceId: instance.instance_id });
    }
    writeFiles(outDir, outcome.value.files, outcome.value.workerDir);
    await finishJob(queue, target, jobId, outcome.times);
    return outcome.value.episode;
  };
}

/** The trajectory the replay agent plays for this instance and sample; none when there is none (the worker says so). */
function readReplayed(replayFrom: string, instanceId: string, sample: number): string | undefined {
  const file = pathInside(replayFrom, instanceId, String(sample), 'trajectory.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function previousReport(outDir: string, force: boolean): Record<string, InstanceResult> | undefined {
  const file = path.join(outDir, 'report.json');
  if (force || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, InstanceResult>;
  } catch {
    return undefined; // unreadable: the worker redoes it
  }
}

/** Writes a finished job's files and report into the run folder, as a local run would have. */
function collect(outcome: JobOutcome<EvaluationJobResult>, instance: Instance, prediction: Prediction, outDir: string): { result: InstanceResult; reused: boolean } {
  if (outcome.state === 'failed') {
    const result = failedJobResult(instance, prediction, outcome.reason, outcome.times.attempts);
    writeJsonAtomic(path.join(outDir, 'report.json'), toReportJson(result));
    return { result, reused: false };
  }
  const done = outcome.value;
  if (done.reused) return { result: done.result, reused: true };
  // Paths the worker wrote into the result (a log path) name the same files here.
  const result = JSON.parse(JSON.stringify(done.result).replaceAll(JSON.stringify(done.workerDir).slice(1, -1), JSON.stringify(outDir).slice(1, -1))) as InstanceResult;
  writeFiles(outDir, done.files);
  writeJsonAtomic(path.join(outDir, 'report.json'), toReportJson(result));
  return { result, reused: false };
}

/** A job that failed on every attempt (a worker bug, or workers that kept dying): an error, not a verdict. */
function failedJobResult(instance: Instance, prediction: Prediction, reason: string, attempts: number): InstanceResult {
  const error = new HarnessError('QUEUE_JOB_FAILED', `the queue job failed after ${attempts} attempt(s): ${reason}`, { instanceId: instance.instance_id });
  return {
    instance_id: instance.instance_id,
    model_name_or_path: prediction.model_name_or_path,
    patch_is_None: prediction.model_patch === null,
    patch_exists: (prediction.model_patch ?? '').trim() !== '',
    ...errorVerdict(error),
    timings: {},
    finished_at: new Date().toISOString(),
  };
}

/**
 * Writes a job's files into the run folder. The harness log keeps every attempt's lines, as a
 * local rerun appends to it; report.json is the caller's, written last.
 */
function writeFiles(outDir: string, files: Record<string, string>, workerDir?: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    if (!isSafeName(name) || name === 'report.json') continue;
    const file = path.join(outDir, name);
    const here = workerDir ? text.replaceAll(workerDir, outDir) : text;
    if (name === 'harness.log') appendFileSync(file, here);
    else writeFileSync(file, here);
  }
}
