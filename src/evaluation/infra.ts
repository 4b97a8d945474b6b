import { HarnessError } from '../errors.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * A failure of the machinery rather than of the patch: the engine went away or restarted
 * mid-run. Such an instance is retried; a verdict is never drawn from it.
 */
export function isInfraError(err: unknown): boolean {
  // `await using` wraps an error thrown while disposing (SuppressedError; a polyfill on Node 20).
  const suppressed = err as { name?: string; error?: unknown; suppressed?: unknown };
  if (suppressed?.name === 'SuppressedError') return isInfraError(suppressed.error) || isInfraError(suppressed.suppressed);
  if (err instanceof HarnessError) return err.code === 'INFRA' || err.code === 'DOCKER_UNAVAILABLE';
  const e = err as { code?: string; message?: string; statusCode?: number; reason?: string };
  if (e?.code && CONNECTION_CODES.has(e.code)) return true;
  if (e?.statusCode === 502 || e?.statusCode === 503) return true;
  return /socket hang up|connect ECONNREFUSED|no such container/i.test(e?.message ?? '');
}
