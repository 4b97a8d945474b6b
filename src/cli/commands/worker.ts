import os from 'node:os';
import { HarnessError } from '../../errors.js';
import { isEvaluationError } from '../../report/summary.js';
import { containerRuntime } from '../../runtime/registry.js';
import { startWorker } from '../../run/queue-worker.js';
import { beginShutdown, shutdownSignal } from '../../util/shutdown.js';
import { numberFlag } from '../number-flags.js';

export interface WorkerOptions {
  queue?: string;
  queueName?: string;
  maxWorkers?: string;
  dockerHost?: string;
  stalledMs?: string;
}

/**
 * `swe-harness worker --queue URL [-j N] [--docker-host URL]`: grades the queue's jobs on this
 * host's engine until stopped (Ctrl-C or SIGTERM). Jobs in hand when it stops are taken over
 * by another worker after the stall interval.
 */
export async function workerCommand(values: WorkerOptions): Promise<number> {
  if (!values.queue) throw new HarnessError('USAGE', '--queue is required: redis://HOST:PORT');
  // Before any container client is made: it reads DOCKER_HOST once.
  if (values.dockerHost) process.env.DOCKER_HOST = values.dockerHost;
  const concurrency = numberFlag(values.maxWorkers, '--max-workers', { whole: true, min: 1 }) ?? os.availableParallelism();
  await containerRuntime().assertAvailable();
  const worker = await startWorker({
    url: values.queue,
    name: values.queueName,
    concurrency,
    stalledMs: numberFlag(values.stalledMs, '--stalled-ms', { whole: true, min: 1 }),
    onNotice: (message) => process.stderr.write(`note: ${message}\n`),
    onJobDone: (jobId, r, info) => {
      const verdict = isEvaluationError(r) ? `error ${r.error?.code ?? ''}` : r.resolved ? 'resolved' : 'unresolved';
      process.stderr.write(`${jobId}: ${verdict}${info.reused ? ' (reused)' : ''}${info.attempt > 0 ? ` (attempt ${info.attempt + 1})` : ''}\n`);
    },
    onEpisodeDone: (jobId, e) => process.stderr.write(`${jobId}: episode ${e.exit_status} after ${e.steps} step(s)${e.error ? ` (error ${e.error.code})` : ''}\n`),
  });
  process.stderr.write(`worker ${os.hostname()}:${process.pid} on ${process.env.DOCKER_HOST ?? 'the default Docker engine'}: taking jobs from ${values.queue}, ${concurrency} at a time\n`);
  await new Promise<void>((resolve) => {
    // A SIGINT listener of our own makes the interrupt handler wait for this graceful stop.
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => {
      beginShutdown();
      resolve();
    });
    if (shutdownSignal.aborted) resolve();
  });
  // Jobs in hand are not waited for: their containers are removed on the way out, their locks lapse.
  await worker.close(true);
  return 0;
}
