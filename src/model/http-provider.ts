import { HarnessError } from '../errors.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
import { postJson, type JsonRequest } from './http.js';
import { costOf, type ModelPrice } from './pricing.js';
import type { AssistantMessage, ChatMessage, ModelProvider, ModelResponse, QueryOptions, SamplingParams, ToolSpec, Usage } from './types.js';

/** What both HTTP providers are built from. */
export interface HttpProviderOptions {
  model: string;
  /** The API's root; each provider has its own default. */
  baseUrl?: string;
  /** The key itself; null sends none (local servers, or gateways that add their own). */
  apiKey: string | null;
  sampling?: SamplingParams;
  retry?: Partial<RetryPolicy>;
  /** The model's price; without one, responses say `priced: false`. */
  price?: ModelPrice;
  /** The model's context in tokens, when known. */
  contextWindow?: number;
  /** Anthropic: mark the stable prefix for prompt caching (default on). */
  promptCache?: boolean;
  /** OpenAI-style: the name of the answer's token cap; absent, chosen by the model's name. */
  maxTokensParam?: 'max_tokens' | 'max_completion_tokens';
}

/** A provider's reading of a successful answer. */
export interface ParsedAnswer {
  message: AssistantMessage;
  usage: Usage;
  stopReason: string;
}

/**
 * The key named by `envName`, read once. Null means "send no key" and is what a config says
 * for a local server; a named but unset variable is an error now rather than a 401 later.
 */
export function resolveApiKey(envName: string | null, env: NodeJS.ProcessEnv = process.env): string | null {
  if (envName === null) return null;
  const key = env[envName]?.trim();
  if (!key) {
    throw new HarnessError(
      'MODEL_AUTH',
      `environment variable ${envName} (the API key) is not set; set it, or set api_key_env: null for a server that needs no key`,
    );
  }
  return key;
}

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_RETRY_POLICY, ...defined };
}

/** Joins a base URL and a path whether or not the base ends in a slash. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * One query over HTTP: POST with retries, then the provider's parser, then the cost. A parser
 * throws MODEL_FORMAT for an answer it cannot read.
 */
export async function queryOverHttp(
  request: JsonRequest,
  policy: RetryPolicy,
  parse: (json: unknown) => ParsedAnswer,
  price: ModelPrice | undefined,
  signal?: AbortSignal,
): Promise<ModelResponse> {
  const started = performance.now();
  const reply = await postJson(request, policy, signal);
  const answer = parse(reply.json);
  const { costUsd, priced } = costOf(answer.usage, price);
  return {
    ...answer,
    costUsd,
    priced,
    latencyMs: Math.round(performance.now() - started),
    attempts: reply.attempts,
  };
}

export function formatError(provider: string, what: string): HarnessError {
  return new HarnessError('MODEL_FORMAT', `${provider}: malformed answer: ${what}`);
}

/** A non-negative integer count, 0 when the server left it out (some local servers do). */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/**
 * What both HTTP providers share: the settings, the key kept private (so neither
 * JSON.stringify nor util.inspect of a provider shows it), and one POST with retries and cost.
 * A provider says where to post, how the key is sent, and how to read the answer.
 */
export abstract class HttpModelProvider implements ModelProvider {
  abstract readonly name: string;
  readonly model: string;
  readonly sampling: SamplingParams;
  readonly baseUrl: string;
  readonly contextWindow?: number;
  protected readonly options: Pick<HttpProviderOptions, 'promptCache' | 'maxTokensParam'>;
  readonly #apiKey: string | null;
  readonly #policy: RetryPolicy;
  readonly #price: ModelPrice | undefined;

  constructor(options: HttpProviderOptions, defaultBaseUrl: string) {
    this.model = options.model;
    this.sampling = { ...options.sampling };
    this.baseUrl = options.baseUrl ?? defaultBaseUrl;
    this.#apiKey = options.apiKey;
    this.#policy = retryPolicy(options.retry);
    this.#price = options.price;
    this.contextWindow = options.contextWindow;
    this.options = { promptCache: options.promptCache, maxTokensParam: options.maxTokensParam };
  }

  abstract query(messages: ChatMessage[], tools: ToolSpec[], opts?: QueryOptions): Promise<ModelResponse>;

  protected post(
    path: string,
    headers: (apiKey: string | null) => Record<string, string>,
    body: unknown,
    parse: (json: unknown) => ParsedAnswer,
    signal?: AbortSignal,
  ): Promise<ModelResponse> {
    const request: JsonRequest = {
      provider: this.name,
      url: joinUrl(this.baseUrl, path),
      headers: headers(this.#apiKey),
      body,
      secrets: this.#apiKey ? [this.#apiKey] : [],
    };
    return queryOverHttp(request, this.#policy, parse, this.#price, signal);
  }
}
