import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getAgent } from '../agent/agents.js';
import type { EpisodeResult } from '../agent/episode.js';
import type { HarnessConfig } from '../config/harness-config.js';
import { SpecRegistry } from '../config/spec-registry.js';
import { HarnessError } from '../errors.js';
import { makeImageBuilder } from '../images/instance-images.js';
import { startJobWorker, type JobContext, type RunningWorker } from '../queue/job-worker.js';
import type { InstanceResult } from '../report/instance-result.js';
import { cleanupByLabel, madeByDeadProcess, removeOrphanGradingContainers } from '../runtime/cleanup.js';
import { LABELS } from '../runtime/labels.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { isSafeName, pathInside } from '../util/safe-path.js';
import { evaluateOne, modelDirName } from './evaluate-batch.js';
import { readFiles, type EpisodeJob, type EpisodeJobResult, type EvaluationJob, type EvaluationJobResult, type QueueJob, type QueueJobResult } from './queue-jobs.js';
import { toolsFromConfig } from '../tools/toolset.js';
import { shutdownSignal } from '../util/shutdown.js';

export interface WorkerRequest {
  url: string;
  name?: string;
  concurrency: number;
  /** A killed worker's job is taken over after about this long (BullMQ's lock and stall check). */
  stalledMs?: number;
  onJobDone?: (jobId: string, result: InstanceResult, info: { reused: boolean; attempt: number }) => void;
  onEpisodeDone?: (jobId: string, episode: EpisodeResult) => void;
  onNotice?: (message: string) => void;
}

/**
 * A worker on this host's container engine: grading containers that a dead process left
 * here (a worker killed mid-job, whose job another worker took over) are removed first, then
 * jobs are graded through the same code as a local run, so a verdict is the same anywhere.
 */
export async function startWorker(req: WorkerRequest): Promise<RunningWorker> {
  const left = await cleanupByLabel({ keep: (labels) => labels[LABELS.kind] !== 'grading' || !madeByDeadProcess(labels) });
  if (left.containers > 0) req.onNotice?.(`removed ${left.containers} grading container(s) left by a dead process`);
  const workerName = `${os.hostname()}:${process.pid}`;
  return startJobWorker<QueueJob, QueueJobResult>(
    req.url,
    { name: req.name, concurrency: req.concurrency, workerName, stalledMs: req.stalledMs, onError: (err) => req.onNotice?.(`queue: ${err.message}`) },
    async (job, ctx) => {
      const done = await runJob(job, ctx, workerName);
      if ('result' in done) req.onJobDone?.(ctx.id, done.result, { reused: done.reused, attempt: ctx.attempt });
      else req.onEpisodeDone?.(ctx.id, done.episode);
      return done;
    },
  );
}

/** One job in a scratch run folder of its own; the result goes back with the folder's files. */
async function runJob(job: QueueJob, ctx: JobContext, worker: string): Promise<QueueJobResult> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'swe-harness-job-'));
  try {
    const config = { ...job.config, run: { ...job.config.run, root: scratch } };
    if (job.kind === 'evaluate') return await evaluateJob(job, config, ctx, worker);
    if (job.kind === 'episode') return await playEpisode(job, config, ctx, worker);
    throw new HarnessError('USAGE', `this worker does not know jobs of kind ${String((job as { kind: unknown }).kind)}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function evaluateJob(job: EvaluationJob, config: HarnessConfig, ctx: JobContext, worker: string): Promise<EvaluationJobResult> {
  const id = job.instance.instance_id;
  const runDir = pathInside(config.run.root, job.runId);
  const outDir = pathInside(runDir, modelDirName(job.prediction.model_name_or_path), id);
  if (job.previous) writeJsonAtomic(path.join(outDir, 'report.json'), job.previous);
  const specs = SpecRegistry.withLoaded(config, job.spec ? [job.spec] : []);
  const builder = makeImageBuilder(config, specs, [job.instance]);
  // This instance's grading containers of a dead process: the worker killed on this job before.
  await removeOrphanGradingContainers(job.runId, id);
  const { result, reused } = await evaluateOne(job.instance, job.prediction, {
    config,
    runId: job.runId,
    instances: [job.instance],
    predictions: new Map([[id, job.prediction]]),
    concurrency: 1,
    force: job.force,
    runDir,
    specs,
    builder,
    reporter: { onInstanceStart: (_id, phase) => ctx.progress({ phase }) },
  });
  // The engine stayed away through the local retries: let another attempt (maybe another host) try.
  if (!reused && result.error?.code === 'INFRA' && !ctx.last) throw new HarnessError('INFRA', `${id}: ${result.error.message} (on ${worker})`);
  return { result, reused, files: reused ? {} : readFiles(outDir), workerDir: outDir, worker };
}

/**
 * The replay agent's folder on this worker: the trajectory the job carries, laid out as
 * --replay-from expects it in the job's scratch run root (the coordinator's path means nothing here).
 */
function replayFolder(job: EpisodeJob, config: HarnessConfig): string | undefined {
  if (!job.choice.replayFrom) return undefined;
  const dir = pathInside(config.run.root, 'replay-from');
  if (job.replayTrajectory !== undefined) {
    const file = pathInside(dir, job.instance.instance_id, String(job.sample), 'trajectory.jsonl');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, job.replayTrajectory);
  }
  return dir;
}

/** An agent episode, resumed from the files it had (a finished one is returned as it was). */
async function playEpisode(job: EpisodeJob, config: HarnessConfig, ctx: JobContext, worker: string): Promise<EpisodeJobResult> {
  const outDir = pathInside(config.run.root, job.runId, 'agent', job.instance.instance_id, String(job.sample));
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(job.previous)) if (isSafeName(name)) writeFileSync(path.join(outDir, name), text);
  ctx.progress({ phase: 'image' });
  const common = { config, instance: job.instance, runId: job.runId, sample: job.sample, outDir, agentName: job.choice.agent, tools: toolsFromConfig(job.agentConfig.config.tools), limits: job.limits, agentConfig: job.agentConfig, spec: job.spec, signal: shutdownSignal };
  const episode = await getAgent(job.choice.agent).play(common, { ...job.choice, replayFrom: replayFolder(job, config) });
  return { episode, files: readFiles(outDir), workerDir: outDir, worker };
}
