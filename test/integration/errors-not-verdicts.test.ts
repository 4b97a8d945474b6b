import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAgents, type AgentRunRequest } from '../../src/run/agent-run.js';
import type { AgentChoice } from '../../src/agent/agents.js';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { makeCliTask, runCli } from '../helpers/cli-task.js';
import { makePythonTask } from '../helpers/python-task.js';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server.js';

// Run ids: not `test-`, which the teardown of checkouts before owner labels sweeps on a shared engine.
const limits = { maxSteps: 10, maxCostUsd: 1, maxTokens: 1e6, maxWallSeconds: 300, maxFormatErrors: 3 };

function agentRun(runId: string, choice: AgentChoice, maxSteps = limits.maxSteps): Promise<Awaited<ReturnType<typeof runAgents>>> {
  const task = makePythonTask();
  const config = loadHarnessConfig(undefined, { ...task.config, state_dir: path.join(task.workDir, 'state') });
  const req: AgentRunRequest = { config, runId, instances: [task.instance], choice, samples: 1, concurrency: 1, limits: { ...limits, maxSteps }, bash: true, signal: new AbortController().signal };
  return runAgents(req);
}

/** What an episode whose diff could not be read must end as: an error with its code, in the episode and in grading. */
function expectUnreadablePatchError(outcome: Awaited<ReturnType<typeof runAgents>>): void {
  const episode = outcome.episodes[0]!;
  expect(episode.patch).toBeNull();
  expect(episode.error?.code).toBe('PATCH_UNREADABLE');
  expect(episode.error?.message).toMatch(/git diff failed/);
  const result = outcome.evaluations[0]!.results[0]!;
  expect(result).toMatchObject({ resolved: false, patch_exists: true, patch_is_None: false, error: { code: 'PATCH_UNREADABLE' } });
  const summary = outcome.evaluations[0]!.summaries[0]!;
  expect(summary).toMatchObject({ error_instances: 1, completed_instances: 0, unresolved_instances: 0, empty_patch_instances: 0 });
  const predictions = readFileSync(outcome.predictionsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(predictions[0]).toMatchObject({ model_patch: null, episode_error: { code: 'PATCH_UNREADABLE' } });
}

describe('an agent diff that cannot be read is an error, never an empty patch graded "not resolved" (real Docker)', () => {
  let server: ScriptedModelServer;
  beforeAll(async () => {
    server = await startScriptedModelServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('unreadable agent diff: the command agent removes .git through the CLI, the episode and its grade are PATCH_UNREADABLE', async () => {
    const program = '$SWE_HARNESS session exec "$SWE_HARNESS_SESSION" -- "sed -i \'s/a - b/a + b/\' calc.py && rm -rf .git"';
    const outcome = await agentRun('ownertest-unreadable-diff-command', { agent: 'command', command: program });
    expect(outcome.episodes[0]!.exit_status).toBe('submitted');
    expectUnreadablePatchError(outcome);
  });

  it('unreadable agent diff: a model agent breaks .git with its bash tool, the episode and its grade are PATCH_UNREADABLE', async () => {
    server.script([
      { kind: 'answer', toolCalls: [{ name: 'bash', arguments: { command: "sed -i 's/a - b/a + b/' calc.py && rm -rf .git" } }] },
      { kind: 'answer', toolCalls: [{ name: 'submit', arguments: {} }] },
    ]);
    const model = { provider: 'openai' as const, model: 'scripted-gpt', base_url: `${server.url}/v1`, api_key_env: null, retry_base_ms: 1 };
    // submit reads the diff too, fails, and says so to the model; the step limit ends the episode.
    const outcome = await agentRun('ownertest-unreadable-diff-model', { agent: 'model', model }, 2);
    expect(outcome.episodes[0]!.exit_status).toBe('step_limit');
    expectUnreadablePatchError(outcome);
  });
});

describe('`run` exits as `evaluate` does: 2 when an instance got an error instead of a verdict (the real CLI)', () => {
  it('run with a grading error (the instance image does not build) exits 2, the episode and the report keep IMAGE_BUILD', async () => {
    const task = makeCliTask((yaml) => `${yaml}    install: ["echo the install step fails >&2; exit 3"]\n`);
    const run = await runCli(['run', '--dataset', task.dataset, '--agent', 'empty', '--run-id', 'ownertest-run-exit-build', '--config', task.configFile]);
    expect(run.status, run.stderr).toBe(2);
    const runDir = path.join(task.workDir, 'runs/ownertest-run-exit-build');
    // The episode could not start; its prediction says so instead of an empty patch.
    const prediction = JSON.parse(readFileSync(path.join(runDir, 'predictions.jsonl'), 'utf8')) as Record<string, unknown>;
    expect(prediction).toMatchObject({ model_patch: null, episode_error: { code: 'IMAGE_BUILD' } });
    expect(run.stderr).toMatch(/test__calc-1#0: error after 0 step\(s\), patch unknown \(error IMAGE_BUILD/);
    const report = JSON.parse(readFileSync(path.join(runDir, 'empty/test__calc-1/report.json'), 'utf8')) as Record<string, { error?: { code: string } }>;
    expect(report['test__calc-1']?.error?.code).toBe('IMAGE_BUILD');
    expect(run.stdout).toMatch(/IMAGE_BUILD/);
  });

  it('run whose grading itself fails (the tests run over their timeout) exits 2, and evaluate of the same patch exits 2 too', async () => {
    const task = makeCliTask((yaml) => yaml.replace('test_cmd: "', 'test_cmd: "sleep 30; ').replace('test: 60', 'test: 3'));
    const run = await runCli(['run', '--dataset', task.dataset, '--agent', 'gold', '--run-id', 'ownertest-run-exit-timeout', '--config', task.configFile]);
    expect(run.status, run.stderr).toBe(2);
    const report = JSON.parse(readFileSync(path.join(task.workDir, 'runs/ownertest-run-exit-timeout/gold/test__calc-1/report.json'), 'utf8')) as Record<string, { error?: { code: string } }>;
    expect(report['test__calc-1']?.error?.code).toBe('TEST_TIMEOUT');
    const evaluate = await runCli(['evaluate', '--dataset', task.dataset, '--predictions', 'gold', '--run-id', 'ownertest-evaluate-exit-timeout', '--config', task.configFile]);
    expect(evaluate.status, evaluate.stderr).toBe(2);
  });
});
