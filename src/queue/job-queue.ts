import { Job, Queue, QueueEvents } from 'bullmq';
import { HarnessError } from '../errors.js';
import { assertReachable, DEFAULT_QUEUE_NAME, parseQueueUrl, type QueueAddress } from './connection.js';

/** When a job was enqueued, started (last attempt) and finished, in ms since the epoch (Redis's clock via BullMQ). */
export interface JobTimes {
  enqueuedAt: number;
  startedAt?: number;
  finishedAt?: number;
  attempts: number;
  worker?: string;
}

export type JobOutcome<R> = ({ state: 'completed'; value: R } | { state: 'failed'; reason: string }) & { times: JobTimes };

export interface SubmitOptions {
  /** Attempts in all (1 + retries after an infrastructure failure), with exponential backoff. */
  attempts: number;
  backoffMs: number;
}

/** How long a coordinator waits for a Redis that went away: SWE_HARNESS_QUEUE_PATIENCE_S, default 300. */
function patienceFromEnv(): number {
  const seconds = Number(process.env.SWE_HARNESS_QUEUE_PATIENCE_S ?? 300);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 300) * 1000;
}

/** How often pending jobs are checked beside the events (events are missed across a Redis restart). */
const POLL_MS = 2000;

interface Pending<D, R> {
  data: D;
  opts: SubmitOptions;
  resolve: (outcome: JobOutcome<R>) => void;
  reject: (err: unknown) => void;
}

/**
 * The coordinator's side of a run's queue: jobs under ids it chooses (so a restarted
 * coordinator adding the same ids attaches to the jobs already there), their outcomes from
 * queue events with a poll behind them, and progress reported as workers go.
 */
export class JobQueue<D, R> {
  private readonly pending = new Map<string, Pending<D, R>>();
  private poller: NodeJS.Timeout | undefined;
  private lastAnswer = Date.now();
  private polling = false;

  private constructor(
    readonly address: QueueAddress,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    /** How long Redis may be away before pending jobs fail with QUEUE_UNREACHABLE. */
    private readonly patienceMs: number,
  ) {}

  static async open<D, R>(url: string, opts: { name?: string; patienceMs?: number; onProgress?: (jobId: string, progress: unknown) => void } = {}): Promise<JobQueue<D, R>> {
    const address = parseQueueUrl(url);
    const name = opts.name ?? DEFAULT_QUEUE_NAME;
    await assertReachable(address, name);
    const queue = new Queue(name, { connection: address.connection });
    const events = new QueueEvents(name, { connection: address.connection });
    // Reconnection is ioredis's job; the poll below decides when an outage is too long.
    queue.on('error', () => undefined);
    events.on('error', () => undefined);
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const jq = new JobQueue<D, R>(address, queue, events, opts.patienceMs ?? patienceFromEnv());
    events.on('completed', ({ jobId }) => void jq.check(jobId));
    events.on('failed', ({ jobId }) => void jq.check(jobId));
    events.on('active', ({ jobId }) => opts.onProgress?.(jobId, { phase: 'active' }));
    events.on('progress', ({ jobId, data }) => opts.onProgress?.(jobId, data));
    return jq;
  }

  /**
   * Adds a job unless one with this id is there already (a restarted coordinator's case), and
   * resolves with its outcome. A job that vanished (Redis restarted without its data) is added again.
   */
  run(id: string, data: D, opts: SubmitOptions): Promise<JobOutcome<R>> {
    return new Promise<JobOutcome<R>>((resolve, reject) => {
      this.pending.set(id, { data, opts, resolve, reject });
      this.poller ??= setInterval(() => void this.pollAll(), POLL_MS);
      this.add(id, data, opts).then(() => this.check(id), reject);
    });
  }

  /** Removes a job whose result is written: Redis keeps only work not yet collected. */
  async forget(id: string): Promise<void> {
    await (await Job.fromId(this.queue, id))?.remove().catch(() => undefined);
  }

