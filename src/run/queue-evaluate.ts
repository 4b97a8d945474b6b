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
import { modelDirName, runEvaluation, type EvaluationOutcome, type EvaluationRequest } from './evaluate-batch.js';
import { EVALUATION_ATTEMPTS, EVALUATION_BACKOFF_MS, evaluationJobId, type EvaluationJob, type EvaluationJobResult } from './queue-jobs.js';

export interface QueueTarget {
  url: string;
  /** The queue's name: workers of one name take its jobs (routing by name, see the README). */
  name?: string;
  /** Each job's times once its result is written (the queue benchmark reads them). */
  onJobTimes?: (jobId: string, times: JobTimes & { writtenAt: number }) => void;
}

/**
 * Evaluates through a queue: one job per instance, graded by whichever worker takes it, the
 * results and their files written here into the same run folder, reports and summary as a
 * local run. A coordinator stopped and started again with the same run id attaches to the
 * jobs it enqueued before (same ids) and collects them.
 */
export async function runEvaluationOnQueue(req: EvaluationRequest, target: QueueTarget): Promise<EvaluationOutcome> {
  const instanceOfJob = new Map<string, string>();
  const queue = await JobQueue.open<EvaluationJob, EvaluationJobResult>(target.url, {
    name: target.name,
    onProgress: (jobId, progress) => {
      const id = instanceOfJob.get(jobId);
      const phase = (progress as { phase?: string }).phase;
      if (id && (phase === 'image' || phase === 'pull' || phase === 'grading')) req.reporter?.onInstanceStart?.(id, phase);
    },
  });
  const specs = SpecRegistry.forConfig(req.config);
  const runDir = pathInside(req.config.run.root, req.runId);
  try {
    return await runEvaluation({
      ...req,
      remote: async (instance, prediction) => {
        const jobId = evaluationJobId(req.runId, prediction);
        instanceOfJob.set(jobId, instance.instance_id);
        const outDir = pathInside(runDir, modelDirName(prediction.model_name_or_path), instance.instance_id);
        const job: EvaluationJob = { kind: 'evaluate', runId: req.runId, config: req.config, instance, spec: specs.loaded(instance.repo), prediction, previous: previousReport(outDir, req.force === true), force: req.force === true };
        const outcome = await queue.run(jobId, job, { attempts: EVALUATION_ATTEMPTS, backoffMs: EVALUATION_BACKOFF_MS });
        const collected = collect(outcome, instance, prediction, outDir);
        target.onJobTimes?.(jobId, { ...outcome.times, writtenAt: Date.now() });
        await queue.forget(jobId);
        return collected;
      },
    });
  } finally {
    await queue.close();
  }
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
  mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(done.files)) {
    if (!isSafeName(name) || name === 'report.json') continue;
    const file = path.join(outDir, name);
    // The harness log keeps every attempt's lines, as a local rerun appends to it.
    if (name === 'harness.log') appendFileSync(file, text);
    else writeFileSync(file, text);
  }
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
