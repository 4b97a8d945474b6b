import { describe, expect, it } from 'vitest';
import { ScriptedModel } from '../../src/model/scripted.js';
import type { ChatMessage } from '../../src/model/types.js';

describe('ScriptedModel', () => {
  it('replays its steps in order, with tool calls as JSON text, and then runs out', async () => {
    const model = new ScriptedModel([
      { content: 'Looking.', toolCalls: [{ name: 'bash', arguments: { command: 'ls' } }] },
      { toolCalls: [{ name: 'bash', arguments: '{"command": ' }] },
      { content: 'Done.', usage: { inputTokens: 10, outputTokens: 2 }, costUsd: 0.5 },
    ]);
    const history: ChatMessage[] = [{ role: 'user', content: 'go' }];
    const first = await model.query(history, [], {});
    expect(first.message).toEqual({
      role: 'assistant',
      content: 'Looking.',
      toolCalls: [{ id: 'call_0_0', name: 'bash', arguments: '{"command":"ls"}' }],
    });
    expect(first.stopReason).toBe('tool_calls');
    expect((await model.query(history, [], {})).message.toolCalls?.[0]?.arguments).toBe('{"command": ');
    expect(await model.query(history, [], {})).toMatchObject({
      message: { content: 'Done.' },
      usage: { inputTokens: 10, outputTokens: 2 },
      costUsd: 0.5,
      stopReason: 'stop',
    });
    expect(model.remaining).toBe(0);
    await expect(model.query(history, [], {})).rejects.toMatchObject({ code: 'MODEL_ERROR', message: expect.stringContaining('script exhausted') });
  });

  it('records each query as it was, though the loop goes on appending to the history', async () => {
    const model = new ScriptedModel([{ content: 'a' }, { content: 'b' }]);
    const history: ChatMessage[] = [{ role: 'user', content: 'go' }];
    history.push((await model.query(history, [], {})).message);
    await model.query(history, [], {});
    expect(model.calls.map((c) => c.messages.length)).toEqual([1, 2]);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new ScriptedModel([{ content: 'a' }]).query([], [], { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
