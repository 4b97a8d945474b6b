import { z } from 'zod';
import { zodProblems } from '../util/zod-problems.js';
import { HarnessError } from '../errors.js';
import type { Usage } from './types.js';

/**
 * Prices in USD per million tokens. `cache_read` / `cache_write` are the prices of prompt-cache
 * hits and writes; when absent they are Anthropic's published multipliers of the input price
 * (reads 0.1x, 5-minute writes 1.25x). `context_window` is the model's context in tokens, for
 * the agent's context policy; it prices nothing.
 */
export const modelPriceSchema = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cache_read: z.number().nonnegative().optional(),
    cache_write: z.number().nonnegative().optional(),
    context_window: z.number().int().positive().optional(),
  })
  .strict();

export type ModelPrice = z.infer<typeof modelPriceSchema>;

/** The shape of config/prices.yaml once parsed: `models: {<model name>: <price>}`. */
export const priceTableSchema = z.object({ models: z.record(z.string().min(1), modelPriceSchema) }).strict();

export type PriceTable = Record<string, ModelPrice>;

/**
 * Validates an already-parsed price file (only config/ reads YAML), reporting every problem
 * at once.
 */
export function parsePriceTable(data: unknown, file: string): PriceTable {
  const result = priceTableSchema.safeParse(data);
  if (!result.success) {
    const lines = zodProblems(result.error).map((p) => `  ${p.field}: ${p.message}`);
    throw new HarnessError('CONFIG_INVALID', `invalid price table:\n${lines.join('\n')}`, { file });
  }
  return result.data.models;
}

/** A dated snapshot name: claude-sonnet-4-5-20250929, gpt-4o-2024-08-06. */
const DATE_SUFFIX = /-(\d{8}|\d{4}-\d{2}-\d{2})$/;

/**
 * The model's price: its exact name first, then its name without a snapshot date, so a table
 * keyed by alias prices pinned snapshots too. No fuzzier match: a wrong price is worse than
 * an unknown one.
 */
export function findPrice(table: PriceTable, model: string): ModelPrice | undefined {
  return table[model] ?? table[model.replace(DATE_SUFFIX, '')];
}

export interface Cost {
  costUsd: number;
  /** False when no price was known: the cost is then unknown, not zero. */
  priced: boolean;
}

/** Anthropic's multipliers of the input price, used when a price gives no cache prices. */
export const CACHE_READ_MULTIPLIER = 0.1;
export const CACHE_WRITE_MULTIPLIER = 1.25;

/** The cost of one query. Cache reads and writes are parts of `inputTokens` (see Usage). */
export function costOf(usage: Usage, price: ModelPrice | undefined): Cost {
  if (!price) return { costUsd: 0, priced: false };
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - cacheRead - cacheWrite);
  const microUsd =
    uncached * price.input +
    cacheRead * (price.cache_read ?? price.input * CACHE_READ_MULTIPLIER) +
    cacheWrite * (price.cache_write ?? price.input * CACHE_WRITE_MULTIPLIER) +
    usage.outputTokens * price.output;
  return { costUsd: microUsd / 1_000_000, priced: true };
}
