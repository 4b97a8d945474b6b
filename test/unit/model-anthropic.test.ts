import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAnthropicMessages } from '../../src/model/anthropic.js';
import type { RetryInfo } from '../../src/model/backoff.js';
import { createModelProvider, type ModelConfigInput } from '../../src/model/registry.js';
import type { ChatMessage, ModelProvider, ToolSpec } from '../../src/model/types.js';
import { type ScriptedModelServer, startScriptedModelServer } from '../helpers/scripted-model-server.js';

const KEY = 'sk-ant-test-0123456789abcdef';
const PRICES = { 'claude-test': { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 } };
const TOOLS: ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read a file of the repository',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
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

function anthropic(overrides: Partial<ModelConfigInput> = {}, onRetry: (info: RetryInfo) => void = () => {}): ModelProvider {
  return createModelProvider(
    { provider: 'anthropic', model: 'claude-test', base_url: server.url, max_attempts: 3, retry_base_ms: 1, retry_max_ms: 50, ...overrides },
    { env: { ANTHROPIC_API_KEY: KEY }, priceTable: PRICES, onRetry },
  );
}

function sentBody(index: number): Record<string, unknown> {
  return server.requests[index]?.body as Record<string, unknown>;
}

describe('Anthropic provider, against a scripted Messages server', () => {
  it('sends system, tools and max_tokens, then returns two tool results as one user turn', async () => {
    server.script([
      {
        kind: 'answer',
        text: 'Let me look.',
        toolCalls: [
          { id: 'toolu_1', name: 'read_file', arguments: { path: 'a.py' } },
          { id: 'toolu_2', name: 'read_file', arguments: { path: 'b.py' } },
        ],
      },
      { kind: 'answer', text: 'Fixed.' },
    ]);
    const model = anthropic();
    const history = [...HISTORY];
    const first = await model.query(history, TOOLS, {});
    expect(first.message).toEqual({
      role: 'assistant',
      content: 'Let me look.',
      toolCalls: [
        { id: 'toolu_1', name: 'read_file', arguments: '{"path":"a.py"}' },
        { id: 'toolu_2', name: 'read_file', arguments: '{"path":"b.py"}' },
      ],
    });
    expect(first.stopReason).toBe('tool_use');
    history.push(
      first.message,
      { role: 'tool', toolCallId: 'toolu_1', name: 'read_file', content: 'print(1)' },
      { role: 'tool', toolCallId: 'toolu_2', name: 'read_file', content: 'print(2)' },
    );
    const second = await model.query(history, TOOLS, {});
    expect(second).toMatchObject({ message: { role: 'assistant', content: 'Fixed.' }, stopReason: 'end_turn' });

    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/messages', 'POST /v1/messages']);
    expect(sentBody(0)).toEqual({
      model: 'claude-test',
      max_tokens: 4096,
      // The stable prefix is marked for prompt caching: the last tool definition and the system prompt.
      system: [{ type: 'text', text: 'You fix bugs.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Fix the failing test.' }] }],
      tools: [{ name: 'read_file', description: 'Read a file of the repository', input_schema: TOOLS[0]?.parameters, cache_control: { type: 'ephemeral' } }],
    });
    expect((sentBody(1).messages as unknown[]).slice(1)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.py' } },
          { type: 'tool_use', id: 'toolu_2', name: 'read_file', input: { path: 'b.py' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'print(1)' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'print(2)' },
        ],
      },
    ]);
  });

  it('sends x-api-key and anthropic-version, and the key nowhere else', async () => {
    server.script([{ kind: 'answer', text: 'a' }]);
    await anthropic().query(HISTORY, [], {});
    const [request] = server.requests;
    expect(request?.headers['x-api-key']).toBe(KEY);
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.rawBody).not.toContain(KEY);
    const otherHeaders = Object.entries(request?.headers ?? {}).filter(([name]) => name !== 'x-api-key');
    expect(JSON.stringify(otherHeaders)).not.toContain(KEY);
  });

  it('sends temperature, top_p and max_tokens when set, never seed (the API has none)', async () => {
    server.script([{ kind: 'answer', text: 'a' }]);
    await anthropic({ temperature: 0, top_p: 0.5, seed: 7, max_tokens: 1000 }).query(HISTORY, [], {});
    expect(sentBody(0)).toMatchObject({ temperature: 0, top_p: 0.5, max_tokens: 1000 });
    expect(sentBody(0)).not.toHaveProperty('seed');
    expect(sentBody(0)).not.toHaveProperty('tools');
  });

  it('sends the system prompt as plain text and no cache_control with prompt_cache: false', async () => {
    server.script([{ kind: 'answer', text: 'a' }]);
    await anthropic({ prompt_cache: false }).query(HISTORY, TOOLS, {});
    expect(sentBody(0)).toMatchObject({ system: 'You fix bugs.' });
    expect(server.requests[0]?.rawBody).not.toContain('cache_control');
  });

  it('prices cache tokens at 0.1x and 1.25x of input when the model has no cache prices (Anthropic multipliers)', async () => {
    server.script([{ kind: 'answer', text: 'a', usage: { input: 100, output: 50, cacheRead: 1000, cacheWrite: 200 } }]);
    const answer = await anthropic({ prices: { input: 3, output: 15 } }).query(HISTORY, [], {});
    // (100 x 3 + 1000 x 0.3 + 200 x 3.75 + 50 x 15) / 1e6
    expect(answer.costUsd).toBeCloseTo(0.0021, 12);
  });

  it('ends a "prompt is too long" rejection with MODEL_CONTEXT_LIMIT, not retried', async () => {
    server.script([{ kind: 'error', status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' }]);
    await expect(anthropic().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_CONTEXT_LIMIT' });
    expect(server.requests).toHaveLength(1);
  });

  it('sums input, cache-read and cache-write tokens and prices each at its rate', async () => {
    server.script([{ kind: 'answer', text: 'a', usage: { input: 100, output: 50, cacheRead: 1000, cacheWrite: 200 } }]);
    const answer = await anthropic().query(HISTORY, [], {});
    expect(answer.usage).toEqual({ inputTokens: 1300, outputTokens: 50, cacheReadTokens: 1000, cacheWriteTokens: 200 });
    // (100 x 3 + 1000 x 0.3 + 200 x 3.75 + 50 x 15) / 1e6
    expect(answer.costUsd).toBeCloseTo(0.0021, 12);
    expect(answer.priced).toBe(true);
  });

  it('retries a 529 (overloaded) and a 429, honouring retry-after up to the cap', async () => {
    server.script([{ kind: 'server-error', status: 529 }, { kind: 'rate-limit', retryAfter: '0.02' }, { kind: 'answer', text: 'ok' }]);
    const retries: RetryInfo[] = [];
    const answer = await anthropic({}, (info) => retries.push(info)).query(HISTORY, [], {});
    expect(answer.attempts).toBe(3);
    expect(retries[0]?.reason).toContain('HTTP 529');
    expect(retries[1]).toEqual({ attempt: 2, delayMs: 20, reason: expect.stringContaining('HTTP 429') });
  });

  it('gives up on 500s after max_attempts with MODEL_SERVER', async () => {
    server.script([{ kind: 'server-error' }, { kind: 'server-error' }, { kind: 'server-error' }]);
    await expect(anthropic().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_SERVER' });
    expect(server.requests).toHaveLength(3);
  });

  it('reports an answer without a content array as MODEL_FORMAT', async () => {
    server.script([{ kind: 'malformed', body: '{"type":"message","role":"assistant"}' }, { kind: 'answer' }]);
    await expect(anthropic().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_FORMAT', message: expect.stringContaining('no content') });
    expect(server.requests).toHaveLength(1);
  });

  it('fails 401 and 403 with MODEL_AUTH at once', async () => {
    server.script([{ kind: 'error', status: 401, message: 'invalid x-api-key' }, { kind: 'error', status: 403, message: 'forbidden' }]);
    await expect(anthropic().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_AUTH', message: 'anthropic: HTTP 401: invalid x-api-key' });
    await expect(anthropic().query(HISTORY, [], {})).rejects.toMatchObject({ code: 'MODEL_AUTH' });
    expect(server.requests).toHaveLength(2);
  });

  it('stops during a back-off wait when the signal aborts', async () => {
    // Aborted 20 ms into a 10 s wait: only an abortable wait ends before the test times out.
    server.script([{ kind: 'server-error', status: 503, retryAfter: '10' }, { kind: 'answer', text: 'too late' }]);
    const controller = new AbortController();
    const model = anthropic({ retry_max_ms: 10_000 }, () => setTimeout(() => controller.abort(), 20));
    await expect(model.query(HISTORY, [], { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.remaining()).toBe(1);
  });
});

describe('toAnthropicMessages', () => {
  it('puts a user message that follows tool results into the same turn, after them', () => {
    const turns = toAnthropicMessages([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'bash', arguments: '{"command":"ls"}' }] },
      { role: 'tool', toolCallId: 't1', name: 'bash', content: '' },
      { role: 'user', content: 'You have 3 steps left.' },
    ]);
    expect(turns).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'bash', input: { command: 'ls' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }, { type: 'text', text: 'You have 3 steps left.' }] },
    ]);
  });

  it('puts tool_result blocks first even when a user message came between call and result', () => {
    const turns = toAnthropicMessages([
      { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'bash', arguments: '{}' }] },
      { role: 'user', content: 'note' },
      { role: 'tool', toolCallId: 't1', name: 'bash', content: 'out' },
    ]);
    expect(turns[1]?.content.map((b) => b.type)).toEqual(['tool_result', 'text']);
  });

  it('sends arguments that are not a JSON object as an empty input object', () => {
    const [turn] = toAnthropicMessages([{ role: 'assistant', content: 'x', toolCalls: [{ id: 't', name: 'bash', arguments: '{"command": ' }] }]);
    expect(turn?.content[1]).toEqual({ type: 'tool_use', id: 't', name: 'bash', input: {} });
  });
});
