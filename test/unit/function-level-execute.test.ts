import { describe, expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { runnerScratch } from '../../src/function-level/executor.js';
import { classify } from '../../src/function-level/classify.js';
import { validateProblemRecords } from '../../src/function-level/load-problems.js';
import { summarizeOutcomes } from '../../src/function-level/outcome-summary.js';
import type { Problem } from '../../src/function-level/problem.js';
import { referenceJob, sampleJob } from '../../src/function-level/programs.js';
import type { RunnerResult, RunnerStepResult } from '../../src/function-level/runner-protocol.js';
import { validateSamples } from '../../src/function-level/samples.js';
import { resultKey } from '../../src/function-level/result-store.js';

const limits = { timeoutS: 10, compileTimeoutS: 60, outputCapBytes: 65536, outputLimitBytes: 1 << 24 };

function problem(value: Record<string, unknown>): Problem {
  const set = validateProblemRecords([{ file: 'unit', location: '1', value }]);
  expect(set.rejected).toEqual([]);
  return set.problems[0] as Problem;
}

function result(step: Partial<RunnerStepResult>, rest: Partial<RunnerResult> = {}): RunnerResult {
  return {
    id: '0',
    steps: [{ stage: 'run', exit_code: 0, signal: null, killed_by: null, ...step }],
    stdout: '',
    stderr: '',
    output_bytes: 0,
    report: null,
    oom_kills: 0,
    leftover_rounds: 0,
    duration_s: 0.1,
    ...rest,
  };
}

describe('function-level programs', () => {
  it("builds HumanEval's check program as its harness does: prompt + completion + test + check(entry_point)", () => {
    const p = problem({ task_id: 'HumanEval/0', prompt: 'def f(x):\n', canonical_solution: '    return x\n', test: 'def check(c):\n    assert c(1) == 1\n', entry_point: 'f' });
    const job = sampleJob({ id: '7', problem: p, completion: '    return x\n' }, limits);
    expect(job?.files['main.py']).toBe('def f(x):\n    return x\n\ndef check(c):\n    assert c(1) == 1\n\ncheck(f)\n');
    expect(job?.steps).toEqual([{ argv: ['python3', '/opt/swe-harness/fl_python.py', 'main.py'], timeout_s: 10, stage: 'run' }]);
  });

  it('compiles TypeScript and Go in a step of their own, with the compile timeout', () => {
    const ts = problem({ name: 'x_ts', language: 'ts', prompt: 'function f(): number {\n', tests: 'f();\n' });
    expect(sampleJob({ id: '0', problem: ts, completion: '  return 1;\n}\n' }, limits)?.steps.map((s) => [s.stage, s.argv[0], s.timeout_s])).toEqual([
      ['compile', 'tsc', 60],
      ['run', 'node', 10],
    ]);
    const go = problem({ name: 'x_go', language: 'go_test.go', prompt: 'package x_test\n', tests: '\n' });
    const job = sampleJob({ id: '0', problem: go, completion: '' }, limits);
    expect(Object.keys(job?.files ?? {})).toEqual(['go.mod', 'main_test.go']);
    expect(job?.steps.map((s) => s.argv.join(' '))).toEqual(['go test -c -o main.test .', './main.test']);
  });

  it('has no job for a language without a runner, and a reference job only for EvalPlus problems', () => {
    const rust = problem({ name: 'x_rs', language: 'rs', prompt: 'fn f() {\n', tests: '\n' });
    expect(sampleJob({ id: '0', problem: rust, completion: '}' }, limits)).toBeUndefined();
    const plus = problem({ task_id: 'P/1', prompt: 'def f(x):\n', canonical_solution: '    return x\n', entry_point: 'f', base_input: [[1]], plus_input: [[2]] });
    expect(referenceJob('0', plus, limits)?.files['inputs.json']).toBe('[[1],[2]]');
    expect(referenceJob('0', rust, limits)).toBeUndefined();
  });
});

describe('function-level outcomes', () => {
  it('passes Python only with the wrapper report of completion and exit 0', () => {
    expect(classify(result({}, { report: { ended: 'completed' } }), 'python', 10)).toEqual({ outcome: 'passed' });
    // exit(0) before the tests, or a forged report: no valid report reached the runner.
    expect(classify(result({}), 'python', 10)).toMatchObject({ outcome: 'error', detail: expect.stringContaining('before its tests finished') });
  });

  it('names the failing assertion, the exception type, and why a sample was killed', () => {
    const failed = result({ exit_code: 1 }, { report: { ended: 'exception', type: 'AssertionError', message: '', lineno: 12, line: 'assert candidate(2) == 4' } });
    expect(classify(failed, 'python', 10)).toEqual({ outcome: 'failed', detail: 'line 12: assert candidate(2) == 4' });
    const error = result({ exit_code: 1 }, { report: { ended: 'exception', type: 'ZeroDivisionError', message: 'division by zero' } });
    expect(classify(error, 'python', 10)).toEqual({ outcome: 'error', detail: 'ZeroDivisionError: division by zero' });
    expect(classify(result({ exit_code: null, signal: 9, killed_by: 'timeout' }), 'python', 10)).toEqual({ outcome: 'timeout', detail: 'over 10 s' });
    expect(classify(result({ exit_code: null, signal: 9 }, { oom_kills: 1 }), 'javascript', 10)).toMatchObject({ outcome: 'killed', detail: expect.stringMatching(/^memory/) });
    expect(classify(result({ exit_code: null, signal: 9, killed_by: 'output-limit' }, { output_bytes: 99 }), 'python', 10)).toMatchObject({ outcome: 'killed', detail: expect.stringMatching(/^output/) });
    expect(classify(result({}, { runner_error: 'OSError: fork failed' }), 'python', 10)).toMatchObject({ outcome: 'error', detail: 'runner: OSError: fork failed' });
  });

  it("reads node's AssertionError, tsc's errors and go test's failures", () => {
    const node = result({ exit_code: 1 }, { stderr: "node:assert:124\n  throw new AssertionError(obj);\n  ^\n\nAssertionError [ERR_ASSERTION]: Expected values to be loosely deep-equal:\n\n6\n\nshould loosely deep-equal\n\n5\n" });
    expect(classify(node, 'javascript', 10)).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('AssertionError [ERR_ASSERTION]') });
    const tsc = { ...result({}), steps: [{ stage: 'compile' as const, exit_code: 2, signal: null, killed_by: null }], stdout: "main.ts(2,3): error TS2322: Type 'string' is not assignable to type 'number'.\n" };
    expect(classify(tsc, 'typescript', 10)).toEqual({ outcome: 'error', detail: "compile: main.ts(2,3): error TS2322: Type 'string' is not assignable to type 'number'." });
    const go = result({ exit_code: 1 }, { stdout: '--- FAIL: TestAdd (0.00s)\n    main_test.go:14: expected 5, got 6\nFAIL\n' });
    expect(classify(go, 'go', 10)).toEqual({ outcome: 'failed', detail: 'main_test.go:14: expected 5, got 6' });
  });

  it('counts outcomes overall and per language', () => {
    const s = summarizeOutcomes([
      { task_id: 'a', sample_index: 0, language: 'python', outcome: 'passed', duration_s: 1 },
      { task_id: 'a', sample_index: 1, language: 'python', outcome: 'timeout', duration_s: 1 },
      { task_id: 'b', sample_index: 0, language: 'go', outcome: 'failed', duration_s: 1 },
    ]);
    expect(s).toMatchObject({ samples: 3, tasks: 2, outcomes: { passed: 1, failed: 1, timeout: 1, error: 0, killed: 0 } });
    expect(s.by_language.python).toMatchObject({ samples: 2, tasks: 1 });
  });
});

