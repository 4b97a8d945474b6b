/** Per-test outcomes as log parsers report them, and how they combine. */
export const TEST_STATUSES = ['PASSED', 'FAILED', 'SKIPPED', 'ERROR', 'XFAIL'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

/** Test name (in the dataset's own spelling) -> status. */
export type TestStatusMap = Map<string, TestStatus>;

/** PASSED and XFAIL count as passing, as in SWE-bench. */
export function isPassing(status: TestStatus | undefined): boolean {
  return status === 'PASSED' || status === 'XFAIL';
}

export function isTestStatus(word: string): word is TestStatus {
  return (TEST_STATUSES as readonly string[]).includes(word);
}

/**
 * Records a status for a test: a later report of the same name replaces an earlier one, as
 * in every SWE-bench parser, whose datasets were spelled that way (a sympy test that fails in
 * one file and passes in another, a django docstring shared by tests, pytest's `[100%]` ids
 * printed by its inner runs). Printed result lines are kept from deciding a verdict by the
 * evidence the code under test cannot write: the markers, the exit code and the runner's own
 * final summary (see each parser's `checkCompletion`).
 */
export function recordStatus(map: TestStatusMap, name: string, status: TestStatus): void {
  map.set(name, status);
}

const SEVERITY: Record<TestStatus, number> = { PASSED: 0, XFAIL: 0, SKIPPED: 1, FAILED: 2, ERROR: 3 };

/**
 * Records a status where the worse of two reports wins: for formats SWE-bench does not grade
 * (go test, node, JUnit XML), where a repeated name is two tests of the same name in two
 * packages or files, or output imitating the runner, and neither may hide a failure.
 */
export function recordWorstStatus(map: TestStatusMap, name: string, status: TestStatus): void {
  const previous = map.get(name);
  if (previous === undefined || SEVERITY[status] > SEVERITY[previous]) map.set(name, status);
}
