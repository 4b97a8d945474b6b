import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, type HarnessConfig } from '../../src/config/harness-config.js';
import { loadProblems, validateProblemRecords } from '../../src/function-level/load-problems.js';
import type { Problem, Sample } from '../../src/function-level/problem.js';
import { runFunctionLevelEvaluation } from '../../src/run/function-level-evaluate.js';
import { startCli } from '../helpers/cli-process.js';

/**
 * The judges of the function-level formats, through the real sandbox, where they differ from a
 * plain comparison: EvalPlus's special oracles (a root of the polynomial for HumanEval/32, sets,
 * "not None", the second readings of Mbpp/581 and Mbpp/558, any output, or 0) and its float rule
 * (the output's type, NaN, atol kept from input to input); LiveCodeBench's prelude of imports,
 * tuples read as lists, a module-level function, and its decimal line comparison; and MBPP's
 * challenge asserts when asked.
 */
let config: HarnessConfig;

beforeAll(() => {
  config = loadHarnessConfig(undefined, { run: { root: mkdtempSync(path.join(os.tmpdir(), 'fl-judges-')) } });
});

function records(list: unknown[]): Problem[] {
  const set = validateProblemRecords(list.map((value, i) => ({ file: 'test', location: String(i), value })));
  expect(set.rejected).toEqual([]);
  return set.problems;
}

async function outcomesOf(runId: string, problems: Problem[], samples: Array<[string, string]>) {
  const counter = new Map<string, number>();
  const list: Sample[] = samples.map(([task_id, completion]) => {
    const sample_index = counter.get(task_id) ?? 0;
    counter.set(task_id, sample_index + 1);
    return { task_id, sample_index, completion };
  });
  const run = await runFunctionLevelEvaluation({ config, runId, problems, samples: list });
  const outcomes = Object.fromEntries(run.results.map((r) => [`${r.task_id}#${r.sample_index}`, r.outcome]));
  const detail = (task: string, index: number) => run.results.find((r) => r.task_id === task && r.sample_index === index)?.detail ?? '';
  return { outcomes, detail };
}

/** An EvalPlus record whose prompt is the function's signature line. */
function plus(task_id: string, signature: string, canonical: string, base_input: unknown[][], atol = 0) {
  const entry_point = /def (\w+)/.exec(signature)?.[1] as string;
  return { task_id, prompt: `${signature}\n`, canonical_solution: canonical, entry_point, base_input, plus_input: [], atol };
}

const NEWTON_FROM_10 = '    x = 10.0\n    for _ in range(200):\n        d = sum(i * c * x ** (i - 1) for i, c in enumerate(xs) if i)\n        x = x - poly(xs, x) / d\n    return x\n';

