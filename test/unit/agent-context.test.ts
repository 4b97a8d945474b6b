import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { contextPolicy, loadAgent } from '../../src/agent/agent-config.js';
import { runAgentLoop, type AgentLimits } from '../../src/agent/loop.js';
import { elidedAfter, messagesAfter, readTrajectory, TrajectoryWriter } from '../../src/agent/trajectory.js';
import { createModelProvider } from '../../src/model/registry.js';
import type { ChatMessage } from '../../src/model/types.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import type { ToolContext } from '../../src/tools/tool.js';
import { toolsFromConfig } from '../../src/tools/toolset.js';
import { startScriptedModelServer, type ScriptedModelServer, type ServerTurn } from '../helpers/scripted-model-server.js';

// The model is a real HTTP client against a scripted server, in both wire formats; the sandbox
// is a stand-in that answers every command with a long output (the loop and the context policy
// are under test; the tools run against Docker in test/integration).
const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-context-'));
const limits: AgentLimits = { maxSteps: 30, maxCostUsd: 100, maxTokens: 1e9, maxWallSeconds: 600, maxFormatErrors: 3 };
const executed: string[] = [];
const sandbox = {
  workdir: '/testbed',
  exec: async (command: string) => {
    executed.push(command);
    return { exitCode: 0, output: `${command}\n${'x'.repeat(2000)}`, timedOut: false, truncated: false, durationMs: 1 };
  },
  diff: async () => '',
} as unknown as Sandbox;

let server: ScriptedModelServer;
beforeAll(async () => {
  server = await startScriptedModelServer();
});
afterAll(() => server.close());

function agent(name: string, content: Record<string, unknown>) {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, stringify({ system_template: 'sys', instance_template: 'fix it', ...content }));
  return loadAgent(file);
}

const FORMATS = ['openai', 'anthropic'] as const;
type Format = (typeof FORMATS)[number];

function provider(format: Format, prices = { input: 3, output: 15 }) {
  const base = format === 'openai' ? `${server.url}/v1` : server.url;
  return createModelProvider({ provider: format, model: `scripted-${format}`, base_url: base, api_key_env: null, max_attempts: 2, retry_base_ms: 1, prices });
}

async function run(format: Format, loaded: ReturnType<typeof agent>, turns: ServerTurn[], contextWindow?: number) {
  server.script(turns);
  executed.length = 0;
  const file = path.join(mkdtempSync(path.join(dir, 'run-')), 'trajectory.jsonl');
  const model = provider(format);
  const ctx: ToolContext = { sandbox, task: { instanceId: 'x', testCommand: '', logParser: 'pytest' }, signal: new AbortController().signal, outputCapBytes: 100_000 };
  const messages: ChatMessage[] = [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'fix it' },
  ];
  const outcome = await runAgentLoop({
    model,
    tools: toolsFromConfig(loaded.config.tools),
    toolContext: ctx,
    messages,
    limits,
    trajectory: new TrajectoryWriter(file),
    spent: { steps: 0, costUsd: 0, tokens: 0, wallMs: 0, formatErrors: 0 },
    context: contextPolicy(loaded, { model: model.model, contextWindow }),
  });
  return { outcome, messages, trajectory: readTrajectory(file), file };
}

const bash = (command: string, input = 0): ServerTurn => ({ kind: 'answer', toolCalls: [{ name: 'bash', arguments: { command } }], usage: { input, output: 10 } });
const submit: ServerTurn = { kind: 'answer', toolCalls: [{ name: 'submit', arguments: {} }] };

/** The tool names a request offered, in either wire format. */
function offered(index: number): string[] {
  const body = server.requests[index]?.body as { tools?: Array<{ name?: string; function?: { name: string } }> };
  return (body.tools ?? []).map((t) => t.name ?? t.function?.name ?? '?');
}

