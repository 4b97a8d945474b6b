import { describe, expect, it } from 'vitest';
import { summarizeFunctionLevel } from '../../src/report/function-level-summary.js';
import { meanPassAtK, passAtKEstimate, reportableKs } from '../../src/report/pass-at-k.js';

describe('pass@k estimator edge cases', () => {
  it('is 0 with no passing sample, 1 when failures are fewer than k', () => {
    expect(passAtKEstimate(10, 0, 5)).toBe(0);
    expect(passAtKEstimate(10, 10, 1)).toBe(1);
    expect(passAtKEstimate(10, 1, 10)).toBe(1);
    expect(passAtKEstimate(10, 6, 5)).toBe(1);
  });

  it('stays exact at large n: 200 samples, one pass, k = 100 is 1/2', () => {
    // 1 - C(199, 100) / C(200, 100) = 1 - 100/200.
    expect(passAtKEstimate(200, 1, 100)).toBeCloseTo(0.5, 12);
    expect(passAtKEstimate(200, 3, 1)).toBeCloseTo(0.015, 12);
  });

  it('refuses what it cannot estimate: k > n, c > n, non-integers', () => {
    expect(() => passAtKEstimate(5, 1, 10)).toThrow(RangeError);
    expect(() => passAtKEstimate(5, 6, 1)).toThrow(RangeError);
    expect(() => passAtKEstimate(5, 1.5, 1)).toThrow(RangeError);
    expect(() => passAtKEstimate(0, 0, 1)).toThrow(RangeError);
  });

  it('reports only the k that n allows, and averages only tasks with enough samples', () => {
    expect(reportableKs(20)).toEqual([1, 10]);
    expect(reportableKs(5, [5, 1, 1, 0, 7])).toEqual([1, 5]);
    expect(meanPassAtK([{ n: 2, c: 1 }, { n: 1, c: 1 }], 2)).toBe(1);
    expect(meanPassAtK([{ n: 1, c: 1 }], 2)).toBeNull();
  });
});

describe('function-level summary', () => {
  const tasks = [
    { task_id: 'A', language: 'python', release_date: '2023-01-10' },
    { task_id: 'B', language: 'python', release_date: '2024-03-01' },
    { task_id: 'C', language: 'javascript' },
  ];
  const outcomes: Record<string, string[]> = { A: ['passed', 'failed', 'passed', 'timeout'], B: ['failed', 'error', 'killed', 'failed'], C: ['failed', 'passed', 'passed', 'passed'] };
  const results = Object.entries(outcomes).flatMap(([task_id, os]) => os.map((outcome, sample_index) => ({ task_id, sample_index, outcome })));

  it('computes pass@k per task, overall and by language, as by hand', () => {
    const s = summarizeFunctionLevel({ runId: 'r', model: 'm', tasks, results, ks: [1, 2, 10] });
    expect(s.ks).toEqual([1, 2]);
    // A: n=4 c=2: pass@1 = 1/2, pass@2 = 1 - C(2,2)/C(4,2) = 5/6. B: 0. C: c=3: pass@2 = 1.
    expect(s.tasks.map((t) => [t.task_id, t.n, t.c, t.pass_at_k['1'], t.pass_at_k['2'], t.first_passed])).toEqual([
      ['A', 4, 2, 0.5, 0.8333, true],
      ['B', 4, 0, 0, 0, false],
      ['C', 4, 3, 0.75, 1, false],
    ]);
    expect(s.overall.pass_at_k).toEqual({ '1': Number(((0.5 + 0 + 0.75) / 3).toFixed(4)), '2': Number(((5 / 6 + 0 + 1) / 3).toFixed(4)) });
    expect(s.by_language.python!.pass_at_k['1']).toBe(0.25);
    expect(s.by_language.javascript!.pass_at_k['2']).toBe(1);
    expect(s.outcomes).toEqual({ passed: 5, failed: 4, timeout: 1, error: 1, killed: 1 });
  });

  it('gives the cost per passed task, unknown when a sample has no price', () => {
    const samples = results.map((r) => ({ task_id: r.task_id, cost_usd: 0.01 }));
    const cost = summarizeFunctionLevel({ runId: 'r', model: 'm', tasks, results, samples }).cost;
    expect(cost.passed_tasks).toBe(2);
    expect(cost.total_usd).toBeCloseTo(0.12, 10);
    expect(cost.usd_per_passed_task).toBeCloseTo(0.06, 10);
    const unpriced = [...samples.slice(1), { task_id: 'A' }];
    expect(summarizeFunctionLevel({ runId: 'r', model: 'm', tasks, results, samples: unpriced }).cost.usd_per_passed_task).toBeNull();
  });

  it('splits by release date against the cutoff, undated tasks apart', () => {
    const s = summarizeFunctionLevel({ runId: 'r', model: 'm', tasks, results, cutoff: '2023-06-01' });
    expect(s.time_split).toMatchObject({ cutoff: '2023-06-01T00:00:00.000Z', undated: 1, before: { tasks: 1, pass_at_k: { '1': 0.5 } }, after: { tasks: 1, pass_at_k: { '1': 0 } } });
    // The shared split over samples: A's 4 (2 passed) before, B's 4 (none) after, C's 4 undated.
    expect(s.time_split!.samples).toMatchObject({ before: { instances: 4, resolved: 2 }, after: { instances: 4, resolved: 0 }, undated: 4 });
  });
});
