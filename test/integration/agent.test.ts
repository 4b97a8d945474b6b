import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentChoice } from '../../src/agent/agents.js';
import type { AgentLimits } from '../../src/agent/loop.js';
import { runAgents } from '../../src/run/agent-run.js';
import { readTrajectory } from '../../src/agent/trajectory.js';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { startScriptedModelServer, type ScriptedModelServer, type ServerTurn } from '../helpers/scripted-model-server.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'agent-test-'));
const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs'), concurrency: 2 }, state_dir: path.join(work, 'state'), repo_cache: path.join(work, 'repos') });
const demo = loadDataset(path.join(PROJECT_ROOT, 'instances/demo')).instances;
const textkit = demo.find((i) => i.instance_id === 'demo__textkit-1')!;
const limits: AgentLimits = { maxSteps: 20, maxCostUsd: 5, maxTokens: 1e7, maxWallSeconds: 600, maxFormatErrors: 3 };

function run(runId: string, choice: AgentChoice, instances = demo, signal = new AbortController().signal) {
  return runAgents({ config, runId, instances, choice, samples: 1, concurrency: 2, limits, bash: true, signal });
}

describe('built-in agents on the demo dataset (real Docker)', () => {
  it('gold, through the apply_diff tool, resolves every instance', async () => {
    const outcome = await run('test-agent-gold', { agent: 'gold' });
    expect(outcome.episodes.map((e) => e.exit_status)).toEqual(demo.map(() => 'submitted'));
    expect(Object.values(outcome.resolved)).toEqual(demo.map(() => true));
    const trajectory = readTrajectory(path.join(config.run.root, 'test-agent-gold/agent/demo__textkit-1/0/trajectory.jsonl'));
    expect(trajectory.steps[0]?.tool_calls[0]).toMatchObject({ name: 'apply_diff', is_error: false });
    expect(trajectory.end?.exit_status).toBe('submitted');
  });

  it('replay re-executes the recorded tool calls without a model and resolves every instance', async () => {
    const outcome = await run('test-agent-replay', { agent: 'replay', replayFrom: path.join(config.run.root, 'test-agent-gold/agent') });
    expect(Object.values(outcome.resolved)).toEqual(demo.map(() => true));
    expect(outcome.episodes[0]?.model).toBe('replay:gold');
  });

  it('empty submits at once and resolves nothing', async () => {
    const outcome = await run('test-agent-empty', { agent: 'empty' }, [textkit]);
    expect(outcome.episodes[0]).toMatchObject({ exit_status: 'submitted', patch: '' });
    expect(outcome.resolved['demo__textkit-1#0']).toBe(false);
  });
});

describe('a model agent over the OpenAI wire format, interrupted and resumed (real Docker)', () => {
  let server: ScriptedModelServer;
  beforeAll(async () => {
    server = await startScriptedModelServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const turns = (): ServerTurn[] => [
    { kind: 'answer', toolCalls: [{ name: 'list_dir', arguments: {} }], usage: { input: 1000, output: 20 } },
    { kind: 'answer', toolCalls: [{ name: 'apply_diff', arguments: { diff: textkit.patch } }], usage: { input: 1200, output: 300 } },
    { kind: 'answer', text: 'running the tests', toolCalls: [{ name: 'run_tests', arguments: { files: ['tests/test_slugify.py'] } }], usage: { input: 1500, output: 30 }, delayMs: 4000 },
    { kind: 'answer', toolCalls: [{ name: 'submit', arguments: {} }], usage: { input: 1800, output: 5 } },
  ];
  const choice = (): AgentChoice => ({ agent: 'model', model: { provider: 'openai', model: 'scripted-gpt', base_url: `${server.url}/v1`, api_key_env: null, retry_base_ms: 1, prices: { input: 1, output: 2 } } });

  async function interruptAtThirdQuery(runId: string) {
    server.script(turns());
    const abort = new AbortController();
    const watcher = setInterval(() => {
      if (server.requests.length >= 3) abort.abort();
    }, 50);
    const first = await run(runId, choice(), [textkit], abort.signal);
    clearInterval(watcher);
    expect(first.episodes[0]?.exit_status).toBe('cancelled');
    const dir = path.join(config.run.root, runId, 'agent/demo__textkit-1/0');
    expect(existsSync(path.join(dir, 'result.json'))).toBe(false);
    expect(readTrajectory(path.join(dir, 'trajectory.jsonl')).steps).toHaveLength(2);
    return dir;
  }

  it('resumes from its trajectory and its session, and ends as an uninterrupted run does', async () => {
    server.script(turns());
    const straight = await run('test-model-straight', choice(), [textkit]);
    expect(straight.episodes[0]).toMatchObject({ exit_status: 'submitted', steps: 4 });

    const dir = await interruptAtThirdQuery('test-model-resume');
    server.script(turns().slice(2));
    const resumed = await run('test-model-resume', choice(), [textkit]);
    expect(resumed.episodes[0]).toMatchObject({ exit_status: 'submitted', steps: 4, patch: straight.episodes[0]!.patch });
    expect(resumed.resolved['demo__textkit-1#0']).toBe(true);
    expect(resumed.episodes[0]!.cost_usd).toBeCloseTo(straight.episodes[0]!.cost_usd, 10);
    // The first query after the resume carried the whole history so far.
    const body = server.requests[0]!.body as { messages: unknown[] };
    expect(body.messages).toHaveLength(2 + 2 * 2);
    expect(readTrajectory(path.join(dir, 'trajectory.jsonl')).steps).toHaveLength(4);
  });

  it('runs the same episode over the Anthropic wire format and resolves', async () => {
    server.script(turns());
    const anthropic: AgentChoice = { agent: 'model', model: { provider: 'anthropic', model: 'scripted-claude', base_url: server.url, api_key_env: null, retry_base_ms: 1 } };
    const outcome = await run('test-model-anthropic', anthropic, [textkit]);
    expect(outcome.episodes[0]).toMatchObject({ exit_status: 'submitted', steps: 4 });
    expect(outcome.resolved['demo__textkit-1#0']).toBe(true);
    expect(server.requests.every((r) => r.path.endsWith('/v1/messages'))).toBe(true);
    // The tool results went back as tool_result blocks of a user turn.
    const last = server.requests.at(-1)!.body as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(last.messages.at(-1))).toContain('tool_result');
  });

  it('rebuilds the state in a new session when the old one is gone', async () => {
    const dir = await interruptAtThirdQuery('test-model-gone');
    const docker = new Docker();
    const leftovers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: ['swe-harness.run=test-model-gone'] }) });
    expect(leftovers).toHaveLength(1);
    await docker.getContainer(leftovers[0]!.Id).remove({ force: true });
    server.script(turns().slice(2));
    const resumed = await run('test-model-gone', choice(), [textkit]);
    expect(resumed.episodes[0]).toMatchObject({ exit_status: 'submitted', steps: 4 });
    expect(resumed.episodes[0]!.patch).toContain('def slugify');
    expect(resumed.resolved['demo__textkit-1#0']).toBe(true);
    expect(existsSync(path.join(dir, 'result.json'))).toBe(true);
  });
});
