import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpecRegistry } from '../config/spec-registry.js';
import { HarnessError } from '../errors.js';
import { makeImageBuilder } from '../images/instance-images.js';
import { startJobWorker, type JobContext, type RunningWorker } from '../queue/job-worker.js';
import type { InstanceResult } from '../report/instance-result.js';
import { cleanupByLabel, madeByDeadProcess, removeOrphanGradingContainers } from '../runtime/cleanup.js';
import { LABELS } from '../runtime/labels.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { processIdentity } from '../util/owner.js';
import { pathInside } from '../util/safe-path.js';
import { evaluateOne, modelDirName } from './evaluate-batch.js';
import type { EvaluationJob, EvaluationJobResult } from './queue-jobs.js';

export interface WorkerRequest {
  url: string;
  name?: string;
  concurrency: number;
  /** A killed worker's job is taken over after about this long (BullMQ's lock and stall check). */
  stalledMs?: number;
  onJobDone?: (jobId: string, result: InstanceResult, info: { reused: boolean; attempt: number }) => void;
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
  return startJobWorker<EvaluationJob, EvaluationJobResult>(
    req.url,
    { name: req.name, concurrency: req.concurrency, workerName, stalledMs: req.stalledMs, onError: (err) => req.onNotice?.(`queue: ${err.message}`) },
    async (job, ctx) => {
      const done = await evaluateJob(job, ctx, workerName);
      req.onJobDone?.(ctx.id, done.result, { reused: done.reused, attempt: ctx.attempt });
      return done;
    },
  );
}

/** Grades one job in a scratch run folder of its own, and returns the result with the folder's files. */
async function evaluateJob(job: EvaluationJob, ctx: JobContext, worker: string): Promise<EvaluationJobResult> {
  if (job.kind !== 'evaluate') throw new HarnessError('USAGE', `this worker does not know jobs of kind ${String(job.kind)}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'swe-harness-job-'));
  try {
    const config = { ...job.config, run: { ...job.config.run, root: scratch } };
    const id = job.instance.instance_id;
    const runDir = pathInside(scratch, job.runId);
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
    return { result, reused, files: reused ? {} : readFolder(outDir), workerDir: outDir, worker: `${worker} ${processIdentity()}` };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function readFolder(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) files[name] = readFileSync(file, 'utf8');
  }
  return files;
}
