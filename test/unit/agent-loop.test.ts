import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runAgentLoop, type AgentLimits } from '../../src/agent/loop.js';
import { readTrajectory, TrajectoryWriter } from '../../src/agent/trajectory.js';
import { ScriptedModel, type ScriptedStep } from '../../src/model/scripted.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { defineTool, type ToolContext } from '../../src/tools/tool.js';

// Tools of the test's own that never touch the sandbox: the loop's limits and statuses are
// what is under test here; the real tools run against Docker in test/integration.
const tools = [
  defineTool({ id: 'note', description: 'records a note', parameters: z.object({ text: z.string() }), execute: async (a) => ({ output: `noted ${a.text}` }) }),
  defineTool({ id: 'submit', description: 'done', parameters: z.object({}), execute: async () => ({ output: 'submitted', submitted: true }) }),
];

const limits: AgentLimits = { maxSteps: 10, maxCostUsd: 1, maxTokens: 1e6, maxWallSeconds: 600, maxFormatErrors: 2 };

async function run(steps: ScriptedStep[], overrides: Partial<AgentLimits> = {}) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'loop-')), 'trajectory.jsonl');
  const model = new ScriptedModel(steps);
  const ctx: ToolContext = { sandbox: {} as Sandbox, task: { instanceId: 'x', testCommand: '', logParser: 'pytest' }, signal: new AbortController().signal, outputCapBytes: 10_000 };
  const outcome = await runAgentLoop({
    model,
    tools,
    toolContext: ctx,
    messages: [{ role: 'user', content: 'go' }],
    limits: { ...limits, ...overrides },
    trajectory: new TrajectoryWriter(file),
    spent: { steps: 0, costUsd: 0, tokens: 0, wallMs: 0, formatErrors: 0 },
  });
  return { outcome, model, trajectory: readTrajectory(file) };
}

const note = (text: string): ScriptedStep => ({ toolCalls: [{ name: 'note', arguments: { text } }], usage: { inputTokens: 100, outputTokens: 10 }, costUsd: 0.3 });
const submit: ScriptedStep = { toolCalls: [{ name: 'submit', arguments: {} }] };

describe('runAgentLoop', () => {
  it('runs until submit, writing a trajectory step per step with observations', async () => {
    const { outcome, model, trajectory } = await run([note('a'), submit]);
    expect(outcome.exitStatus).toBe('submitted');
    expect(outcome.spent).toMatchObject({ steps: 2, tokens: 110 });
    expect(trajectory.steps.map((s) => s.tool_calls.map((c) => c.output))).toEqual([['noted a'], ['submitted']]);
    // The second query saw the first tool result.
    expect(model.calls[1]?.messages.at(-1)).toMatchObject({ role: 'tool', content: 'noted a' });
  });

  it('stops at the step limit and at the cost limit', async () => {
    expect((await run([note('a'), note('b'), note('c')], { maxSteps: 2 })).outcome.exitStatus).toBe('step_limit');
    expect((await run([note('a'), note('b'), note('c'), note('d')])).outcome).toMatchObject({ exitStatus: 'cost_limit', spent: { steps: 4 } });
  });

  it('tells the model when it called no tool, and gives up after too many in a row', async () => {
    const { outcome, model } = await run([{ content: 'thinking' }, { content: 'still thinking' }, submit]);
    expect(outcome.exitStatus).toBe('format_error');
    expect(model.calls[1]?.messages.at(-1)).toMatchObject({ role: 'user' });
    expect((await run([{ content: 'hm' }, note('x'), { content: 'hm' }, submit])).outcome.exitStatus).toBe('submitted');
  });

  it('returns bad arguments to the model as an error it can act on', async () => {
    const { trajectory } = await run([{ toolCalls: [{ name: 'note', arguments: '{"text": 3' }] }, { toolCalls: [{ name: 'note', arguments: { text: 3 } }] }, submit]);
    expect(trajectory.steps[0]?.tool_calls[0]).toMatchObject({ is_error: true });
    expect(trajectory.steps[0]?.tool_calls[0]?.output).toMatch(/not valid JSON/);
    expect(trajectory.steps[1]?.tool_calls[0]?.output).toMatch(/invalid arguments for note:\n- text: /);
  });

  it('ends with model_error when the model fails', async () => {
    const { outcome } = await run([note('a')]);
    expect(outcome).toMatchObject({ exitStatus: 'model_error', spent: { steps: 1 } });
    expect(outcome.message).toMatch(/script exhausted/);
    // The failure keeps its own code, so the run reports it as that error, not as a verdict.
    expect(outcome.errorCode).toBe('MODEL_ERROR');
  });
});
