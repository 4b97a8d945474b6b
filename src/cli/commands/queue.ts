import { HarnessError } from '../../errors.js';
import { cleanQueue, drainQueue, queueStatus } from '../../queue/queue-admin.js';
import { renderTable } from '../table.js';

/** `swe-harness queue status|drain|clean --queue URL`. */
export async function queueCommand(values: { queue?: string; queueName?: string; json?: boolean }, args: string[]): Promise<number> {
  const [action] = args;
  if (!values.queue) throw new HarnessError('USAGE', '--queue is required: redis://HOST:PORT');
  if (action === 'status') {
    const status = await queueStatus(values.queue, values.queueName);
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return 0;
    }
    const counts = Object.entries(status.counts).map(([state, n]) => `${state} ${n}`).join(', ');
    process.stdout.write(`queue ${status.queue}: ${counts}\n`);
    process.stdout.write(`workers: ${status.workers.length}\n`);
    if (status.workers.length > 0) process.stdout.write(`${renderTable(['worker', 'address', 'connected'], status.workers.map((w) => [w.name, w.addr, `${w.age_s}s`]))}\n`);
    if (status.active.length > 0) process.stdout.write(`${renderTable(['active job', 'worker', 'since'], status.active.map((j) => [j.id, j.worker ?? '', j.started_at ?? '']))}\n`);
    if (status.uncollected.length > 0) process.stdout.write(`${renderTable(['finished, not collected', 'state', 'finished'], status.uncollected.map((j) => [j.id, j.state, j.finished_at ?? '']))}\n`);
    return 0;
  }
  if (action === 'drain') {
    process.stdout.write(`removed ${await drainQueue(values.queue, values.queueName)} job(s) not yet started\n`);
    return 0;
  }
  if (action === 'clean') {
    process.stdout.write(`removed ${await cleanQueue(values.queue, values.queueName)} finished job(s) no coordinator collected\n`);
    return 0;
  }
  throw new HarnessError('USAGE', `queue: expected status, drain or clean, not ${JSON.stringify(action ?? '')}`);
}
