import { z } from 'zod';
import { zodProblems } from '../util/zod-problems.js';
import { HarnessError } from '../errors.js';
import { AnthropicProvider } from './anthropic.js';
import type { RetryPolicy } from './backoff.js';
import { type HttpProviderOptions, resolveApiKey } from './http-provider.js';
import { OpenAICompatibleProvider } from './openai-compatible.js';
import { findPrice, type ModelPrice, modelPriceSchema, type PriceTable } from './pricing.js';
import type { ModelProvider, SamplingParams } from './types.js';

/**
 * A model's config, as a user writes it in YAML. Unknown keys are errors (typos would
 * otherwise be silently ignored); provider plug-ins take their own settings under `options`.
 */
export const modelConfigSchema = z
  .object({
    provider: z.string().min(1),
    model: z.string().min(1),
    /** The API's root; defaults to the provider's public endpoint. */
    base_url: z.url({ protocol: /^https?$/ }).optional(),
    /**
     * The environment variable holding the API key. Absent: the provider's usual one
     * (OPENAI_API_KEY, ANTHROPIC_API_KEY). null: send no key, for local servers.
     */
    api_key_env: z.string().min(1).nullable().optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    max_tokens: z.number().int().positive().optional(),
    /**
     * How an OpenAI-style request names the answer's token cap. Absent: `max_completion_tokens`
     * for the reasoning families that refuse `max_tokens` (o1, o3, o4, gpt-5), else `max_tokens`.
     */
    max_tokens_param: z.enum(['max_tokens', 'max_completion_tokens']).optional(),
    /** Anthropic prompt caching of the stable prefix (system prompt, tool definitions). */
    prompt_cache: z.boolean().default(true),
    /** The model's context in tokens, over the price table's `context_window`. */
    context_window: z.number().int().positive().optional(),
    /** Requests per query, the first one included. */
    max_attempts: z.number().int().min(1).max(50).default(5),
    retry_base_ms: z.number().int().nonnegative().default(1000),
    /** Cap on one back-off wait, a server's retry-after included. */
    retry_max_ms: z.number().int().nonnegative().default(60_000),
    /** Limit on one HTTP request; slower ones are cancelled and retried. */
    timeout_ms: z.number().int().positive().default(600_000),
    /** This model's price, over the price table's entry (USD per million tokens). */
    prices: modelPriceSchema.optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export type ModelConfig = z.output<typeof modelConfigSchema>;
export type ModelConfigInput = z.input<typeof modelConfigSchema>;

/** What a provider factory gets besides the config. */
export interface ProviderContext {
  env: NodeJS.ProcessEnv;
  /** The config's `prices`, else the price table's entry for the model, else undefined. */
  price: ModelPrice | undefined;
  onRetry?: RetryPolicy['onRetry'];
}

export type ModelProviderFactory = (config: ModelConfig, context: ProviderContext) => ModelProvider;

export interface CreateProviderOptions {
  /** Prices by model name (config/prices.yaml once parsed); without it only `prices` in the config count. */
  priceTable?: PriceTable;
  /** Where API keys are read; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Called before every back-off wait, e.g. to note it in the instance log. */
  onRetry?: RetryPolicy['onRetry'];
}

const factories = new Map<string, ModelProviderFactory>();

/** Adds (or replaces) a provider under `name`, the value of `provider:` in a model config. */
export function registerModelProvider(name: string, factory: ModelProviderFactory): void {
  factories.set(name, factory);
}

export function modelProviderNames(): string[] {
  return [...factories.keys()].sort();
}

/** Validates a model config and applies its defaults, reporting every problem at once. */
export function parseModelConfig(raw: unknown, file?: string): ModelConfig {
  const result = modelConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = zodProblems(result.error).map((p) => `  ${p.field}: ${p.message}`);
    throw new HarnessError('CONFIG_INVALID', `invalid model config:\n${lines.join('\n')}`, { file });
  }
  return result.data;
}

export function createModelProvider(config: ModelConfigInput, options: CreateProviderOptions = {}): ModelProvider {
  const parsed = parseModelConfig(config);
  const factory = factories.get(parsed.provider);
  if (!factory) {
    throw new HarnessError(
      'CONFIG_INVALID',
      `unknown model provider "${parsed.provider}"; known: ${modelProviderNames().join(', ')}`,
      { field: 'provider' },
    );
  }
  const price = parsed.prices ?? (options.priceTable ? findPrice(options.priceTable, parsed.model) : undefined);
  return factory(parsed, { env: options.env ?? process.env, price, onRetry: options.onRetry });
}

/** The options of an HTTP provider from its config; `defaultKeyEnv` applies when api_key_env is absent. */
export function httpProviderOptions(config: ModelConfig, context: ProviderContext, defaultKeyEnv: string): HttpProviderOptions {
  return {
    model: config.model,
    baseUrl: config.base_url,
    apiKey: resolveApiKey(config.api_key_env === undefined ? defaultKeyEnv : config.api_key_env, context.env),
    sampling: samplingOf(config),
    retry: {
      maxAttempts: config.max_attempts,
      baseDelayMs: config.retry_base_ms,
      maxDelayMs: config.retry_max_ms,
      timeoutMs: config.timeout_ms,
      onRetry: context.onRetry,
    },
    price: context.price,
    contextWindow: config.context_window ?? context.price?.context_window,
    promptCache: config.prompt_cache,
    maxTokensParam: config.max_tokens_param,
  };
}

function samplingOf(config: ModelConfig): SamplingParams {
  const sampling: SamplingParams = {};
  if (config.temperature !== undefined) sampling.temperature = config.temperature;
  if (config.top_p !== undefined) sampling.topP = config.top_p;
  if (config.seed !== undefined) sampling.seed = config.seed;
  if (config.max_tokens !== undefined) sampling.maxTokens = config.max_tokens;
  return sampling;
}

registerModelProvider('openai', (config, context) => new OpenAICompatibleProvider(httpProviderOptions(config, context, 'OPENAI_API_KEY')));
registerModelProvider('anthropic', (config, context) => new AnthropicProvider(httpProviderOptions(config, context, 'ANTHROPIC_API_KEY')));
