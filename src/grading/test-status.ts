/** Per-test outcomes as log parsers report them, and how they combine. */
export const TEST_STATUSES = ['PASSED', 'FAILED', 'SKIPPED', 'ERROR', 'XFAIL'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

/** Test name (in the dataset's own spelling) -> status. */
export type TestStatusMap = Map<string, TestStatus>;

/** PASSED and XFAIL count as passing, as in SWE-bench. */
export function isPassing(status: TestStatus | undefined): boolean {
  return status === 'PASSED' || status === 'XFAIL';
}

const SEVERITY: Record<TestStatus, number> = { PASSED: 0, XFAIL: 0, SKIPPED: 1, FAILED: 2, ERROR: 3 };

/**
 * Records a status for a test. When a log reports the same test twice with different
 * outcomes (a rerun, a teardown error after a pass, or output that spoofs the runner), the
 * worse outcome wins: a printed PASSED line can never hide a real failure.
 */
export function recordStatus(map: TestStatusMap, name: string, status: TestStatus): void {
  const previous = map.get(name);
  if (previous === undefined || SEVERITY[status] > SEVERITY[previous]) map.set(name, status);
}
