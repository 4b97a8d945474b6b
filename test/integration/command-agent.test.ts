import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAgents } from '../../src/run/agent-run.js';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { makePythonTask } from '../helpers/python-task.js';

describe('the command agent: an outside program drives the session through the CLI (real Docker)', () => {
  it('runs the program with the problem statement and the session, and its change is the graded patch', async () => {
    const task = makePythonTask();
    const config = loadHarnessConfig(undefined, { ...task.config, state_dir: path.join(task.workDir, 'state') });
    // The "agent": reads the problem, fixes calc.py through `session exec`, checks with the tests.
    const program = [
      'grep -q subtracts "$SWE_HARNESS_PROBLEM_FILE"',
      '$SWE_HARNESS session exec "$SWE_HARNESS_SESSION" -- "sed -i \'s/a - b/a + b/\' calc.py"',
      '$SWE_HARNESS session exec "$SWE_HARNESS_SESSION" -- "python3 -m pytest -q tests" > tests.log',
    ].join(' && ');
    const outcome = await runAgents({
      config,
      runId: 'test-command-agent',
      instances: [task.instance],
      choice: { agent: 'command', command: program },
      samples: 1,
      concurrency: 1,
      limits: { maxSteps: 10, maxCostUsd: 1, maxTokens: 1e6, maxWallSeconds: 300, maxFormatErrors: 3 },
      bash: true,
      signal: new AbortController().signal,
    });
    const episode = outcome.episodes[0]!;
    expect(episode.exit_status, episode.message).toBe('submitted');
    expect(episode.patch).toContain('+    return a + b');
    expect(outcome.resolved['test__calc-1#0']).toBe(true);
    const episodeDir = path.join(config.run.root, 'test-command-agent/agent/test__calc-1/0');
    expect(readFileSync(path.join(episodeDir, 'tests.log'), 'utf8')).toMatch(/passed/);
  });
});
