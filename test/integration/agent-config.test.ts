import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgent } from '../../src/agent/agent-config.js';
import type { AgentChoice } from '../../src/agent/agents.js';
import type { AgentLimits } from '../../src/agent/loop.js';
import { runAgents } from '../../src/run/agent-run.js';
import { readTrajectory } from '../../src/agent/trajectory.js';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'agent-config-test-'));
const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs'), concurrency: 1 }, state_dir: path.join(work, 'state'), repo_cache: path.join(work, 'repos') });
const textkit = loadDataset(path.join(PROJECT_ROOT, 'instances/demo')).instances.find((i) => i.instance_id === 'demo__textkit-1')!;
const limits: AgentLimits = { maxSteps: 10, maxCostUsd: 5, maxTokens: 1e7, maxWallSeconds: 600, maxFormatErrors: 3 };

describe('the minimal (bash-only) agent config in a real sandbox', () => {
  let server: ScriptedModelServer;
  beforeAll(async () => {
    server = await startScriptedModelServer();
  });
  afterAll(() => server.close());

  const choice = (): AgentChoice => ({ agent: 'model', model: { provider: 'anthropic', model: 'scripted-claude', base_url: server.url, api_key_env: null, retry_base_ms: 1, context_window: 200_000 } });
  const run = (agentConfig: ReturnType<typeof loadAgent>, allowConfigChange = false) =>
    runAgents({ config, runId: 'test-agentcfg-minimal', instances: [textkit], choice: choice(), samples: 1, concurrency: 1, limits, bash: true, agentConfig, allowConfigChange, signal: new AbortController().signal });

  it('lists the repository in the first message, offers bash and submit only, names itself in every result, and refuses a changed config on resume', async () => {
    const minimal = loadAgent('minimal');
    server.script([
      { kind: 'answer', toolCalls: [{ name: 'bash', arguments: { command: `git apply <<'PATCH'\n${textkit.patch}\nPATCH` } }], usage: { input: 1500, output: 200, cacheWrite: 1200 } },
      { kind: 'answer', toolCalls: [{ name: 'submit', arguments: {} }], usage: { input: 300, output: 5, cacheRead: 1200 } },
    ]);
    const outcome = await run(minimal);
    expect(outcome.episodes[0]).toMatchObject({ exit_status: 'submitted', agent_config_name: 'minimal', agent_config_hash: minimal.hash });
    expect(outcome.resolved['demo__textkit-1#0']).toBe(true);

    const trajectory = readTrajectory(path.join(config.run.root, 'test-agentcfg-minimal/agent/demo__textkit-1/0/trajectory.jsonl'));
    expect(trajectory.header).toMatchObject({ agent_config_name: 'minimal', agent_config_hash: minimal.hash, agent_config: { tools: { bash: { timeout_seconds: 120 } } } });
    const task = trajectory.header?.messages[1]?.content ?? '';
    expect(task).toContain(`Repository demo/textkit (version ${textkit.version}) at commit ${textkit.base_commit}.`);
    // The layout, listed by find in the instance image: folders end in /, .git is left out.
    expect(task).toMatch(/^tests\/$/m);
    expect(task).toMatch(/^tests\/test_slugify\.py$/m);
    expect(task).not.toMatch(/^\.git/m);

    const body = server.requests[0]?.body as { tools: Array<{ name: string; cache_control?: unknown }>; system: Array<{ cache_control?: unknown }> };
    expect(body.tools.map((t) => t.name)).toEqual(['bash', 'submit']);
    expect(body.tools.at(-1)?.cache_control).toEqual({ type: 'ephemeral' });
    expect(body.system[0]?.cache_control).toEqual({ type: 'ephemeral' });

    const prediction = JSON.parse(readFileSync(outcome.predictionsFile, 'utf8').trim()) as Record<string, unknown>;
    expect(prediction).toMatchObject({ instance_id: 'demo__textkit-1', agent_config_name: 'minimal', agent_config_hash: minimal.hash });

    await expect(run(loadAgent('default'))).rejects.toThrow(/was started with agent config minimal .*this one is default .*--allow-config-change/);
    // Allowed: the finished episode keeps the config that made it.
    const again = await run(loadAgent('default'), true);
    expect(JSON.parse(readFileSync(again.predictionsFile, 'utf8').trim())).toMatchObject({ agent_config_name: 'minimal', agent_config_hash: minimal.hash });
  });
});
