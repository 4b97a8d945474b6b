import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import type { Prediction } from '../../src/instance/predictions.js';
import { makePythonTask, SOURCE_FIXED, SPEC_YAML, type PythonTask } from '../helpers/python-task.js';

function predict(task: PythonTask, patch: string | null, model = 'm'): Map<string, Prediction> {
  return new Map([[task.instance.instance_id, { instance_id: task.instance.instance_id, model_name_or_path: model, model_patch: patch }]]);
}

async function evaluate(task: PythonTask, patch: string | null, runId: string, model = 'm') {
  const outcome = await runEvaluation({ config: task.config, runId, instances: [task.instance], predictions: predict(task, patch, model), concurrency: 1 });
  return { result: outcome.results[0]!, summary: outcome.summaries[0]!, runDir: outcome.runDir };
}

async function leftoverContainers(runId: string): Promise<number> {
  const list = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: [`swe-harness.run=${runId}`] }) });
  return list.length;
}

describe('evaluate (real Docker, a real repo made in the test)', () => {
  let task: PythonTask;
  beforeAll(() => {
    task = makePythonTask();
  });

  it('resolves the gold patch and writes SWE-bench-shaped reports', async () => {
    const { result, summary, runDir } = await evaluate(task, task.instance.patch, 'test-gold');
    expect(result.error).toBeUndefined();
    expect(result.resolved).toBe(true);
    expect(result.resolution).toBe('FULL');
    expect(result.tests_status?.FAIL_TO_PASS).toEqual({ success: ['tests/test_calc.py::test_add'], failure: [] });
    expect(result.tests_status?.PASS_TO_PASS).toEqual({ success: ['tests/test_calc.py::test_mul'], failure: [] });
    expect(summary).toMatchObject({ total_instances: 1, submitted_instances: 1, completed_instances: 1, resolved_instances: 1, error_instances: 0 });
    const dir = path.join(runDir, 'm', task.instance.instance_id);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report[task.instance.instance_id]).toMatchObject({ patch_is_None: false, patch_exists: true, patch_successfully_applied: true, resolved: true, patch_apply_method: 'git apply' });
    expect(readFileSync(path.join(dir, 'test_output.txt'), 'utf8')).toContain('PASSED tests/test_calc.py::test_add');
    expect(readFileSync(path.join(dir, 'eval.sh'), 'utf8')).toContain('>>>>> Start Test Output');
    expect(readFileSync(path.join(dir, 'patch.diff'), 'utf8')).toBe(task.instance.patch);
    expect(await leftoverContainers('test-gold')).toBe(0);
  });

  it('does not resolve the empty patch: FAIL_TO_PASS fails, PASS_TO_PASS still passes', async () => {
    const { result, summary } = await evaluate(task, '', 'test-empty');
    expect(result.resolved).toBe(false);
    expect(result.patch_exists).toBe(false);
    expect(result.tests_status?.FAIL_TO_PASS.failure).toEqual(['tests/test_calc.py::test_add']);
    expect(result.tests_status?.PASS_TO_PASS.success).toEqual(['tests/test_calc.py::test_mul']);
    expect(summary).toMatchObject({ empty_patch_instances: 1, resolved_instances: 0 });
  });

  it('records a patch that applies in no way as PATCH_APPLY, unresolved, not as an error', async () => {
    const bad = task.instance.patch.replace('return a - b', 'return a - b - c - d');
    const { result, summary } = await evaluate(task, bad, 'test-badpatch');
    expect(result.patch_successfully_applied).toBe(false);
    expect(result.error).toBeUndefined();
    expect(result.verdict_reason?.code).toBe('PATCH_APPLY');
    expect(summary).toMatchObject({ completed_instances: 1, unresolved_instances: 1, error_instances: 0 });
  });

  it('falls back to patch --fuzz when strict git apply fails, and still resolves', async () => {
    const fuzzy = task.instance.patch.replace(' def mul(a, b):', ' def mul(x, y):');
    expect(fuzzy).not.toBe(task.instance.patch);
    const { result } = await evaluate(task, fuzzy, 'test-fuzz');
    expect(result.patch_apply_method).toBe('patch --fuzz=5');
    expect(result.resolved).toBe(true);
  });

  it('is not fooled by a patch that prints PASSED lines for the failing test', async () => {
    const spoof = task.patchWith(SOURCE_FIXED.replace('    return a + b', "    print('\\nPASSED tests/test_calc.py::test_add')\n    return a * b"));
    const { result } = await evaluate(task, spoof, 'test-spoof');
    expect(result.patch_successfully_applied).toBe(true);
    expect(result.resolved).toBe(false);
    expect(result.tests_status?.FAIL_TO_PASS.failure).toEqual(['tests/test_calc.py::test_add']);
  });

  it('reuses a result made by the same patch, image and spec, and redoes it when the patch changes', async () => {
    const first = await evaluate(task, task.instance.patch, 'test-resume');
    const again = await evaluate(task, task.instance.patch, 'test-resume');
    expect(again.result.finished_at).toBe(first.result.finished_at);
    const changed = await evaluate(task, '', 'test-resume');
    expect(changed.result.finished_at).not.toBe(first.result.finished_at);
    expect(changed.result.resolved).toBe(false);
  });

  it('kills tests that run over the timeout and removes the container', async () => {
    const slow = makePythonTask({ testTimeout: 3 });
    const hang = slow.patchWith(SOURCE_FIXED.replace('    return a + b', '    import time; time.sleep(600)\n    return a + b'));
    const { result } = await evaluate(slow, hang, 'test-timeout');
    expect(result.error?.code).toBe('TEST_TIMEOUT');
    expect(result.resolved).toBe(false);
    expect(await leftoverContainers('test-timeout')).toBe(0);
  });
});

describe('a batch with broken instances goes on', () => {
  it('records a failed build with its log, an unknown repo with the spec file to write, and grades the rest', async () => {
    const task = makePythonTask();
    const specDir = task.config.spec_dirs[0]!;
    writeFileSync(path.join(specDir, 'test__broken.yaml'), SPEC_YAML.replace('repo: test/calc', 'repo: test/broken').replace('log_parser: pytest', 'log_parser: pytest\n    install: ["echo about to fail; exit 3"]'));
    const broken = { ...task.instance, instance_id: 'test__broken-1', repo: 'test/broken' };
    const unknown = { ...task.instance, instance_id: 'nobody__nothing-1', repo: 'nobody/nothing' };
    const instances = [broken, unknown, task.instance];
    const predictions = new Map(instances.map((i) => [i.instance_id, { instance_id: i.instance_id, model_name_or_path: 'gold', model_patch: i.patch }]));
    const outcome = await runEvaluation({ config: task.config, runId: 'test-batch', instances, predictions, concurrency: 2 });
    const byId = new Map(outcome.results.map((r) => [r.instance_id, r]));

    const build = byId.get('test__broken-1')!;
    expect(build.error?.code).toBe('IMAGE_BUILD');
    expect(readFileSync(build.error!.log_path!, 'utf8')).toContain('about to fail');
    expect(byId.get('nobody__nothing-1')?.error).toMatchObject({ code: 'SPEC_NOT_FOUND' });
    expect(byId.get('nobody__nothing-1')?.error?.message).toContain(path.join(specDir, 'nobody__nothing.yaml'));
    expect(byId.get(task.instance.instance_id)?.resolved).toBe(true);
    expect(outcome.summaries[0]).toMatchObject({ submitted_instances: 3, completed_instances: 1, resolved_instances: 1, error_instances: 2 });
  });
});
