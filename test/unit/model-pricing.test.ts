import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { costOf, findPrice, parsePriceTable } from '../../src/model/pricing.js';
import { createModelProvider } from '../../src/model/registry.js';
import { type ScriptedModelServer, startScriptedModelServer } from '../helpers/scripted-model-server.js';

const PRICES_FILE = new URL('../../config/prices.yaml', import.meta.url);

describe('config/prices.yaml', () => {
  const table = parsePriceTable(parseYaml(readFileSync(PRICES_FILE, 'utf8')), 'config/prices.yaml');

  it('is a valid price table with OpenAI and Anthropic models', () => {
    expect(Object.keys(table)).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4.1', 'claude-sonnet-4-5', 'claude-haiku-4-5']));
    for (const [model, price] of Object.entries(table)) {
      // An output price below the input price would mean the two were swapped.
      expect(price.output, model).toBeGreaterThanOrEqual(price.input);
      if (price.cache_read !== undefined) expect(price.cache_read, model).toBeLessThan(price.input);
    }
  });

  it('says its figures are examples to be checked', () => {
    expect(readFileSync(PRICES_FILE, 'utf8')).toMatch(/EXAMPLE FIGURES, TO BE CHECKED/);
  });

  it('prices dated snapshots by their undated name', () => {
    expect(findPrice(table, 'claude-sonnet-4-5-20250929')).toBe(table['claude-sonnet-4-5']);
    expect(findPrice(table, 'gpt-4o-2024-08-06')).toBe(table['gpt-4o']);
    expect(findPrice(table, 'gpt-4o-mini-2024-07-18')).toBe(table['gpt-4o-mini']);
  });
});

describe('price lookup and cost', () => {
  it('does not guess a price for a model that merely starts like a known one', () => {
    expect(findPrice({ 'gpt-4o': { input: 1, output: 2 } }, 'gpt-4o-audio-preview')).toBeUndefined();
  });

  it("charges cache tokens at Anthropic's multipliers of input (reads 0.1x, writes 1.25x) when the model has no cache prices", () => {
    const cost = costOf({ inputTokens: 1000, outputTokens: 100, cacheReadTokens: 500, cacheWriteTokens: 200 }, { input: 1, output: 10 });
    expect(cost.costUsd).toBeCloseTo((300 * 1 + 500 * 0.1 + 200 * 1.25 + 100 * 10) / 1e6, 12);
  });

  it('reports an unknown price as unpriced, not free', () => {
    expect(costOf({ inputTokens: 10, outputTokens: 10 }, undefined)).toEqual({ costUsd: 0, priced: false });
  });

  it('rejects a bad table, naming every problem', () => {
    const bad = { models: { a: { input: -1, output: 2 }, b: { input: 1 }, c: { input: 1, output: 1, cache: 1 } } };
    expect(() => parsePriceTable(bad, 'prices.yaml')).toThrow(/models\.a\.input[\s\S]*models\.b\.output[\s\S]*models\.c/);
  });
});

describe('a model config overriding the price table', () => {
  let server: ScriptedModelServer;
  beforeAll(async () => {
    server = await startScriptedModelServer();
  });
  afterAll(() => server.close());

  it('uses the config prices over the table entry', async () => {
    server.script([{ kind: 'answer', text: 'a', usage: { input: 1_000_000, output: 1_000_000 } }]);
    const model = createModelProvider(
      { provider: 'openai', model: 'gpt-4o', base_url: `${server.url}/v1`, api_key_env: null, prices: { input: 1, output: 2 } },
      { priceTable: { 'gpt-4o': { input: 100, output: 100 } } },
    );
    const answer = await model.query([{ role: 'user', content: 'hi' }], [], {});
    expect(answer).toMatchObject({ costUsd: 3, priced: true });
  });
});
