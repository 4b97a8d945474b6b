import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetryInfo } from '../../src/model/backoff.js';
import { createModelProvider, type ModelConfigInput } from '../../src/model/registry.js';
import type { ChatMessage, ModelProvider, ToolSpec } from '../../src/model/types.js';
import { type ScriptedModelServer, startScriptedModelServer } from '../helpers/scripted-model-server.js';

const KEY = 'sk-test-0123456789abcdef';
const PRICES = { 'gpt-test': { input: 2, output: 8, cache_read: 0.5 } };
const TOOLS: ToolSpec[] = [
  {
    name: 'bash',
    description: 'Run a shell command in the sandbox',
    parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
  },
];
const HISTORY: ChatMessage[] = [
  { role: 'system', content: 'You fix bugs.' },
  { role: 'user', content: 'Fix the failing test.' },
];

let server: ScriptedModelServer;
beforeAll(async () => {
  server = await startScriptedModelServer();
});
afterAll(() => server.close());

function openai(overrides: Partial<ModelConfigInput> = {}, onRetry: (info: RetryInfo) => void = () => {}): ModelProvider {
  return createModelProvider(
    { provider: 'openai', model: 'gpt-test', base_url: `${server.url}/v1`, max_attempts: 3, retry_base_ms: 1, retry_max_ms: 50, ...overrides },
    { env: { OPENAI_API_KEY: KEY }, priceTable: PRICES, onRetry },
  );
}

function sentBody(index: number): Record<string, unknown> {
  return server.requests[index]?.body as Record<string, unknown>;
}