describe('function-level judges', () => {
  it("EvalPlus's special oracles and float rule decide where the reference's output alone cannot", async () => {
    const humaneval = (await loadProblems('humaneval', { cacheDir: config.dataset_cache })).problems;
    const he32 = humaneval.find((p) => p.task_id === 'HumanEval/32') as Problem;
    // (x-1)(x-2)(x-3): the reference's bisection finds 1, Newton from 10 finds 3; 1 + 2x: -0.5.
    const findZero = (task_id: string) => ({ task_id, prompt: he32.prompt, canonical_solution: he32.canonical_solution, entry_point: 'find_zero', base_input: [[[-6, 11, -6, 1]], [[1, 2]]], plus_input: [], atol: 1e-6 });
    const problems = records([
      findZero('HumanEval/32'),
      findZero('Plus/32'), // the same task under another name: no oracle, the reference's root only
      plus('Mbpp/2', 'def similar_elements(a, b):', '    return tuple(set(a) & set(b))\n', [[[3, 4, 5, 6], [5, 7, 4, 10]], [[1, 2, 3, 4], [5, 4, 3, 7]]]),
      plus('Mbpp/164', 'def are_equivalent(a, b):', '    return a == b\n', [[36, 57], [2, 4]]),
      plus('Mbpp/295', 'def sum_div(n):', '    return sum(d for d in range(1, n) if n % d == 0)\n', [[8], [12]]),
      plus('Mbpp/581', 'def surface_Area(b, s):', '    return 2 * b * s + b ** 2\n', [[3, 4], [10, 20]]),
      plus('Mbpp/558', 'def digit_distance_nums(n1, n2):', '    return sum(map(int, str(abs(n1 - n2))))\n', [[1, 2], [123, 256], [19, 21]]),
      plus('Mbpp/305', 'def check_str(s):', '    import re\n    return re.search(r"^[aeiouAEIOU]", s)\n', [['annie'], ['dawood']]),
      plus('Plus/float', 'def half(x):', '    return x / 2\n', [[4], [3]]),
      plus('Plus/sticky', 'def pair(x):', '    return [x / 2, x / 1] if x == 1 else [x, x]\n', [[1], [4]]),
      plus('Plus/nan', 'def nan(x):', '    return float("nan")\n', [[1]]),
      plus('Plus/type', 'def nudge(x):', '    return x + 1e-10 if x == 1 else (x / 2, x / 4)\n', [[1], [2]]),
    ]);
    const { outcomes, detail } = await outcomesOf('oracles', problems, [
      ['HumanEval/32', he32.canonical_solution as string],
      ['HumanEval/32', NEWTON_FROM_10],
      ['HumanEval/32', '    return 0.0\n'],
      ['Plus/32', he32.canonical_solution as string],
      ['Plus/32', NEWTON_FROM_10],
      ['Mbpp/2', '    return sorted(set(a) & set(b), reverse=True)\n'],
      ['Mbpp/2', '    return list(set(a) & set(b))[:1]\n'],
      ['Mbpp/2', '    return [[x] for x in set(a) & set(b)]\n'],
      ['Mbpp/164', '    return None\n'],
      ['Mbpp/164', '    raise ValueError("no")\n'],
      ['Mbpp/295', '    return 0\n'],
      ['Mbpp/295', '    return 1\n'],
      ['Mbpp/581', '    import math\n    return round(b * b + 2 * b * math.sqrt((b / 2) ** 2 + s ** 2))\n'],
      ['Mbpp/581', '    return 7\n'],
      ['Mbpp/558', '    x, y = str(n1).zfill(9), str(n2).zfill(9)\n    return sum(abs(int(p) - int(q)) for p, q in zip(x, y))\n'],
      ['Mbpp/558', '    return 0\n'],
      ['Mbpp/305', '    return s[0] in "aeiouAEIOU"\n'],
      ['Mbpp/305', '    return "yes" if s[0] in "aeiou" else None\n'],
      ['Mbpp/305', '    return "yes"\n'],
      ['Plus/float', '    return x / 2 + 1e-9\n'],
      ['Plus/float', '    return round(x / 2)\n'], // 2 for 4 is exact (2 == 2.0); 2 for 1.5 is an int: not close
      ['Plus/sticky', '    return [x / 2, x / 1] if x == 1 else [x + 1e-9, x]\n'], // atol raised by input #0's floats stays for #1's ints
      ['Plus/nan', '    return float("nan")\n'],
      ['Plus/type', '    return x + 2e-10 if x == 1 else (x / 2, x / 4)\n'],
      ['Plus/type', '    return round(x) if x == 1 else (x / 2, x / 4)\n'], // within atol, but an int for a float
      ['Plus/type', '    return x + 2e-10 if x == 1 else [x / 2, x / 4]\n'], // a list for a tuple
    ]);
    expect(outcomes).toEqual({
      'HumanEval/32#0': 'passed', 'HumanEval/32#1': 'passed', 'HumanEval/32#2': 'failed',
      'Plus/32#0': 'passed', 'Plus/32#1': 'failed',
      'Mbpp/2#0': 'passed', 'Mbpp/2#1': 'failed', 'Mbpp/2#2': 'failed',
      'Mbpp/164#0': 'passed', 'Mbpp/164#1': 'error',
      'Mbpp/295#0': 'passed', 'Mbpp/295#1': 'failed',
      'Mbpp/581#0': 'passed', 'Mbpp/581#1': 'failed',
      'Mbpp/558#0': 'passed', 'Mbpp/558#1': 'failed',
      'Mbpp/305#0': 'passed', 'Mbpp/305#1': 'passed', 'Mbpp/305#2': 'failed',
      'Plus/float#0': 'passed', 'Plus/float#1': 'failed',
      'Plus/sticky#0': 'passed',
      'Plus/nan#0': 'failed',
      'Plus/type#0': 'passed', 'Plus/type#1': 'failed', 'Plus/type#2': 'failed',
    });
    expect(detail('Plus/32', 1)).toMatch(/base input #0 \[\[-6, 11, -6, 1\]\]: expected (1\.0|0\.99)\d*, got 3\.0/);
    expect(detail('Mbpp/2', 2)).toMatch(/could not be judged: TypeError: unhashable type: 'list'/);
    expect(detail('Plus/float', 1)).toContain('base input #1 [3]: expected 1.5, got 2');
  }, 600_000);

  it("LiveCodeBench's prelude, tuples as lists, a module-level function and decimal line comparison", async () => {
    const functional = (question_id: string, fn: string, cases: Array<[string, string]>) => ({
      question_id,
      question_content: `Implement ${fn}.`,
      starter_code: `class Solution:\n    def ${fn}(self, nums: List[int]) -> List[int]:\n        `,
      public_test_cases: JSON.stringify(cases.map(([input, output]) => ({ input, output, testtype: 'functional' }))),
      metadata: JSON.stringify({ func_name: fn }),
    });
    const stdin = (question_id: string, cases: Array<[string, string]>) => ({
      question_id,
      question_content: 'Read input, print output.',
      public_test_cases: JSON.stringify(cases.map(([input, output]) => ({ input, output, testtype: 'stdin' }))),
    });
    const problems = records([
      functional('lc1', 'twoSorted', [['[3, 1, 2]', '[1, 2, 3]'], ['[5, 4]', '[4, 5]']]),
      stdin('half', [['3\n', '1.5\n'], ['4\n', '2\n']]),
      stdin('grid', [['2\n', '1 2\n3 4\n']]),
    ]);
    const { outcomes, detail } = await outcomesOf('livecodebench', problems, [
      // List without an import, as LiveCodeBench's prelude allows; heapq's names too.
      ['lc1', 'class Solution:\n    def twoSorted(self, nums: List[int]) -> List[int]:\n        heapify(nums)\n        return [heappop(nums) for _ in range(len(nums))]\n'],
      ['lc1', 'class Solution:\n    def twoSorted(self, nums: List[int]) -> Tuple[int, ...]:\n        return tuple(sorted(nums))\n'],
      ['lc1', 'def twoSorted(nums):\n    return sorted(nums)\n'],
      ['lc1', 'class Solution:\n    def twoSorted(self, nums: List[int]) -> List[int]:\n        return sorted(nums, reverse=True)\n'],
      ['half', 'n = int(input())\nprint(n / 2)\n'], // 1.5, then 2.0 for 2: the same decimal
      ['half', 'n = int(input())\nprint(f"{n / 2:.7f}")\n'], // 1.5000000 is 1.5
      ['half', 'n = int(input())\nprint(n / 2 + 1e-7)\n'], // 1.5000001 is not 1.5
      ['half', 'n = int(input())\nprint(n // 2)\n'],
      ['grid', 'n = int(input())\nfor r in range(n):\n    print(*[r * n + c + 1 for c in range(n)], sep="  ")\n\n'],
      ['grid', 'n = int(input())\nprint(*range(1, n * n + 1))\n'],
    ]);
    expect(outcomes).toEqual({
      'lc1#0': 'passed', 'lc1#1': 'passed', 'lc1#2': 'passed', 'lc1#3': 'failed',
      'half#0': 'passed', 'half#1': 'passed', 'half#2': 'failed', 'half#3': 'failed',
      'grid#0': 'passed', 'grid#1': 'failed',
    });
    expect(detail('half', 2)).toContain("case #0: expected '1.5', got '1.5000001'");
  }, 600_000);

  it("the hub's HumanEval+ and MBPP+: their test programs (which import numpy) judge base and plus inputs", async () => {
    // The shape of evalplus/humanevalplus and evalplus/mbppplus rows: the plus inputs and the
    // reference's results inside a test program, compared by a helper that uses numpy.
    const helper = 'import numpy as np\nfrom math import inf\n\ndef assertion(out, exp, atol):\n    if out != exp and atol:\n        assert np.allclose(out, exp, atol=atol)\n    else:\n        assert out == exp, (out, exp)\n';
    const loop = (call: string) => `inputs = [[2], [3], [10], [0]]\nresults = [4, 9, 100, 0]\nfor i, (inp, exp) in enumerate(zip(inputs, results)):\n    assertion(${call}(*inp), exp, 0)\n`;
    const problems = records([
      { task_id: 'HumanEval/900', prompt: 'def square(x):\n', canonical_solution: '    return x * x\n', entry_point: 'square', test: `${helper}\ndef check(candidate):\n${loop('candidate').replace(/^/gm, '    ')}` },
      { task_id: 900, prompt: 'Write a function to square a number.', code: 'def square(x):\n    return x * x\n', source_file: 'x', test_imports: ['import math'], test_list: ['assert square(2) == 4'], test: `${helper}\n${loop('square')}` },
    ]);
    expect(problems.map((p) => [p.format, p.check.kind])).toEqual([['humaneval', 'test-program'], ['mbpp', 'test-program']]);
    const { outcomes, detail } = await outcomesOf('hub-plus', problems, [
      ['HumanEval/900', '    return x * x\n'],
      ['HumanEval/900', '    return {2: 4, 3: 9}.get(x, 0)\n'], // the base inputs only
      ['900', 'def square(x):\n    return x ** 2\n'],
      ['900', 'def square(x):\n    return 4 if x == 2 else x\n'], // passes test_list, fails the plus inputs
    ]);
    expect(outcomes).toEqual({ 'HumanEval/900#0': 'passed', 'HumanEval/900#1': 'failed', '900#0': 'passed', '900#1': 'failed' });
    expect(detail('900', 1)).toContain('(3, 9)');
  }, 600_000);

  it("MBPP's challenge asserts run only when asked (evaluate --challenge-tests)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-challenge-'));
    const dataset = path.join(dir, 'mbpp.jsonl');
    writeFileSync(dataset, `${JSON.stringify({ task_id: 9, text: 'Add two numbers.', code: 'def add(a, b): return a + b', test_list: ['assert add(1, 2) == 3'], challenge_test_list: ['assert add(-1, 1) == 0'] })}\n`);
    const samples = path.join(dir, 'samples.jsonl');
    writeFileSync(samples, `${JSON.stringify({ task_id: '9', completion: 'def add(a, b):\n    return abs(a) + b\n' })}\n`);
    writeFileSync(path.join(dir, 'config.yaml'), `run: {root: ${JSON.stringify(path.join(dir, 'runs'))}}\n`);
    const evaluate = async (runId: string, extra: string[]) => {
      const cli = startCli(['evaluate', '--dataset', dataset, '--samples', samples, '--run-id', runId, '--config', path.join(dir, 'config.yaml'), '--json', ...extra], { doneWhen: /"by_language"/ });
      expect(await cli.exit).toBe(0);
      return JSON.parse(readFileSync(path.join(dir, 'runs', runId, 'function-level/results.jsonl'), 'utf8').trim()) as { outcome: string; detail?: string };
    };
    expect(await evaluate('plain', [])).toMatchObject({ outcome: 'passed' });
    expect(await evaluate('challenge', ['--challenge-tests'])).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('assert add(-1, 1) == 0') });
    // Only for samples: a repository-level evaluate refuses it.
    const refused = startCli(['evaluate', '--dataset', dataset, '--predictions', 'gold', '--run-id', 'x', '--config', path.join(dir, 'config.yaml'), '--challenge-tests']);
    expect(await refused.exit).not.toBe(0);
    expect(refused.stderr).toContain('--challenge-tests is for function-level samples (--samples)');
  }, 600_000);
});