  /**
   * Removes the jobs under an id prefix (a run's) that nobody here waits for and no worker
   * holds: what a run that has collected all its results leaves behind (a duplicate of a job
   * already collected). Returns their ids; a job a worker holds is left to finish.
   */
  async forgetUnawaited(prefix: string): Promise<string[]> {
    // Ids only: a finished job holds its result (logs included), and the queue may hold other runs'.
    const ids = await this.queue.getRanges(['completed', 'failed', 'wait', 'delayed', 'prioritized', 'paused'], 0, -1);
    const stray = [...new Set(ids)].filter((id) => id.startsWith(prefix) && !this.pending.has(id));
    const removed = await Promise.all(stray.map((id) => this.queue.remove(id).then((n) => (n === 1 ? id : undefined), () => undefined)));
    return removed.filter((id): id is string => id !== undefined);
  }

  /** Closes the connections; if Redis is away a graceful close would wait for it, so after 2 s they are dropped. */
  async close(): Promise<void> {
    clearInterval(this.poller);
    const closed = Promise.all([this.events.close(), this.queue.close()]).then(() => true);
    // Not unref'd: with Redis away nothing else keeps the process alive until the drop below.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 2000)));
    const inTime = await Promise.race([closed, late]);
    clearTimeout(timer);
    if (inTime) return;
    // Stops the reconnection at once; its promise waits for a Redis that is not coming, so it is not awaited.
    void Promise.all([this.events.disconnect(), this.queue.disconnect()]).catch(() => undefined);
  }

  private async add(id: string, data: D, opts: SubmitOptions): Promise<void> {
    await this.queue.add('job', data, { jobId: id, attempts: opts.attempts, backoff: { type: 'exponential', delay: opts.backoffMs }, removeOnComplete: false, removeOnFail: false });
  }

  /**
   * Checks every pending job. A command to a Redis that is away waits for the reconnection
   * (BullMQ's connections retry forever), so a poll may hang: the patience is measured from
   * the last poll that finished, whatever the one in flight does.
   */
  private async pollAll(): Promise<void> {
    if (Date.now() - this.lastAnswer > this.patienceMs) return this.failAll();
    if (this.polling) return;
    this.polling = true;
    try {
      for (const id of [...this.pending.keys()]) await this.check(id, true);
      this.lastAnswer = Date.now();
    } catch {
      // Redis is away: the patience above decides when to give up.
    } finally {
      this.polling = false;
    }
  }

  private failAll(): void {
    const error = new HarnessError('QUEUE_UNREACHABLE', `Redis at ${this.address.shown} has not answered for ${Math.round(this.patienceMs / 1000)} s; run the same command again with the same run id to resume`);
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(error);
    }
  }

  /**
   * Settles a pending job that has finished for good (completed, or failed with no attempt left).
   * Checks of one job overlap (an event and the poll): each acts only while the job is still
   * pending as it was when the check began, so a check that read the job before another settled
   * it, and the caller collected and removed it, does not take the removal for a lost job and
   * add it again (a job nobody waits for, left in Redis for good).
   */
  private async check(id: string, rethrow = false): Promise<void> {
    const p = this.pending.get(id);
    if (!p) return;
    const stillPending = () => this.pending.get(id) === p;
    try {
      const job = await Job.fromId(this.queue, id);
      if (!job) {
        if (stillPending()) await this.add(id, p.data, p.opts);
        return;
      }
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') return;
      if (state === 'completed' && (job.returnvalue === null || job.returnvalue === undefined)) {
        // Completed with no result (seen across a Redis restart): a lost result; do it again.
        if (!stillPending()) return;
        await job.remove();
        if (stillPending()) await this.add(id, p.data, p.opts);
        return;
      }
      if (!this.pending.delete(id)) return;
      const times: JobTimes = { enqueuedAt: job.timestamp, startedAt: job.processedOn, finishedAt: job.finishedOn, attempts: job.attemptsMade, worker: job.processedBy };
      p.resolve(state === 'completed' ? { state, value: job.returnvalue as R, times } : { state, reason: job.failedReason, times });
    } catch (err) {
      if (rethrow) throw err;
    }
  }
}
