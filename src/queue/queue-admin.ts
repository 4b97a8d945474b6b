import { Queue } from 'bullmq';
import { assertReachable, DEFAULT_QUEUE_NAME, parseQueueUrl } from './connection.js';

export interface QueueStatus {
  queue: string;
  counts: Record<string, number>;
  workers: Array<{ name: string; addr: string; age_s: number }>;
  active: Array<{ id: string; worker?: string; started_at?: string }>;
  /** Finished jobs no coordinator has collected yet (what `clean` removes), the first 50. */
  uncollected: Array<{ id: string; state: 'completed' | 'failed'; finished_at?: string }>;
}

async function withQueue<T>(url: string, name: string | undefined, body: (q: Queue) => Promise<T>): Promise<T> {
  const address = parseQueueUrl(url);
  await assertReachable(address, name ?? DEFAULT_QUEUE_NAME);
  const queue = new Queue(name ?? DEFAULT_QUEUE_NAME, { connection: address.connection });
  queue.on('error', () => undefined);
  try {
    return await body(queue);
  } finally {
    await queue.close();
  }
}

/** What the queue holds and who works on it. */
export function queueStatus(url: string, name?: string): Promise<QueueStatus> {
  return withQueue(url, name, async (q) => {
    const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'paused', 'prioritized');
    const workers = (await q.getWorkers()).map((w) => ({ name: String(w.rawname ?? '').split(':w:')[1] ?? String(w.name ?? ''), addr: String(w.addr ?? ''), age_s: Number(w.age ?? 0) }));
    const active = (await q.getJobs('active', 0, 50)).map((j) => ({ id: j.id ?? '', worker: j.processedBy, started_at: j.processedOn ? new Date(j.processedOn).toISOString() : undefined }));
    const finished = async (state: 'completed' | 'failed') => (await q.getJobs(state, 0, 49)).map((j) => ({ id: j.id ?? '', state, finished_at: j.finishedOn ? new Date(j.finishedOn).toISOString() : undefined }));
    const uncollected = [...(await finished('completed')), ...(await finished('failed'))].slice(0, 50);
    return { queue: q.name, counts, workers, active, uncollected };
  });
}

/** Removes the jobs not yet started (waiting and delayed); jobs in hand finish. */
export function drainQueue(url: string, name?: string): Promise<number> {
  return withQueue(url, name, async (q) => {
    const before = await q.getJobCounts('waiting', 'delayed', 'prioritized', 'paused');
    await q.drain(true);
    return Object.values(before).reduce((a, b) => a + b, 0);
  });
}

/**
 * Removes finished jobs (completed and failed) that no coordinator collected: a run that
 * was given up. A coordinator rerun with the same run id redoes them (or reuses its reports).
 */
export function cleanQueue(url: string, name?: string): Promise<number> {
  return withQueue(url, name, async (q) => {
    const done = await q.clean(0, 0, 'completed');
    const failed = await q.clean(0, 0, 'failed');
    return done.length + failed.length;
  });
}
