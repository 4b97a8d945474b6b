import { Queue, type ConnectionOptions } from 'bullmq';
import { HarnessError } from '../errors.js';

/** Where the queue lives: a `redis://[user:password@]host[:port][/db]` URL, parsed. */
export interface QueueAddress {
  /** The URL with any password hidden, for messages. */
  shown: string;
  connection: ConnectionOptions;
}

export const DEFAULT_QUEUE_NAME = 'swe-harness';

/** A bad URL is a usage error naming what is wrong, before any connection is tried. */
export function parseQueueUrl(url: string): QueueAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HarnessError('USAGE', `--queue ${JSON.stringify(url)} is not a URL; expected redis://HOST:PORT (or rediss:// for TLS)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new HarnessError('USAGE', `--queue ${JSON.stringify(url)}: the scheme must be redis:// or rediss://, not ${parsed.protocol}//`);
  }
  if (!parsed.hostname) throw new HarnessError('USAGE', `--queue ${JSON.stringify(url)} names no host; expected redis://HOST:PORT`);
  const port = parsed.port ? Number(parsed.port) : 6379;
  const dbText = parsed.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0) throw new HarnessError('USAGE', `--queue ${JSON.stringify(url)}: the database "/${dbText}" is not a number`);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  const shown = password ? url.replace(`:${parsed.password}@`, ':***@') : url;
  return {
    shown,
    connection: {
      host: parsed.hostname.replace(/^\[|\]$/g, ''),
      port,
      db,
      ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
      ...(password ? { password } : {}),
      ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
      // A worker's blocking connection must wait for Redis however long it is away (BullMQ's rule).
      maxRetriesPerRequest: null,
    },
  };
}

/**
 * Fails fast, with the reason, when Redis does not answer: the long-lived connections of a
 * run reconnect forever (Redis restarting mid-run is survivable), so they cannot be the check.
 */
export async function assertReachable(address: QueueAddress, queueName = DEFAULT_QUEUE_NAME, timeoutMs = 5000): Promise<void> {
  let lastError: unknown;
  // Of the queue about to be used: a probe writes the queue's meta key, so no other key is left behind.
  const probe = new Queue(queueName, {
    connection: { ...(address.connection as object), retryStrategy: () => null, connectTimeout: timeoutMs, maxRetriesPerRequest: 1 },
  });
  probe.on('error', (err) => (lastError = err));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.waitUntilReady(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    const why = (lastError ?? err) instanceof Error ? ((lastError ?? err) as Error).message : String(lastError ?? err);
    throw new HarnessError('QUEUE_UNREACHABLE', `cannot reach Redis at ${address.shown}: ${why} (is redis-server running? scripts/ensure-redis.sh starts one on loopback)`, {}, { cause: err });
  } finally {
    clearTimeout(timer);
    await probe.close().catch(() => undefined);
  }
}
