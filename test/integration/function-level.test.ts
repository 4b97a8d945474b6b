import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT, type HarnessConfig } from '../../src/config/harness-config.js';
import { validateProblemRecords, loadProblems } from '../../src/function-level/load-problems.js';
import type { Problem, Sample } from '../../src/function-level/problem.js';
import { loadSamples } from '../../src/function-level/samples.js';
import { ensureRunnerImage, runnerImageTag } from '../../src/function-level/runner-image.js';
import { containerRuntime } from '../../src/runtime/registry.js';
import { runFunctionLevelEvaluation } from '../../src/run/function-level-evaluate.js';
import { startCli } from '../helpers/cli-process.js';

/**
 * Function-level samples through the real sandbox: HumanEval's reference solutions all pass and
 * empty completions all fail; MultiPL-E-format problems run through node, tsc and go; MBPP,
 * EvalPlus (expected outputs from the reference, atol) and stdin/stdout problems are judged.
 */
let config: HarnessConfig;

beforeAll(() => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fl-int-'));
  config = loadHarnessConfig(undefined, { run: { root } });
});

function records(list: unknown[]): Problem[] {
  const set = validateProblemRecords(list.map((value, i) => ({ file: 'test', location: String(i), value })));
  expect(set.rejected).toEqual([]);
  return set.problems;
}

async function evaluate(runId: string, problems: Problem[], samples: Sample[]) {
  return runFunctionLevelEvaluation({ config, runId, problems, samples });
}

function outcomes(results: Array<{ task_id: string; sample_index: number; outcome: string }>): Record<string, string> {
  return Object.fromEntries(results.map((r) => [`${r.task_id}#${r.sample_index}`, r.outcome]));
}

