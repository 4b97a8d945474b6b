import { type ErrorCode, HarnessError } from '../errors.js';
import { abortableSleep, backoffDelay, parseRetryAfter, type RetryPolicy } from './backoff.js';

/** One JSON POST to a model API, as both providers make it. */
export interface JsonRequest {
  /** The provider's name, the first word of every error message. */
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  /** Strings cut out of every error message: the API key, in case a server echoes it back. */
  secrets: string[];
}

export interface JsonReply {
  json: unknown;
  attempts: number;
}

type AttemptOutcome =
  | { ok: true; json: unknown }
  | { ok: false; retryable: boolean; code: ErrorCode; message: string; retryAfterMs?: number; cause?: unknown };

/** Overloaded or transiently broken: worth another try. 529 is Anthropic's "overloaded". */
const RETRYABLE_SERVER_STATUS = new Set([408, 500, 502, 503, 504, 529]);

/**
 * POSTs `body` and returns the parsed JSON answer, retrying rate limits, transient server
 * errors, timeouts and network errors with back-off. Other failures throw at once. An abort
 * of `signal` rejects with its reason, whether a request or a back-off wait is under way.
 */
export async function postJson(
  request: JsonRequest,
  policy: RetryPolicy,
  signal?: AbortSignal,
  random?: () => number,
): Promise<JsonReply> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(request, policy.timeoutMs, signal);
    if (outcome.ok) return { json: outcome.json, attempts: attempt };
    const reason = redact(outcome.message, request.secrets);
    if (!outcome.retryable || attempt >= policy.maxAttempts) {
      const tries = attempt > 1 ? ` (gave up after ${attempt} attempts)` : '';
      throw new HarnessError(outcome.code, `${request.provider}: ${reason}${tries}`, {}, { cause: outcome.cause });
    }
    const delayMs = backoffDelay(attempt, policy, outcome.retryAfterMs, random);
    policy.onRetry?.({ attempt, delayMs, reason });
    await abortableSleep(delayMs, signal);
  }
}

async function attemptOnce(request: JsonRequest, timeoutMs: number, signal?: AbortSignal): Promise<AttemptOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify(request.body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    text = await response.text();
  } catch (cause) {
    // The caller's abort is not a failure to retry: it ends the query.
    if (signal?.aborted) throw signal.reason;
    const message = timeout.aborted
      ? `no answer from ${request.url} within ${timeoutMs} ms`
      : `cannot reach ${request.url}: ${networkErrorText(cause)}`;
    return { ok: false, retryable: true, code: 'MODEL_SERVER', message, cause };
  }
  return classify(response, text);
}

/**
 * How providers say a request was too long for the model: OpenAI's code
 * `context_length_exceeded` ("maximum context length is ..."), Anthropic's 400
 * invalid_request_error "prompt is too long", and the phrasings of vLLM and gateways. Such a
 * request is not retried: the same history would fail again.
 */
const CONTEXT_LIMIT = /context_length_exceeded|prompt is too long|maximum context length|context window|input is too long/i;

function classify(response: Response, text: string): AttemptOutcome {
  const status = response.status;
  if (response.ok) {
    try {
      return { ok: true, json: JSON.parse(text) };
    } catch {
      return { ok: false, retryable: false, code: 'MODEL_FORMAT', message: `answer is not JSON: ${snippet(text)}` };
    }
  }
  const message = `HTTP ${status}: ${apiErrorMessage(text)}`;
  const retryAfterMs = parseRetryAfter(response.headers);
  if (status === 429) return { ok: false, retryable: true, code: 'MODEL_RATE_LIMIT', message, retryAfterMs };
  if (RETRYABLE_SERVER_STATUS.has(status)) return { ok: false, retryable: true, code: 'MODEL_SERVER', message, retryAfterMs };
  if (status === 401 || status === 403) return { ok: false, retryable: false, code: 'MODEL_AUTH', message };
  if (status < 500 && CONTEXT_LIMIT.test(text)) return { ok: false, retryable: false, code: 'MODEL_CONTEXT_LIMIT', message };
  return { ok: false, retryable: false, code: status >= 500 ? 'MODEL_SERVER' : 'MODEL_ERROR', message };
}

/**
 * The API's own explanation. OpenAI and Anthropic send `{error: {message}}`; vLLM and other
 * gateways send `{message}`, `{error: "..."}` or FastAPI's `{detail}`; anything else is shown raw.
 */
export function apiErrorMessage(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return snippet(text) || '(empty body)';
  }
  if (isRecord(body)) {
    const error = body.error;
    if (isRecord(error) && typeof error.message === 'string') return error.message;
    for (const candidate of [error, body.message, body.detail]) if (typeof candidate === 'string') return candidate;
  }
  return snippet(text);
}

function networkErrorText(cause: unknown): string {
  // Node's fetch wraps the socket error ("fetch failed"); its cause has the useful code.
  const inner = cause instanceof Error ? cause.cause : undefined;
  if (inner instanceof Error) return `${(inner as NodeJS.ErrnoException).code ?? inner.message}`;
  return cause instanceof Error ? cause.message : String(cause);
}

function snippet(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat;
}

export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