describe.each(FORMATS)('an agent config over the %s wire format', (format) => {
  it('offers only the tools it lists, and a call to another tool gets an error observation', async () => {
    const loaded = agent('no-bash', { tools: { read_file: null, submit: null } });
    const { outcome, trajectory } = await run(format, loaded, [bash('rm -rf /'), submit]);
    expect(outcome.exitStatus).toBe('submitted');
    expect(offered(0)).toEqual(['read_file', 'submit']);
    expect(trajectory.steps[0]?.tool_calls[0]).toMatchObject({ name: 'bash', is_error: true, output: 'unknown tool "bash"; available: read_file, submit' });
    expect(executed).toEqual([]);
  });

  it('applies per-tool options: the default timeout and the output cap of bash', async () => {
    const loaded = agent('capped', { tools: { bash: { timeout_seconds: 7, output_cap_bytes: 300 }, submit: null } });
    const timeouts: unknown[] = [];
    const exec = sandbox.exec.bind(sandbox);
    (sandbox as { exec: Sandbox['exec'] }).exec = async (command, opts) => {
      timeouts.push(opts?.timeoutSeconds);
      return exec(command, opts);
    };
    try {
      const { trajectory } = await run(format, loaded, [bash('ls'), submit]);
      expect(timeouts).toEqual([7]);
      expect(Buffer.byteLength(trajectory.steps[0]?.tool_calls[0]?.output ?? '')).toBeLessThan(400);
      expect(trajectory.steps[0]?.tool_calls[0]?.output).toMatch(/bytes cut/);
    } finally {
      (sandbox as { exec: Sandbox['exec'] }).exec = exec;
    }
  });

  it('elides older observations once the history reaches the configured share, and records it', async () => {
    // Window 10,000 tokens, elide at 0.5: the provider reports 2,000 more each step.
    const loaded = agent('eliding', { tools: { bash: null, submit: null }, context: { elide_at: 0.5, keep_last: 2, context_window: 10_000 } });
    const turns = [bash('a', 1000), bash('b', 3000), bash('c', 5000), bash('d', 5200), submit];
    const { outcome, trajectory, messages, file } = await run(format, loaded, turns);
    expect(outcome.exitStatus).toBe('submitted');
    const steps = trajectory.steps;
    // Over the share from step 4 on: all but the last two observations are stubs from then on.
    expect(steps.map((s) => s.elided_observations)).toEqual([undefined, undefined, undefined, [0], [1]]);
    // Step 4 saw 5,000 + 10 from the provider plus its estimate of the third observation.
    expect(steps[3]?.context_tokens).toBeGreaterThanOrEqual(5000);
    expect(steps[3]?.context_tokens_after_elision).toBeLessThan(steps[3]?.context_tokens ?? 0);
    // The fourth request carried a stub for the first observation, the last two in full; the fifth two stubs.
    const fourth = server.requests[3]?.rawBody ?? '';
    expect(fourth.match(/output of bash elided to save context/g)).toHaveLength(1);
    expect(fourth).toContain('c\\nxxxx');
    expect(fourth).not.toContain('a\\nxxxx');
    expect(server.requests[4]?.rawBody.match(/output of bash elided to save context/g)).toHaveLength(2);
    // A resumed run rebuilds the same history from the trajectory.
    const rebuilt = messagesAfter(readTrajectory(file));
    expect(rebuilt.filter((m) => m.role === 'tool').map((m) => m.content.slice(0, 14))).toEqual(messages.filter((m) => m.role === 'tool').map((m) => m.content.slice(0, 14)));
    expect([...elidedAfter(readTrajectory(file))]).toEqual([0, 1]);
  });

  it("ends a provider's context-length rejection as context_limit, not model_error", async () => {
    const loaded = agent('plain', { tools: { bash: null, submit: null } });
    const tooLong: ServerTurn =
      format === 'openai'
        ? { kind: 'error', status: 400, message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 140000 tokens.", code: 'context_length_exceeded' }
        : { kind: 'error', status: 400, message: 'prompt is too long: 210000 tokens > 200000 maximum' };
    const { outcome, trajectory } = await run(format, loaded, [bash('ls'), tooLong]);
    expect(outcome).toMatchObject({ exitStatus: 'context_limit', spent: { steps: 1 } });
    expect(trajectory.steps).toHaveLength(1);
    expect(server.requests).toHaveLength(2); // not retried
  });

  it('prices cache reads and writes in the step cost', async () => {
    const loaded = agent('plain', { tools: { bash: null, submit: null } });
    const { outcome, trajectory } = await run(format, loaded, [{ kind: 'answer', toolCalls: [{ name: 'submit', arguments: {} }], usage: { input: 1000, output: 100, cacheRead: 600, cacheWrite: format === 'anthropic' ? 200 : undefined } }]);
    // $3/M input, $15/M output; no cache prices: reads at 0.1x, writes at 1.25x of input.
    // OpenAI's 1000 prompt tokens include the 600 cached; Anthropic's 1000 exclude both cache counts.
    const expected = format === 'openai' ? (400 * 3 + 600 * 0.3 + 100 * 15) / 1e6 : (1000 * 3 + 600 * 0.3 + 200 * 3.75 + 100 * 15) / 1e6;
    expect(trajectory.steps[0]?.cost_usd).toBeCloseTo(expected, 12);
    expect(outcome.spent.costUsd).toBeCloseTo(expected, 12);
  });

  it('runs parallel tool calls in order and records each', async () => {
    const loaded = agent('plain', { tools: { bash: null, submit: null } });
    const both: ServerTurn = { kind: 'answer', toolCalls: [{ id: 'c1', name: 'bash', arguments: { command: 'first' } }, { id: 'c2', name: 'bash', arguments: { command: 'second' } }] };
    const { trajectory } = await run(format, loaded, [both, submit]);
    expect(executed).toEqual(['first', 'second']);
    expect(trajectory.steps[0]?.tool_calls.map((c) => [c.id, c.output.split('\n')[1]])).toEqual([
      ['c1', 'first'],
      ['c2', 'second'],
    ]);
    const second = server.requests[1]?.rawBody ?? '';
    expect(second.indexOf('first\\n')).toBeLessThan(second.indexOf('second\\n'));
  });
});

describe('the history size the context policy reads', () => {
  it('is an estimate (4 characters a token) before the first answer, then the provider count plus an estimate of what came since', async () => {
    const { ContextTracker } = await import('../../src/agent/context.js');
    const tracker = new ContextTracker();
    const history: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(400) }];
    expect(tracker.tokens(history)).toBe(100);
    history.push({ role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 'bash', arguments: '{}' }] });
    tracker.observe({ inputTokens: 5000, outputTokens: 20 }, history.length);
    history.push({ role: 'tool', toolCallId: 'c', name: 'bash', content: 'y'.repeat(800) });
    expect(tracker.tokens(history)).toBe(5020 + 200);
    // A server that reports no usage leaves the estimate in charge.
    tracker.observe({ inputTokens: 0, outputTokens: 0 }, history.length);
    expect(tracker.tokens(history)).toBe(Math.ceil((400 + 6 + 800) / 4));
  });
});
