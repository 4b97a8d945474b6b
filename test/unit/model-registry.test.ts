import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/model/anthropic.js';
import { abortableSleep, backoffDelay, parseRetryAfter } from '../../src/model/backoff.js';
import { OpenAICompatibleProvider } from '../../src/model/openai-compatible.js';
import { createModelProvider, modelProviderNames, parseModelConfig, registerModelProvider } from '../../src/model/registry.js';
import { ScriptedModel } from '../../src/model/scripted.js';

describe('createModelProvider', () => {
  it('builds the provider named in the config, with its defaults', () => {
    const openai = createModelProvider({ provider: 'openai', model: 'gpt-4o' }, { env: { OPENAI_API_KEY: 'k' } });
    expect(openai).toBeInstanceOf(OpenAICompatibleProvider);
    expect((openai as OpenAICompatibleProvider).baseUrl).toBe('https://api.openai.com/v1');
    const anthropic = createModelProvider({ provider: 'anthropic', model: 'claude-sonnet-4-5', temperature: 0 }, { env: { ANTHROPIC_API_KEY: 'k' } });
    expect(anthropic).toBeInstanceOf(AnthropicProvider);
    expect(anthropic.sampling).toEqual({ temperature: 0 });
  });

  it('fails with MODEL_AUTH, naming the variable, when the key variable is unset', () => {
    expect(() => createModelProvider({ provider: 'anthropic', model: 'm' }, { env: {} })).toThrow(
      expect.objectContaining({ code: 'MODEL_AUTH', message: expect.stringContaining('ANTHROPIC_API_KEY') }),
    );
    expect(() => createModelProvider({ provider: 'openai', model: 'm', api_key_env: 'MY_GATEWAY_KEY' }, { env: { OPENAI_API_KEY: 'k' } })).toThrow(
      /MY_GATEWAY_KEY/,
    );
  });

  it('never shows the key when a provider is printed or serialised', () => {
    const key = 'sk-very-secret-key';
    const model = createModelProvider({ provider: 'openai', model: 'gpt-4o' }, { env: { OPENAI_API_KEY: key } });
    expect(JSON.stringify(model)).not.toContain(key);
    expect(inspect(model, { depth: 5, showHidden: true })).not.toContain(key);
  });

  it('reports every config problem at once, with its path', () => {
    expect(() => parseModelConfig({ provider: 'openai', temperature: 3, base_url: 'not a url', max_tokns: 5 })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringMatching(/model[\s\S]*base_url[\s\S]*temperature[\s\S]*max_tokns/) }),
    );
  });

  it('applies retry and timeout defaults in one place', () => {
    expect(parseModelConfig({ provider: 'openai', model: 'm' })).toMatchObject({ max_attempts: 5, retry_base_ms: 1000, retry_max_ms: 60_000, timeout_ms: 600_000 });
  });

  it('rejects an unknown provider, listing the known ones', () => {
    expect(() => createModelProvider({ provider: 'gemini', model: 'm' })).toThrow(/unknown model provider "gemini"; known: .*anthropic.*openai/);
  });

  it('takes plug-ins by name, with their own options and the resolved price', () => {
    registerModelProvider('replay', (config, context) => {
      const model = new ScriptedModel([{ content: String(config.options?.answer) }], config.model);
      expect(context.price).toEqual({ input: 1, output: 1 });
      return model;
    });
    const model = createModelProvider({ provider: 'replay', model: 'r', options: { answer: 42 } }, { priceTable: { r: { input: 1, output: 1 } } });
    expect(model.name).toBe('scripted');
    expect(modelProviderNames()).toContain('replay');
  });
});

describe('back-off', () => {
  it('doubles the delay per attempt, jittered within its upper half, capped', () => {
    const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3].map((a) => backoffDelay(a, policy, undefined, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((a) => backoffDelay(a, policy, undefined, () => 1))).toEqual([100, 200, 400]);
    expect(backoffDelay(10, policy, undefined, () => 1)).toBe(1000);
  });

  it('takes a server hint over the exponential delay, but never past the cap', () => {
    expect(backoffDelay(1, { baseDelayMs: 100, maxDelayMs: 1000 }, 300)).toBe(300);
    expect(backoffDelay(1, { baseDelayMs: 100, maxDelayMs: 1000 }, 60_000)).toBe(1000);
  });

  it('reads retry-after as seconds or an HTTP date, and retry-after-ms first', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': '2' }), now)).toBe(2000);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(new Headers({ 'retry-after': '2', 'retry-after-ms': '150' }), now)).toBe(150);
    expect(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });

  it('ends a wait early when the signal aborts, with the signal reason', async () => {
    const controller = new AbortController();
    const wait = abortableSleep(60_000, controller.signal);
    controller.abort(new Error('cancelled by the run'));
    await expect(wait).rejects.toThrow('cancelled by the run');
  });
});
