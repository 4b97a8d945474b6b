import { Worker, type Job } from 'bullmq';
import { assertReachable, DEFAULT_QUEUE_NAME, parseQueueUrl } from './connection.js';

export interface JobContext {
  id: string;
  /** 0 on the first attempt. */
  attempt: number;
  /** No attempt follows this one: a result, even an infrastructure error, must be returned now. */
  last: boolean;
  progress(data: object): void;
}

export interface WorkerOptions {
  name?: string;
  concurrency: number;
  /** This worker's name, shown by `queue status` and in each job (BullMQ's processedBy). */
  workerName: string;
  /**
   * How long a job's lock lasts without renewal, and how often stalled jobs are looked for:
   * a killed worker's job is taken over by another after about this long.
   */
  stalledMs?: number;
  onError?: (err: Error) => void;
}

export interface RunningWorker {
  /** Stops taking jobs; finishes (or, with force, abandons) those in hand. */
  close(force?: boolean): Promise<void>;
}

/**
 * A worker: takes jobs from the queue, `concurrency` at a time, and runs `process` on each.
 * A throw fails the attempt; BullMQ retries it (on any worker) while attempts remain.
 */
export async function startJobWorker<D, R>(url: string, opts: WorkerOptions, process: (data: D, ctx: JobContext) => Promise<R>): Promise<RunningWorker> {
  const address = parseQueueUrl(url);
  await assertReachable(address, opts.name ?? DEFAULT_QUEUE_NAME);
  const stalledMs = opts.stalledMs ?? 30_000;
  const worker = new Worker<D, R>(
    opts.name ?? DEFAULT_QUEUE_NAME,
    async (job: Job<D, R>) => {
      const attempts = job.opts.attempts ?? 1;
      const ctx: JobContext = {
        id: job.id ?? '',
        attempt: job.attemptsMade,
        last: job.attemptsMade + 1 >= attempts,
        progress: (data) => void job.updateProgress(data).catch(() => undefined),
      };
      return process(job.data, ctx);
    },
    {
      connection: address.connection,
      concurrency: opts.concurrency,
      name: opts.workerName,
      lockDuration: stalledMs,
      stalledInterval: stalledMs,
      // A job whose worker died twice is still worth a third try: machines get lost.
      maxStalledCount: 3,
    },
  );
  worker.on('error', (err) => opts.onError?.(err));
  await worker.waitUntilReady();
  return { close: (force) => worker.close(force) };
}