describe('OpenAI-compatible provider, against a scripted Chat Completions server', () => {
  it('sends the tools, then round-trips the tool call and its result in the next request', async () => {
    server.script([
      { kind: 'answer', toolCalls: [{ id: 'call_abc', name: 'bash', arguments: { command: 'ls' } }], usage: { input: 120, output: 30 } },
      { kind: 'answer', text: 'Done.', usage: { input: 200, output: 5 } },
    ]);
    const model = openai();
    const history = [...HISTORY];
    const first = await model.query(history, TOOLS, {});
    expect(first.message).toEqual({ role: 'assistant', content: '', toolCalls: [{ id: 'call_abc', name: 'bash', arguments: '{"command":"ls"}' }] });
    expect(first.stopReason).toBe('tool_calls');
    history.push(first.message, { role: 'tool', toolCallId: 'call_abc', name: 'bash', content: 'a.txt\n' });
    const second = await model.query(history, TOOLS, {});
    expect(second.message).toEqual({ role: 'assistant', content: 'Done.' });
    expect(second.stopReason).toBe('stop');

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/chat/completions', 'POST /v1/chat/completions']);
    expect(sentBody(0)).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'You fix bugs.' },
        { role: 'user', content: 'Fix the failing test.' },
      ],
      tools: [{ type: 'function', function: { name: 'bash', description: 'Run a shell command in the sandbox', parameters: TOOLS[0]?.parameters } }],
    });
    expect((sentBody(1).messages as unknown[]).slice(2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }] },
      { role: 'tool', tool_call_id: 'call_abc', content: 'a.txt\n' },
    ]);
  });

  it('passes tool arguments that are not valid JSON through raw, for the loop to report', async () => {
    server.script([{ kind: 'answer', toolCalls: [{ id: 'c1', name: 'bash', arguments: '{"command": "ls' }] }]);
    const answer = await openai().query(HISTORY, TOOLS, {});
    expect(answer.message.toolCalls?.[0]?.arguments).toBe('{"command": "ls');
  });

  it('sends sampling parameters only when they are set (0 included)', async () => {
    server.script([{ kind: 'answer', text: 'a' }, { kind: 'answer', text: 'b' }]);
    await openai({ temperature: 0, top_p: 0.9, seed: 42, max_tokens: 256 }).query(HISTORY, [], {});
    await openai().query(HISTORY, [], {});
    expect(sentBody(0)).toMatchObject({ temperature: 0, top_p: 0.9, seed: 42, max_tokens: 256 });
    expect(Object.keys(sentBody(1)).sort()).toEqual(['messages', 'model']);
  });

  it('sends max_completion_tokens to the reasoning families (o1, o3, gpt-5) and when the config says so', async () => {
    server.script([{ kind: 'answer', text: 'a' }, { kind: 'answer', text: 'b' }, { kind: 'answer', text: 'c' }]);
    await openai({ model: 'o3-2025-04-16', max_tokens: 256 }).query(HISTORY, [], {});
    await openai({ model: 'gpt-5-mini', max_tokens: 256 }).query(HISTORY, [], {});
    await openai({ model: 'my-proxy-model', max_tokens: 256, max_tokens_param: 'max_completion_tokens' }).query(HISTORY, [], {});
    for (const i of [0, 1, 2]) {
      expect(sentBody(i)).toMatchObject({ max_completion_tokens: 256 });
      expect(sentBody(i)).not.toHaveProperty('max_tokens');
    }
  });

  it('ends a context_length_exceeded rejection with MODEL_CONTEXT_LIMIT, not retried', async () => {
    server.script([{ kind: 'error', status: 400, message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130001 tokens.", code: 'context_length_exceeded' }]);
    await expect(openai().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_CONTEXT_LIMIT' });
    expect(server.requests).toHaveLength(1);
  });

  it('sends the key as a Bearer header and nowhere else; api_key_env: null sends none', async () => {
    server.script([{ kind: 'answer', text: 'a' }]);
    await openai().query(HISTORY, TOOLS, {});
    const [request] = server.requests;
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.rawBody).not.toContain(KEY);
    const otherHeaders = Object.entries(request?.headers ?? {}).filter(([name]) => name !== 'authorization');
    expect(JSON.stringify(otherHeaders)).not.toContain(KEY);

    server.script([{ kind: 'answer', text: 'a' }]);
    await createModelProvider({ provider: 'openai', model: 'local', base_url: `${server.url}/v1`, api_key_env: null }, { env: {} }).query(HISTORY, [], {});
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('reads usage (cached tokens included) and prices it; an unknown model is unpriced', async () => {
    server.script([
      { kind: 'answer', text: 'a', usage: { input: 1000, output: 200, cacheRead: 400 } },
      { kind: 'answer', text: 'b', usage: { input: 1000, output: 200 } },
    ]);
    const priced = await openai().query(HISTORY, [], {});
    expect(priced.usage).toEqual({ inputTokens: 1000, outputTokens: 200, cacheReadTokens: 400 });
    // 600 uncached x $2 + 400 cached x $0.5 + 200 out x $8, per million
    expect(priced.costUsd).toBeCloseTo(0.003, 12);
    expect(priced.priced).toBe(true);
    const unpriced = await openai({ model: 'mystery-model' }).query(HISTORY, [], {});
    expect(unpriced).toMatchObject({ costUsd: 0, priced: false });
  });

  it('retries a 429 after its retry-after, capped at retry_max_ms', async () => {
    server.script([{ kind: 'rate-limit', retryAfter: '30' }, { kind: 'answer', text: 'ok' }]);
    const retries: RetryInfo[] = [];
    const answer = await openai({}, (info) => retries.push(info)).query(HISTORY, [], {});
    expect(answer.attempts).toBe(2);
    expect(answer.message.content).toBe('ok');
    expect(retries).toEqual([{ attempt: 1, delayMs: 50, reason: expect.stringContaining('HTTP 429') }]);
  });

  it('prefers retry-after-ms to retry-after', async () => {
    server.script([{ kind: 'rate-limit', retryAfter: '30', retryAfterMs: '20' }, { kind: 'answer', text: 'ok' }]);
    const retries: RetryInfo[] = [];
    await openai({}, (info) => retries.push(info)).query(HISTORY, [], {});
    expect(retries.map((r) => r.delayMs)).toEqual([20]);
  });

  it('gives up on 5xx after max_attempts with MODEL_SERVER, and on 429 with MODEL_RATE_LIMIT', async () => {
    server.script([{ kind: 'server-error' }, { kind: 'server-error', status: 503 }, { kind: 'server-error', status: 502 }, { kind: 'answer' }]);
    await expect(openai().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_SERVER', message: expect.stringContaining('gave up after 3 attempts') });
    expect(server.requests).toHaveLength(3);

    server.script([{ kind: 'rate-limit' }, { kind: 'rate-limit' }]);
    await expect(openai({ max_attempts: 2 }).query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_RATE_LIMIT' });
  });

  it('reports a body that is not a Chat Completion as MODEL_FORMAT, without retrying', async () => {
    server.script([{ kind: 'malformed' }, { kind: 'answer', text: 'never reached' }]);
    await expect(openai().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_FORMAT' });
    expect(server.requests).toHaveLength(1);

    server.script([{ kind: 'malformed', body: '{"id":"chatcmpl-1","choices":[]}' }]);
    await expect(openai().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_FORMAT', message: expect.stringContaining('no choices') });
  });

  it('fails a 401 with MODEL_AUTH at once, with the key cut out of the echoed message', async () => {
    server.script([{ kind: 'error', status: 401, message: `Incorrect API key provided: ${KEY}.` }, { kind: 'answer' }]);
    const failure = openai().query(HISTORY, [], {});
    await expect(failure).rejects.toMatchObject({ code: 'MODEL_AUTH', message: expect.stringContaining('Incorrect API key provided: ***') });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining(KEY) });
    expect(server.requests).toHaveLength(1);
  });

  it("fails another 4xx with MODEL_ERROR and the API's message, without retrying", async () => {
    server.script([{ kind: 'error', status: 400, message: "Unsupported parameter: 'max_tokens'" }, { kind: 'answer' }]);
    await expect(openai().query(HISTORY, [], {})).rejects.toMatchObject({
      code: 'MODEL_ERROR',
      message: "openai: HTTP 400: Unsupported parameter: 'max_tokens'",
    });
    expect(server.requests).toHaveLength(1);
  });

  it('stops during a back-off wait when the signal aborts', async () => {
    // Aborted 20 ms into a 10 s wait: only an abortable wait ends before the test times out.
    server.script([{ kind: 'rate-limit', retryAfter: '10' }, { kind: 'answer', text: 'too late' }]);
    const controller = new AbortController();
    const model = openai({ retry_max_ms: 10_000 }, () => setTimeout(() => controller.abort(), 20));
    await expect(model.query(HISTORY, [], { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
    expect(server.remaining()).toBe(1);
  });

  it('cancels a request in flight when the signal aborts, without retrying it', async () => {
    server.script([{ kind: 'answer', text: 'slow', delayMs: 2000 }, { kind: 'answer', text: 'too late' }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(openai().query(HISTORY, [], { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });

  it('retries a request that exceeds timeout_ms', async () => {
    server.script([{ kind: 'answer', text: 'slow', delayMs: 2000 }, { kind: 'answer', text: 'fast' }]);
    const retries: RetryInfo[] = [];
    const answer = await openai({ timeout_ms: 100 }, (info) => retries.push(info)).query(HISTORY, [], {});
    expect(answer).toMatchObject({ attempts: 2, message: { content: 'fast' } });
    // latencyMs covers the whole query, the timed-out attempt included.
    expect(answer.latencyMs).toBeGreaterThanOrEqual(100);
    expect(retries[0]?.reason).toContain('within 100 ms');
  });

  it('retries network errors and then gives up with MODEL_SERVER', async () => {
    const port = await closedPort();
    const retries: RetryInfo[] = [];
    const model = openai({ base_url: `http://127.0.0.1:${port}/v1`, max_attempts: 2 }, (info) => retries.push(info));
    await expect(model.query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_SERVER', message: expect.stringContaining('ECONNREFUSED') });
    expect(retries).toHaveLength(1);
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}
