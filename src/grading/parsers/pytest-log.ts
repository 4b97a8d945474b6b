import { isTestStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import { logLines } from './log-text.js';

/**
 * What every pytest-family parser shares: the result-line readers SWE-bench's pytest parsers
 * are built from, pytest's final summary line, and the check that the log is pytest's own.
 */

export type Reading = [name: string, status: TestStatus];

// XPASS is no status of SWE-bench's, so `XPASS x` lines are not read (an unexpected pass
// counts as missing, i.e. failed).
const STATUS_FIRST = /^(PASSED|FAILED|SKIPPED|ERROR|XFAIL)\s+(\S+)/;
const VERBOSE_LINE =
  /^(\S*::\S*)(?: .*?)? (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)(?: \(.*\))?(?:\s+\[\s*\d+%\])?$/;
// SWE-bench's newer test-first rule: `path::test SKIPPED [1] Need 2 or more cores` (pylint).
const TEST_FIRST = /^(\S+)\s+(PASSED|FAILED|SKIPPED|ERROR|XFAIL)(?:\s|$)/;
const SKIP_SUMMARY_COUNT = /^\[\d+\]$/;
const MAX_VERBOSE_LINE = 4096;

/**
 * A short-summary line, `STATUS name [- reason]`: the name is the next whitespace-separated
 * token, so `test_x[a b]` is `test_x[a`, as the datasets spell it. `SKIPPED [1] path:line`
 * names no test (the newer SWE-bench skips it too; the older one kept `[1]`, which no dataset lists).
 */
export function readStatusFirst(line: string): Reading | undefined {
  const match = STATUS_FIRST.exec(line);
  if (!match) return undefined;
  const [, status = '', name = ''] = match;
  if (status === 'SKIPPED' && SKIP_SUMMARY_COUNT.test(name)) return undefined;
  return isTestStatus(status) ? [name, status] : undefined;
}

/**
 * A `-v` progress line, `path::test STATUS [ 50%]` or `path::test STATUS [1] reason`, naming
 * the test by its first token; also when output the test printed stands between the two.
 */
export function readVerbose(line: string): Reading | undefined {
  // The cheap checks keep the backtracking regex off long lines of program output, and
  // section headers (`____ ERROR at teardown of test_x ____`) from being read as results.
  if (line.length > MAX_VERBOSE_LINE || !line.includes('::')) return undefined;
  const testFirst = TEST_FIRST.exec(line);
  if (testFirst) return [testFirst[1] ?? '', testFirst[2] as TestStatus];
  const match = VERBOSE_LINE.exec(line.trimEnd());
  const status = match?.[2] ?? '';
  return match && isTestStatus(status) ? [match[1] ?? '', status] : undefined;
}

/** Both line forms every pytest parser reads. */
export function readPytestLine(line: string): Reading | undefined {
  return readStatusFirst(line) ?? readVerbose(line);
}

/** pytest's last line: `==== 1 failed, 2 passed, 1 warning in 0.12s ====`, or `no tests ran in ...`. */
const FINAL_SUMMARY = /^=*\s*((?:\d+ [a-z]+(?:, )?)+|no tests ran) in [\d.]+ ?(?:s|seconds)(?: \([\d:]+\))?\s*=*$/;

function isFinalSummary(line: string): boolean {
  return FINAL_SUMMARY.test(line.trim());
}

/**
 * The lines pytest wrote: up to its final summary line, which is the last thing it prints.
 * Result lines after it were printed by something else (an atexit hook or a process left
 * behind by the code under test), so they are not read. A log with no final summary is
 * read whole (the completion check then refuses it as evidence).
 */
export function pytestLines(log: string, clean: (line: string) => string = (l) => l): string[] {
  const lines = logLines(log).map(clean);
  const last = lines.findLastIndex(isFinalSummary);
  return last < 0 ? lines : lines.slice(0, last + 1);
}

/** Parses with one line reader, the last report of a name winning, as SWE-bench does. */
export function parseWith(log: string, read: (line: string) => Reading | undefined, clean?: (line: string) => string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const line of pytestLines(log, clean)) {
    const reading = read(line);
    if (!reading) continue;
    statuses.set(reading[0], reading[1]);
  }
  return statuses;
}

function summaryCounts(log: string): Map<string, number> | undefined {
  const line = logLines(log).findLast(isFinalSummary);
  if (line === undefined) return undefined;
  const counts = new Map<string, number>();
  const match = FINAL_SUMMARY.exec(line.trim());
  for (const part of (match?.[1] ?? '').split(', ')) {
    const [n, word] = part.split(' ');
    if (word) counts.set(word.replace(/s$/, ''), Number(n));
  }
  return counts;
}

/**
 * Whether the log is the evidence of a finished pytest run:
 * - a run that never printed pytest's final summary did not finish (killed, or os._exit from
 *   the code under test after printing PASSED lines);
 * - pytest exits 1 exactly when a test failed or errored: a final summary that disagrees
 *   with the exit code was not written by pytest;
 * - a summary counting fewer passes than the log's PASSED lines for graded tests means some
 *   of those lines are not pytest's. Only node ids (`path::test`) count: pytest's own tests
 *   print inner runs' lines such as `PASSED [100%]`, and datasets list such ids
 *   (pytest-dev__pytest-5227 lists `[100%]` and `[`), which are no evidence either way.
 * `statuses` holds the graded tests only.
 */
export function checkPytestCompletion(log: string, statuses: TestStatusMap, exitCode?: number | null): string | undefined {
  const counts = summaryCounts(log);
  if (!counts) return "pytest's final summary line is missing: the run did not finish";
  const failures = (counts.get('failed') ?? 0) + (counts.get('error') ?? 0);
  if (exitCode === 0 && failures > 0) return `pytest's final summary counts ${failures} failed or erroring tests but the test command exited 0`;
  if (exitCode === 1 && failures === 0) return "the test command exited 1 (tests failed) but the final summary line counts no failure: it is not pytest's";
  const passedLines = [...statuses].filter(([name, s]) => s === 'PASSED' && name.includes('::')).length;
  const passedCount = (counts.get('passed') ?? 0) + (counts.get('xpassed') ?? 0);
  if (passedLines > passedCount) return `the log has ${passedLines} PASSED tests but pytest's summary counts ${passedCount} passed`;
  return undefined;
}
