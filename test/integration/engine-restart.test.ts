import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import { makePythonTask, SOURCE_FIXED } from '../helpers/python-task.js';

/** Stops dockerd (as a crash or an upgrade would) and starts it again with the project's script. */
function restartDockerd(): void {
  spawnSync('pkill', ['-TERM', '-x', 'dockerd']);
  for (let i = 0; i < 100 && spawnSync('pgrep', ['-x', 'dockerd']).status === 0; i++) execFileSync('sleep', ['0.2']);
  execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts/ensure-docker.sh')], { stdio: 'ignore' });
}

async function gradingContainerRunning(runId: string): Promise<boolean> {
  const list = await new Docker().listContainers({ filters: JSON.stringify({ label: [`swe-harness.run=${runId}`] }) }).catch(() => []);
  return list.length > 0;
}

describe('the Docker engine restarted in the middle of a run (real dockerd)', () => {
  it('gives the affected instance an infrastructure error class, retries it, and the run completes', async () => {
    const task = makePythonTask();
    // A gold fix whose tests take a few seconds, so the restart lands while they run.
    const slowGold = task.patchWith(SOURCE_FIXED.replace('def add(a, b):\n', 'import time\n\n\ndef add(a, b):\n    time.sleep(1)\n').replace('def mul(a, b):\n', 'def mul(a, b):\n    time.sleep(4)\n'));
    const predictions = new Map([[task.instance.instance_id, { instance_id: task.instance.instance_id, model_name_or_path: 'gold', model_patch: slowGold }]]);
    const running = runEvaluation({ config: task.config, runId: 'test-engine-restart', instances: [task.instance], predictions, concurrency: 1 });
    for (let i = 0; i < 600 && !(await gradingContainerRunning('test-engine-restart')); i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    restartDockerd();
    const outcome = await running;
    const result = outcome.results[0]!;
    expect(result.infra_retries).toBeGreaterThanOrEqual(1);
    expect(result.infra_errors?.[0]?.code).toBe('INFRA');
    expect(result.error).toBeUndefined();
    expect(result.resolved).toBe(true);
    expect(outcome.summaries[0]).toMatchObject({ completed_instances: 1, resolved_instances: 1, error_instances: 0 });
    const left = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: ['swe-harness.run=test-engine-restart'] }) });
    expect(left).toHaveLength(0);
  });
});
