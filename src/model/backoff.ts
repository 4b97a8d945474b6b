/** How a provider retries: exponential back-off with jitter, server hints honoured but capped. */
export interface RetryPolicy {
  /** Requests per query, the first one included. */
  maxAttempts: number;
  /** The first back-off delay; it doubles on every retry. */
  baseDelayMs: number;
  /** Cap on any single wait, a server's `retry-after` included, so one hint cannot stall a run. */
  maxDelayMs: number;
  /** Limit on one HTTP request; a request that takes longer is cancelled and retried. */
  timeoutMs: number;
  /** Called before every back-off wait, e.g. to note the wait in the instance log. */
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** The attempt that failed, 1-based. */
  attempt: number;
  delayMs: number;
  reason: string;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  timeoutMs: 600_000,
};

/**
 * The wait before the next attempt. A server hint wins (it knows when the limit resets);
 * otherwise "equal jitter": half the exponential delay fixed, half random, so parallel
 * workers that failed together do not retry together.
 */
export function backoffDelay(
  failedAttempt: number,
  policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const exponential = Math.min(policy.baseDelayMs * 2 ** (failedAttempt - 1), policy.maxDelayMs);
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/**
 * A server's hint in milliseconds: `retry-after-ms` (sent by OpenAI and Anthropic) is more
 * precise than `retry-after`, which is seconds or an HTTP date. Unparseable hints are ignored.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A wait that ends early, rejecting with the signal's reason, when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
