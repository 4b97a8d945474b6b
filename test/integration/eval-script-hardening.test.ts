import { describe, expect, it } from 'vitest';
import { SpecRegistry } from '../../src/config/spec-registry.js';
import { containerRuntime } from '../../src/runtime/registry.js';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import { makeTestSpec } from '../../src/test-spec/test-spec.js';
import { makePythonTask } from '../helpers/python-task.js';

/**
 * eval.sh's own defence, with the attack planted by hand in the container (a patch cannot
 * write under .git any more): its git commands run no hook.
 */
describe('eval.sh against a planted git hook (real Docker)', () => {
  it('runs no hook', async () => {
    const task = makePythonTask();
    const predictions = new Map([[task.instance.instance_id, { instance_id: task.instance.instance_id, model_name_or_path: 'empty', model_patch: '' }]]);
    const built = await runEvaluation({ config: task.config, runId: 'test-eval-hardening', instances: [task.instance], predictions, concurrency: 1 });
    const spec = makeTestSpec(task.instance, new SpecRegistry(task.config.spec_dirs).resolve('test/calc', '0.1'), task.config);
    await using box = await containerRuntime().start({ image: built.results[0]!.images!.instance, labels: { 'swe-harness.run': 'test-eval-hardening' }, limits: { memoryMb: 512, cpus: 1, pids: 256, network: false } });
    const hook = '#!/bin/sh\ntouch /tmp/hook-ran\n';
    await box.putFiles({ 'swe-harness/eval.sh': spec.evalScript, hook }, '/tmp');
    const opts = { timeoutMs: 60_000, outputCapBytes: 1 << 20, workdir: '/testbed' };
    await box.exec(['bash', '-c', 'install -m 755 /tmp/hook .git/hooks/post-checkout && install -m 755 /tmp/hook .git/hooks/post-merge'], opts);
    const run = await box.exec(['bash', '/tmp/swe-harness/eval.sh'], opts);
    expect(run.output).toContain('FAILED tests/test_calc.py::test_add');
    expect(run.exitCode).toBe(1);
    // eval.sh's git checkouts ran no hook.
    expect((await box.exec(['bash', '-c', 'ls /tmp/hook-ran 2>/dev/null | wc -l'], opts)).output.trim()).toBe('0');
  });
});