describe('EvalPlus time limits', () => {
  it("gives each input 4x the reference's time, at least 1 s, and the program their sum up to 60 s plus 1 (or the config's timeout if longer)", () => {
    const p = problem({ task_id: 'Plus/9', prompt: 'def f(x):\n', canonical_solution: '    return x\n', entry_point: 'f', base_input: [[1]], plus_input: [[2], [3]], atol: 0 });
    const job = sampleJob({ id: '0', problem: p, completion: '    return x\n', expected: 'e', referenceTimes: [0.1, 0.5, 20] }, limits);
    expect(JSON.parse(job?.files['time-limits.json'] ?? '')).toEqual([1, 2, 80]);
    expect(job?.steps[0]?.timeout_s).toBe(61);
    const quick = sampleJob({ id: '1', problem: p, completion: '    return x\n', expected: 'e', referenceTimes: [0.01, 0.01, 0.01] }, limits);
    expect(quick?.steps[0]?.timeout_s).toBe(10);
    expect(JSON.parse(quick?.files['time-limits.json'] ?? '')).toEqual([1, 1, 1]);
    // Without the reference's times (none recorded): no limit per input.
    expect(JSON.parse(sampleJob({ id: '2', problem: p, completion: '', expected: 'e' }, limits)?.files['time-limits.json'] ?? '')).toEqual([]);
  });
});

