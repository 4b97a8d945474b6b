import { describe, expect, it } from 'vitest';
import { failureMode } from '../../src/report/failure-mode.js';
import { mcnemarExact, median, pairedDifferenceInterval, pairedMeanDifference, wilsonInterval } from '../../src/report/statistics.js';

describe('Wilson interval', () => {
  // Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score interval).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i -> [%f, %f]', (k, n, low, high) => {
    const ci = wilsonInterval(k, n);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it('is [0, 1] with no trials', () => expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 }));
});

describe("McNemar's exact test", () => {
  // Two-sided binomial(b + c, 1/2) tails, by hand: 2 * sum_{i<=min} C(n, i) / 2^n.
  it.each([
    [1, 7, 18 / 256], // 2 * (1 + 8) / 256
    [0, 5, 2 / 32],
    [2, 10, (2 * (1 + 12 + 66)) / 4096],
    [3, 3, 1],
    [0, 0, 1],
    [0, 1, 1],
  ])('b=%i c=%i -> p=%f', (b, c, p) => expect(mcnemarExact(b, c)).toBeCloseTo(p, 10));

  it('stays finite and small for large one-sided counts', () => {
    // 2 * 2^-200
    expect(mcnemarExact(0, 200)).toBeCloseTo(2 * 2 ** -200, 70);
  });
});

describe('paired difference interval', () => {
  it('Agresti-Min adjusted Wald: b=1, c=7, n=20', () => {
    // cells + 1/2: b'=1.5 c'=7.5 n'=22; d'=6/22; se=sqrt(9 - 36/22)/22
    const ci = pairedDifferenceInterval(1, 7, 20);
    const d = 6 / 22;
    const se = Math.sqrt(9 - 36 / 22) / 22;
    expect(ci.difference).toBeCloseTo(0.3, 10);
    expect(ci.low).toBeCloseTo(d - 1.959964 * se, 5);
    expect(ci.high).toBeCloseTo(d + 1.959964 * se, 5);
  });

  it('is symmetric around 0 when nothing changed', () => {
    const ci = pairedDifferenceInterval(0, 0, 10);
    expect(ci.difference).toBe(0);
    expect(ci.low).toBeCloseTo(-ci.high, 10);
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('failure mode', () => {
  const graded = { resolved: false, patch_exists: true };
  const tests = (f2p: number, p2p: number) => ({ FAIL_TO_PASS: { failure: Array(f2p).fill('t') }, PASS_TO_PASS: { failure: Array(p2p).fill('t') } });

  it('reads the verdict from error.code (today) and from verdict_reason (after the split)', () => {
    expect(failureMode({ ...graded, error: { code: 'PATCH_APPLY' } })?.mode).toBe('patch_not_applied');
    expect(failureMode({ ...graded, verdict_reason: { code: 'PATCH_APPLY' } })?.mode).toBe('patch_not_applied');
    expect(failureMode({ ...graded, verdict_reason: { code: 'PATCH_REFUSED' } })?.mode).toBe('patch_not_applied');
    expect(failureMode({ ...graded, verdict_reason: { code: 'TEST_LOG' } })?.mode).toBe('log_not_evidence');
    expect(failureMode({ ...graded, verdict_reason: { code: 'CONTAINER_EXITED' } })?.mode).toBe('crashed');
    expect(failureMode({ ...graded, error: { code: 'TEST_TIMEOUT' } })?.mode).toBe('test_timeout');
    expect(failureMode({ ...graded, error: { code: 'IMAGE_BUILD' } })?.mode).toBe('environment_error');
    expect(failureMode({ ...graded, error: { code: 'TEST_PATCH_APPLY' } })?.mode).toBe('environment_error');
  });

  it('tells FAIL_TO_PASS from PASS_TO_PASS from both', () => {
    expect(failureMode({ ...graded, tests_status: tests(1, 0) })?.mode).toBe('fail_to_pass_failing');
    expect(failureMode({ ...graded, verdict_reason: { code: 'TESTS_FAILED' }, tests_status: tests(0, 2) })?.mode).toBe('pass_to_pass_broken');
    expect(failureMode({ ...graded, tests_status: tests(1, 1) })?.mode).toBe('both_failing');
  });

  it('no patch, by the episode exit status', () => {
    expect(failureMode({ resolved: false, patch_exists: false, tests_status: tests(1, 0) })).toEqual({ mode: 'no_patch', detail: undefined });
    expect(failureMode({ resolved: false, patch_exists: false }, 'step_limit')).toEqual({ mode: 'no_patch', detail: 'step_limit' });
    expect(failureMode({ resolved: false, patch_exists: false }, 'submitted')).toEqual({ mode: 'no_patch', detail: 'submitted nothing' });
  });

  it('none when resolved', () => expect(failureMode({ resolved: true, patch_exists: true })).toBeUndefined());
});

describe('paired mean difference (per-task pass@k of two runs)', () => {
  it('enumerates every sign flip up to 16 differences: p as counted by hand', () => {
    // All four move the same way: only the all-plus and all-minus flips are as extreme, 2 of 16.
    expect(pairedMeanDifference([0, 0, 0, 0], [1, 1, 1, 1])).toEqual({ difference: 1, low: 1, high: 1, p_value: 0.125 });
    // Differences 0.5, -0.25, 0.25 (sum 0.5): the flips summing to +-1, +-0.5 (6 of 8) are as extreme.
    const d = pairedMeanDifference([0, 0.5, 0], [0.5, 0.25, 0.25]);
    expect(d.difference).toBeCloseTo(0.5 / 3, 12);
    expect(d.p_value).toBe(0.75);
    expect(d.low).toBeLessThanOrEqual(d.difference);
    expect(d.high).toBeGreaterThanOrEqual(d.difference);
    expect(d.low).toBeGreaterThanOrEqual(-0.25);
    expect(d.high).toBeLessThanOrEqual(0.5);
  });

  it('is 0 with p = 1 for the same scores, and nothing for no tasks', () => {
    expect(pairedMeanDifference([0.5, 0.2], [0.5, 0.2])).toEqual({ difference: 0, low: 0, high: 0, p_value: 1 });
    expect(pairedMeanDifference([], [])).toEqual({ difference: 0, low: 0, high: 0, p_value: 1 });
  });

  it('samples the flips past 16 differences, seeded: the same answer each time', () => {
    const a = Array.from({ length: 40 }, () => 0.2);
    const b = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? 0.1 : 0.3));
    const first = pairedMeanDifference(a, b);
    expect(first).toEqual(pairedMeanDifference(a, b));
    expect(first.difference).toBeCloseTo(0.05, 12);
    // 30 of 40 tasks 0.1 better, 10 of 40 0.1 worse: a sign test's two-sided p is 0.0022.
    expect(first.p_value).toBeGreaterThan(0.0005);
    expect(first.p_value).toBeLessThan(0.01);
    expect(first.low).toBeGreaterThan(0);
    expect(first.high).toBeLessThan(0.1);
  });
});
