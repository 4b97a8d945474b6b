import { isPassing, type TestStatus, type TestStatusMap } from './test-status.js';

/**
 * Grading as SWE-bench's harness does it (swebench/harness/grading.py, v5:
 * get_eval_tests_report with the default PASS_AND_FAIL evaluation, then
 * get_resolution_status), as pure functions over a parsed log.
 */

export interface TestGroup {
  success: string[];
  failure: string[];
}

export interface TestsStatus {
  FAIL_TO_PASS: TestGroup;
  PASS_TO_PASS: TestGroup;
  FAIL_TO_FAIL: TestGroup;
  PASS_TO_FAIL: TestGroup;
}

export type Resolution = 'FULL' | 'PARTIAL' | 'NO';

export interface Grade {
  testsStatus: TestsStatus;
  resolution: Resolution;
  resolved: boolean;
}

/**
 * The status of a dataset test in the log. Some SWE-bench Verified ids were cut inside their
 * parameters (`test_x[log(photon`); for those alone, and only when every test they prefix
 * agrees on passing or not, the first such test stands in, as SWE-bench's `_resolve_case` does.
 */
export function lookupStatus(statuses: TestStatusMap, test: string): TestStatus | undefined {
  const exact = statuses.get(test);
  if (exact !== undefined || count(test, '[') <= count(test, ']')) return exact;
  const prefixed = [...statuses].filter(([name]) => name.startsWith(test));
  const outcomes = new Set(prefixed.map(([, status]) => isPassing(status)));
  return outcomes.size === 1 ? prefixed[0]?.[1] : undefined;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

function split(
  tests: string[],
  succeeded: (status: TestStatus | undefined) => boolean,
  statuses: TestStatusMap,
): TestGroup {
  const group: TestGroup = { success: [], failure: [] };
  for (const test of tests) {
    (succeeded(lookupStatus(statuses, test)) ? group.success : group.failure).push(test);
  }
  return group;
}

/**
 * FAIL_TO_PASS tests succeed only when they pass (PASSED or XFAIL); a skipped, failing or
 * missing one has failed. PASS_TO_PASS tests succeed when they pass or are skipped: SWE-bench
 * does not count a skip as a regression (v4 left skipped tests out of both lists; v5 counts
 * them as maintained, with the same effect on resolution). FAIL_TO_FAIL and PASS_TO_FAIL
 * stay empty, as SWE-bench leaves them unless asked.
 */
export function gradeTests(statuses: TestStatusMap, failToPass: string[], passToPass: string[]): Grade {
  const testsStatus: TestsStatus = {
    FAIL_TO_PASS: split(failToPass, isPassing, statuses),
    PASS_TO_PASS: split(passToPass, (status) => isPassing(status) || status === 'SKIPPED', statuses),
    FAIL_TO_FAIL: { success: [], failure: [] },
    PASS_TO_FAIL: { success: [], failure: [] },
  };
  const resolution = resolutionOf(testsStatus);
  return { testsStatus, resolution, resolved: resolution === 'FULL' };
}

/** Share of a group that succeeded; an empty group counts as fully successful. */
export function successRatio(group: TestGroup): number {
  const total = group.success.length + group.failure.length;
  return total === 0 ? 1 : group.success.length / total;
}

/** FULL: all F2P and P2P succeed. PARTIAL: some but not all F2P, and all P2P. Else NO. */
export function resolutionOf(testsStatus: TestsStatus): Resolution {
  const f2p = successRatio(testsStatus.FAIL_TO_PASS);
  const p2p = successRatio(testsStatus.PASS_TO_PASS);
  if (f2p === 1 && p2p === 1) return 'FULL';
  if (f2p > 0 && f2p < 1 && p2p === 1) return 'PARTIAL';
  return 'NO';
}