describe('function-level samples', () => {
  it('numbers samples per task in file order and names every bad line', () => {
    const text = [
      JSON.stringify({ task_id: 'T/1', completion: 'a' }),
      JSON.stringify({ task_id: 'T/1', completion: 'b' }),
      JSON.stringify({ task_id: 'T/9', completion: 'c' }),
      JSON.stringify({ task_id: 'T/1', completion: 3 }),
      JSON.stringify({ task_id: 'T/1', sample_index: 0, completion: 'd' }),
      '{oops',
    ].join('\n');
    const set = validateSamples('s.jsonl', text, new Set(['T/1']));
    expect(set.samples.map((s) => [s.task_id, s.sample_index, s.completion])).toEqual([
      ['T/1', 0, 'a'],
      ['T/1', 1, 'b'],
    ]);
    expect(set.rejected.map((p) => [p.location, p.field])).toEqual([
      ['3', 'task_id'],
      ['4', 'completion'],
      ['5', 'sample_index'],
      ['6', undefined],
    ]);
  });

  it("takes EvalPlus's whole-program `solution`, which wins over a completion as in EvalPlus, and refuses a line with neither", () => {
    const text = [
      JSON.stringify({ task_id: 'T/1', solution: 'def f(x):\n    return x\n' }),
      JSON.stringify({ task_id: 'T/1', completion: '    return x\n', solution: 'def f(x):\n    return -x\n' }),
      JSON.stringify({ task_id: 'T/1', model: 'm' }),
      JSON.stringify({ task_id: 'T/1', solution: 7 }),
    ].join('\n');
    const set = validateSamples('s.jsonl', text, new Set(['T/1']));
    expect(set.samples.map((s) => [s.sample_index, s.completion, s.solution])).toEqual([
      [0, '', 'def f(x):\n    return x\n'],
      [1, '    return x\n', 'def f(x):\n    return -x\n'],
    ]);
    expect(set.rejected.map((p) => [p.location, p.field, p.message])).toEqual([
      ['3', 'completion', 'a sample needs a completion (HumanEval) or a solution (EvalPlus)'],
      ['4', 'solution', expect.stringMatching(/string/)],
    ]);
    const p = problem({ task_id: 'T/1', prompt: 'def f(x):\n', canonical_solution: '    return x\n', test: 'def check(c):\n    assert c(1) == 1\n', entry_point: 'f' });
    const [whole, both] = set.samples;
    expect(sampleJob({ id: '0', problem: p, completion: whole?.completion ?? '', solution: whole?.solution }, limits)?.files['main.py']).toBe('def f(x):\n    return x\n\ndef check(c):\n    assert c(1) == 1\n\ncheck(f)\n');
    expect(sampleJob({ id: '1', problem: p, completion: both?.completion ?? '', solution: both?.solution }, limits)?.files['main.py']).toContain('return -x');
    // A completion keeps the key it had; the same text as a solution is another sample.
    expect(resultKey(p, { completion: 'x' }, 'img', limits)).toBe(resultKey(p, { completion: 'x', solution: undefined }, 'img', limits));
    expect(resultKey(p, { completion: '', solution: 'x' }, 'img', limits)).not.toBe(resultKey(p, { completion: 'x' }, 'img', limits));
  });
});

describe('function-level scratch folders', () => {
  it('gives each slot its own in-memory folder, the config scratch shared out, with its files bounded too', () => {
    expect(runnerScratch(512, 2)).toEqual({
      '/opt/swe-harness/work/slot-0': { sizeMb: 256, mode: 0o711, maxFiles: 65536 },
      '/opt/swe-harness/work/slot-1': { sizeMb: 256, mode: 0o711, maxFiles: 65536 },
    });
    expect(Object.values(runnerScratch(3, 4))).toEqual(Array(4).fill({ sizeMb: 1, mode: 0o711, maxFiles: 1024 }));
  });

  it('refuses a scratch as large as the memory that holds it, naming the field', () => {
    expect(() => loadHarnessConfig(undefined, { function_level: { memory_mb: 256, scratch_mb: 256 } })).toThrow(/function_level\.scratch_mb: must be less than memory_mb/);
    expect(loadHarnessConfig(undefined, { function_level: { memory_mb: 256, scratch_mb: 128 } }).function_level.scratch_mb).toBe(128);
  });
});
