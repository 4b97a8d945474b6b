import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradeTests, lookupStatus, resolutionOf, successRatio } from '../../src/grading/grade.js';
import { getLogParser } from '../../src/grading/parsers/registry.js';
import type { TestStatusMap } from '../../src/grading/test-status.js';

/** Statuses of the real pytest 9 run in test/fixtures/logs/pytest9-rA-v.txt. */
function pytestRun(): TestStatusMap {
  const log = readFileSync(new URL('../fixtures/logs/pytest9-rA-v.txt', import.meta.url), 'utf8');
  return getLogParser('pytest').parse(log);
}

const T = 'tests/test_sample.py::';
const empty = { success: [], failure: [] };

describe('gradeTests on a real pytest run', () => {
  it('resolves FULL when every FAIL_TO_PASS and PASS_TO_PASS test passes (XFAIL counts)', () => {
    const grade = gradeTests(
      pytestRun(),
      [`${T}TestMath::test_add`, `${T}test_known_bug`],
      [`${T}test_length[ok-2]`],
    );
    expect(grade).toStrictEqual({
      testsStatus: {
        FAIL_TO_PASS: { success: [`${T}TestMath::test_add`, `${T}test_known_bug`], failure: [] },
        PASS_TO_PASS: { success: [`${T}test_length[ok-2]`], failure: [] },
        FAIL_TO_FAIL: empty,
        PASS_TO_FAIL: empty,
      },
      resolution: 'FULL',
      resolved: true,
    });
  });

  it('resolves PARTIAL when some FAIL_TO_PASS tests pass and every PASS_TO_PASS test does', () => {
    const grade = gradeTests(
      pytestRun(),
      [`${T}TestMath::test_add`, `${T}TestMath::test_sub_fails`],
      [`${T}test_length[a`],
    );
    expect(grade.testsStatus.FAIL_TO_PASS).toStrictEqual({
      success: [`${T}TestMath::test_add`],
      failure: [`${T}TestMath::test_sub_fails`],
    });
    expect(grade.resolution).toBe('PARTIAL');
    expect(grade.resolved).toBe(false);
  });

  it('resolves NO when a PASS_TO_PASS test breaks, even with every FAIL_TO_PASS test passing', () => {
    const grade = gradeTests(
      pytestRun(),
      [`${T}TestMath::test_add`],
      [`${T}test_teardown_error`, `${T}test_length[ok-2]`],
    );
    expect(grade.testsStatus.PASS_TO_PASS).toStrictEqual({
      success: [`${T}test_length[ok-2]`],
      failure: [`${T}test_teardown_error`],
    });
    expect(grade.resolution).toBe('NO');
  });

  it('resolves NO when no FAIL_TO_PASS test passes', () => {
    const grade = gradeTests(pytestRun(), [`${T}test_uses_broken_fixture`], [`${T}TestMath::test_add`]);
    expect(grade.testsStatus.FAIL_TO_PASS).toStrictEqual({ success: [], failure: [`${T}test_uses_broken_fixture`] });
    expect(grade.resolution).toBe('NO');
  });

  it('fails a FAIL_TO_PASS test that is missing from the log (here: an XPASS, which is not recorded)', () => {
    const grade = gradeTests(pytestRun(), [`${T}test_xpass`, `${T}test_never_ran`], []);
    expect(grade.testsStatus.FAIL_TO_PASS).toStrictEqual({
      success: [],
      failure: [`${T}test_xpass`, `${T}test_never_ran`],
    });
    expect(grade.resolved).toBe(false);
  });

  it('fails a skipped FAIL_TO_PASS test but keeps a skipped PASS_TO_PASS test as maintained', () => {
    const grade = gradeTests(pytestRun(), [`${T}test_skipped`], [`${T}test_skipped`]);
    expect(grade.testsStatus.FAIL_TO_PASS).toStrictEqual({ success: [], failure: [`${T}test_skipped`] });
    expect(grade.testsStatus.PASS_TO_PASS).toStrictEqual({ success: [`${T}test_skipped`], failure: [] });
    expect(grade.resolution).toBe('NO');
  });

  it('fails a missing PASS_TO_PASS test', () => {
    const grade = gradeTests(pytestRun(), [`${T}TestMath::test_add`], [`${T}test_deleted_by_patch`]);
    expect(grade.testsStatus.PASS_TO_PASS).toStrictEqual({ success: [], failure: [`${T}test_deleted_by_patch`] });
    expect(grade.resolution).toBe('NO');
  });
});

describe('gradeTests edge cases SWE-bench defines', () => {
  it('counts empty FAIL_TO_PASS and PASS_TO_PASS lists as fully successful', () => {
    expect(gradeTests(new Map(), [], []).resolution).toBe('FULL');
    expect(gradeTests(new Map([['a', 'PASSED']]), [], ['a']).resolution).toBe('FULL');
    expect(gradeTests(new Map([['a', 'FAILED']]), [], ['a']).resolution).toBe('NO');
    expect(gradeTests(new Map([['a', 'PASSED']]), ['a'], []).resolution).toBe('FULL');
  });

  it('keeps the dataset order and duplicates of the test lists', () => {
    const grade = gradeTests(new Map([['b', 'PASSED'], ['a', 'ERROR']]), ['b', 'a', 'b'], []);
    expect(grade.testsStatus.FAIL_TO_PASS).toStrictEqual({ success: ['b', 'b'], failure: ['a'] });
  });

  it('stands a test in for a dataset id cut inside its parameters, when the candidates agree', () => {
    const run = pytestRun();
    // Verified ids such as `test_x[log(photon` were truncated; `[` outnumbers `]`.
    expect(lookupStatus(run, `${T}test_length[[x`)).toBe('PASSED');
    const ambiguous: TestStatusMap = new Map([
      ['t.py::test[a-1]', 'PASSED'],
      ['t.py::test[a-2]', 'FAILED'],
    ]);
    expect(lookupStatus(ambiguous, 't.py::test[a')).toBeUndefined();
    expect(gradeTests(ambiguous, ['t.py::test[a'], []).resolution).toBe('NO');
  });

  it('does not prefix-match ids whose brackets are balanced', () => {
    const run: TestStatusMap = new Map([['t.py::test_a[1]', 'PASSED']]);
    expect(lookupStatus(run, 't.py::test_a')).toBeUndefined();
    expect(lookupStatus(run, 't.py::test_a[1')).toBe('PASSED');
  });

  it('computes ratios and resolutions the way compute_fail_to_pass/get_resolution_status do', () => {
    expect(successRatio({ success: [], failure: [] })).toBe(1);
    expect(successRatio({ success: ['a'], failure: ['b', 'c'] })).toBeCloseTo(1 / 3);
    const group = (success: number, failure: number) => ({
      success: Array.from({ length: success }, (_, i) => `s${i}`),
      failure: Array.from({ length: failure }, (_, i) => `f${i}`),
    });
    const status = (f2p: [number, number], p2p: [number, number]) =>
      resolutionOf({
        FAIL_TO_PASS: group(...f2p),
        PASS_TO_PASS: group(...p2p),
        FAIL_TO_FAIL: empty,
        PASS_TO_FAIL: empty,
      });
    expect(status([2, 0], [3, 0])).toBe('FULL');
    expect(status([1, 1], [3, 0])).toBe('PARTIAL');
    expect(status([1, 1], [2, 1])).toBe('NO');
    expect(status([0, 2], [3, 0])).toBe('NO');
    expect(status([0, 0], [0, 1])).toBe('NO');
  });
});