describe('function-level execution', () => {
  it('building the runner image leaves its Dockerfile untouched (every build appended a LABEL line to the shipped file, so its tag changed and it was built again each run)', async () => {
    const dockerfile = path.join(PROJECT_ROOT, 'images/function-level/Dockerfile');
    const before = readFileSync(dockerfile, 'utf8');
    const tag = runnerImageTag(config);
    const id = await ensureRunnerImage(config);
    expect(readFileSync(dockerfile, 'utf8')).toBe(before);
    expect(runnerImageTag(config)).toBe(tag);
    // The labels still reach the image, through the scratch copy's Dockerfile.
    expect((await containerRuntime().imageLabels(id))?.['swe-harness.kind']).toBe('function-level');
  });

  it('passes HumanEval canonical 164/164 and empty completions 0/164, and a rerun reuses every result', async () => {
    const { problems } = await loadProblems('humaneval', { cacheDir: config.dataset_cache });
    const canonical = await evaluate('he-canonical', problems, loadSamples('canonical', problems).samples);
    expect(canonical.summary.outcomes).toEqual({ passed: 164, failed: 0, timeout: 0, error: 0, killed: 0 });
    const empty = await evaluate('he-empty', problems, loadSamples('empty', problems).samples);
    expect(empty.summary.samples).toBe(164);
    expect(empty.summary.outcomes.passed).toBe(0);
    const failed = empty.results.find((r) => r.task_id === 'HumanEval/0');
    expect(failed).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('assert candidate(') });
    const again = await evaluate('he-empty', problems, loadSamples('empty', problems).samples);
    expect(again.reused).toBe(164);
    const lines = readFileSync(path.join(again.runDir, 'function-level/results.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(164);
  });

  it('runs MultiPL-E problems in JavaScript, TypeScript and Go through their toolchains', async () => {
    const problems = records([
      { name: 'add_js', language: 'js', prompt: 'function add(a, b) {\n', tests: 'const assert = require("node:assert");\nassert.deepEqual(add(2, 3), 5);\nassert.deepEqual(add(-1, 1), 0);\n', stop_tokens: ['\nfunction '] },
      { name: 'add_ts', language: 'ts', prompt: 'function add(a: number, b: number): number {\n', tests: 'declare var require: any;\nconst assert = require("node:assert");\nassert.deepEqual(add(2, 3), 5);\n', stop_tokens: [] },
      {
        name: 'add_go',
        language: 'go_test.go',
        prompt: 'package add_test\n\nimport (\n    "testing"\n    "fmt"\n)\n\nfunc add(a int, b int) int {\n',
        tests: 'func TestAdd(t *testing.T) {\n  candidate := add\n  if fmt.Sprintf("%v", candidate(2, 3)) != "5" {\n    t.Errorf("expected 5, got %v", candidate(2, 3))\n  }\n}\n',
        stop_tokens: [],
      },
    ]);
    const samples: Sample[] = [
      { task_id: 'add_js', sample_index: 0, completion: '  return a + b;\n}\n' },
      { task_id: 'add_js', sample_index: 1, completion: '  return a - b;\n}\n' },
      { task_id: 'add_js', sample_index: 2, completion: '  return undefinedThing + b;\n}\n' },
      { task_id: 'add_ts', sample_index: 0, completion: '  return a + b;\n}\n' },
      { task_id: 'add_ts', sample_index: 1, completion: '  return a * b;\n}\n' },
      { task_id: 'add_ts', sample_index: 2, completion: '  return "five";\n}\n' },
      { task_id: 'add_go', sample_index: 0, completion: '    return a + b\n}\n' },
      { task_id: 'add_go', sample_index: 1, completion: '    return a * b\n}\n' },
      { task_id: 'add_go', sample_index: 2, completion: '    return a +\n}\n' },
    ];
    const run = await evaluate('multipl-e', problems, samples);
    expect(outcomes(run.results)).toEqual({
      'add_js#0': 'passed', 'add_js#1': 'failed', 'add_js#2': 'error',
      'add_ts#0': 'passed', 'add_ts#1': 'failed', 'add_ts#2': 'error',
      'add_go#0': 'passed', 'add_go#1': 'failed', 'add_go#2': 'error',
    });
    const detail = (id: string, i: number) => run.results.find((r) => r.task_id === id && r.sample_index === i)?.detail;
    expect(detail('add_js', 2)).toContain('ReferenceError');
    expect(detail('add_ts', 2)).toMatch(/compile: .*TS2322/);
    expect(detail('add_go', 1)).toContain('expected 5, got 6');
    expect(run.summary.by_language).toMatchObject({ javascript: { samples: 3 }, typescript: { samples: 3 }, go: { samples: 3 } });
  });

  it('judges MBPP asserts, EvalPlus inputs against the reference outputs, and stdin/stdout cases', async () => {
    const problems = records([
      { task_id: 2, text: 'Write a function to find the shared elements.', code: 'def similar(a, b):\n    return tuple(sorted(set(a) & set(b)))\n', test_list: ['assert similar((3, 4, 5), (5, 4, 10)) == (4, 5)'], test_setup_code: '', challenge_test_list: [] },
      { task_id: 'Plus/1', prompt: 'def area(r):\n', canonical_solution: '    return 3.14159265 * r * r\n', entry_point: 'area', base_input: [[1.0], [2.0]], plus_input: [[0.5]], atol: 0.001 },
      { task_id: 'Plus/2', prompt: 'def pair(x):\n', canonical_solution: '    return (x, x + 1)\n', entry_point: 'pair', base_input: [[1]], plus_input: [[41]], atol: 0 },
      { question_id: 'sum2', question_content: 'Read two integers and print their sum.', public_test_cases: JSON.stringify([{ input: '1 2\n', output: '3\n', testtype: 'stdin' }]), private_test_cases: JSON.stringify([{ input: '10 -4\n', output: '6\n', testtype: 'stdin' }]), contest_date: '2024-01-02T00:00:00' },
    ]);
    const samples: Sample[] = [
      { task_id: '2', sample_index: 0, completion: 'def similar(a, b):\n    return tuple(sorted(set(a) & set(b)))\n' },
      { task_id: '2', sample_index: 1, completion: 'def similar(a, b):\n    return tuple(set(a) | set(b))\n' },
      // The same completion again shares the result key: regression for identical completions losing their own index.
      { task_id: '2', sample_index: 2, completion: 'def similar(a, b):\n    return tuple(sorted(set(a) & set(b)))\n' },
      // Within atol of the reference: passes; a crude pi: fails on the first input.
      { task_id: 'Plus/1', sample_index: 0, completion: '    return 3.1416 * r ** 2\n' },
      { task_id: 'Plus/1', sample_index: 1, completion: '    return 3 * r * r\n' },
      // EvalPlus's time limit per input (4x the reference's time, at least 1 s): right but slow on
      // the plus input fails, even when it catches the alarm; a little slow (under the floor) passes.
      { task_id: 'Plus/1', sample_index: 2, completion: '    import time\n    if r == 0.5:\n        time.sleep(1.6)\n    return 3.14159265 * r * r\n' },
      { task_id: 'Plus/1', sample_index: 3, completion: '    import time\n    if r == 0.5:\n        time.sleep(0.3)\n    return 3.14159265 * r * r\n' },
      { task_id: 'Plus/1', sample_index: 4, completion: '    import time\n    if r == 0.5:\n        try:\n            time.sleep(3)\n        except BaseException:\n            pass\n    return 3.14159265 * r * r\n' },
      // A tuple is expected (pickled, not JSON): a list fails; special-casing the base input fails on the plus input.
      { task_id: 'Plus/2', sample_index: 0, completion: '    return (x, x + 1)\n' },
      { task_id: 'Plus/2', sample_index: 1, completion: '    return [x, x + 1]\n' },
      { task_id: 'Plus/2', sample_index: 2, completion: '    return (1, 2) if x == 1 else (0, 0)\n' },
      { task_id: 'sum2', sample_index: 0, completion: 'a, b = map(int, input().split())\nprint(a + b)\n' },
      { task_id: 'sum2', sample_index: 1, completion: 'a, b = map(int, input().split())\nprint(a * b)\n' },
    ];
    const run = await evaluate('formats', problems, samples);
    expect(outcomes(run.results)).toEqual({
      '2#0': 'passed', '2#1': 'failed', '2#2': 'passed',
      'Plus/1#0': 'passed', 'Plus/1#1': 'failed', 'Plus/1#2': 'failed', 'Plus/1#3': 'passed', 'Plus/1#4': 'failed',
      'Plus/2#0': 'passed', 'Plus/2#1': 'failed', 'Plus/2#2': 'failed',
      'sum2#0': 'passed', 'sum2#1': 'failed',
    });
    const detail = (id: string, i: number) => run.results.find((r) => r.task_id === id && r.sample_index === i)?.detail;
    expect(detail('Plus/2', 2)).toContain('plus input #0');
    expect(detail('Plus/1', 2)).toMatch(/plus input #0 \[0\.5\]: ran past its time limit of 1\.000 s/);
    expect(detail('Plus/1', 4)).toMatch(/plus input #0 \[0\.5\]: ran past its time limit of 1\.000 s/);
    expect(detail('sum2', 1)).toBe("case #0: expected '3', got '2'");
  });

  it('evaluate --samples from the command line: a samples file, refused lines named, exit code 2 for them', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-cli-'));
    const samples = path.join(dir, 'samples.jsonl');
    const lines = [
      { task_id: 'HumanEval/0', completion: '    return True\n' },
      { task_id: 'HumanEval/0', completion: '    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])\n' },
      { task_id: 'HumanEval/999', completion: '' },
      // EvalPlus's whole-program form: right, then wrong.
      { task_id: 'HumanEval/0', solution: 'from typing import List\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n    return any(abs(a - b) < threshold for i, a in enumerate(numbers) for b in numbers[i + 1:])\n' },
      { task_id: 'HumanEval/0', solution: 'def has_close_elements(numbers, threshold):\n    return False\n' },
    ];
    writeFileSync(samples, lines.map((l) => JSON.stringify(l)).join('\n'));
    writeFileSync(path.join(dir, 'config.yaml'), `run: {root: ${JSON.stringify(path.join(dir, 'runs'))}}\n`);
    const cli = startCli(['evaluate', '--dataset', 'humaneval', '--samples', samples, '--run-id', 'cli', '--filter', '^HumanEval/0$', '--config', path.join(dir, 'config.yaml'), '--json'], { doneWhen: /"by_language"/ });
    expect(await cli.exit).toBe(2);
    expect(cli.stderr).toContain(`${samples}:3, instance HumanEval/999, field task_id: no such task in the dataset`);
    expect(JSON.parse(cli.stdout)).toMatchObject({ samples: 4, tasks: 1, outcomes: { passed: 2, failed: 2 } });
    const results = readFileSync(path.join(dir, 'runs/cli/function-level/results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { sample_index: number; outcome: string });
    expect(results.map((r) => [r.sample_index, r.outcome])).toEqual([[0, 'failed'], [1, 'passed'], [2, 'passed'], [3, 'failed']]);
  });
});
