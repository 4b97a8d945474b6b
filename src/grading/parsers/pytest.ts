import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * `pytest -rA` (any version, with or without `-v`), read the way SWE-bench's
 * `parse_log_pytest` reads it, because dataset test names are spelled by that parser:
 *
 * - A summary line starts with a status word; the test name is the next whitespace-separated
 *   token. Names of parametrized tests with spaces are therefore cut at the first space
 *   (`test_x[a b]` becomes `test_x[a`), exactly as FAIL_TO_PASS/PASS_TO_PASS spell them.
 *   Everything after the name (` - reason`) is ignored.
 * - `SKIPPED [1] path:line: reason` carries no test name and is ignored.
 * - XPASS lines are not recorded (SWE-bench ignores them), so an unexpectedly passing xfail
 *   test counts as missing, i.e. failed.
 * - Bracketed junk such as `PASSED [100%]` (a wrapped progress line) IS kept under its odd
 *   name, because some SWE-bench PASS_TO_PASS lists contain it.
 *
 * The `-v` progress lines (`path::test PASSED [ 50%]`) are read too, naming the test by the
 * same first token so both forms agree. A test reported twice keeps its worse outcome, so a
 * `PASSED x` printed by the code under test cannot hide the runner's `FAILED x`.
 */
const SUMMARY_LINE = /^(PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)\s+(\S+)/;
const VERBOSE_LINE =
  /^(\S*::\S*)(?: .*?)? (PASSED|FAILED|SKIPPED|ERROR|XFAIL|XPASS)(?: \(.*\))?(?:\s+\[\s*\d+%\])?$/;
const SKIP_SUMMARY_COUNT = /^\[\d+\]$/;
const MAX_VERBOSE_LINE = 4096;

function readLine(line: string): [name: string, status: string] | undefined {
  const summary = SUMMARY_LINE.exec(line);
  if (summary) {
    const [, status = '', name = ''] = summary;
    if (status === 'SKIPPED' && SKIP_SUMMARY_COUNT.test(name)) return undefined;
    return [name, status];
  }
  // The cheap checks keep the backtracking regex off long lines of program output.
  if (line.length > MAX_VERBOSE_LINE || !line.includes('::')) return undefined;
  const verbose = VERBOSE_LINE.exec(line.trimEnd());
  if (verbose) return [verbose[1] ?? '', verbose[2] ?? ''];
  return undefined;
}

export function parsePytestLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const line of logLines(log)) {
    const result = readLine(line);
    if (!result || result[1] === 'XPASS') continue;
    recordStatus(statuses, result[0], result[1] as TestStatus);
  }
  return statuses;
}

/** pytest's last line: `==== 1 failed, 2 passed, 1 warning in 0.12s ====`, or `no tests ran in ...`. */
const FINAL_SUMMARY = /^=*\s*((?:\d+ [a-z]+(?:, )?)+|no tests ran) in [\d.]+ ?(?:s|seconds)(?: \([\d:]+\))?\s*=*$/;

function summaryCounts(log: string): Map<string, number> | undefined {
  let counts: Map<string, number> | undefined;
  for (const line of logLines(log)) {
    const match = FINAL_SUMMARY.exec(line.trim());
    if (!match) continue;
    counts = new Map();
    for (const part of (match[1] ?? '').split(', ')) {
      const [n, word] = part.split(' ');
      if (word) counts.set(word.replace(/s$/, '').replace(/^error$/, 'error'), Number(n));
    }
  }
  return counts;
}

/**
 * A run that never printed pytest's final summary did not finish (killed, or os._exit from
 * the code under test after printing PASSED lines); one whose summary counts fewer passes
 * than PASSED lines in the log has lines that pytest did not write. The last summary line is
 * the outer run's (pytest's own tests print inner runs' output before it). `statuses` should
 * hold the tests being graded only: inner runs' PASSED lines are no evidence either way.
 */
function checkPytestCompletion(log: string, statuses: TestStatusMap): string | undefined {
  const counts = summaryCounts(log);
  if (!counts) return "pytest's final summary line is missing: the run did not finish";
  const passedLines = [...statuses.values()].filter((s) => s === 'PASSED').length;
  const passedCount = (counts.get('passed') ?? 0) + (counts.get('xpassed') ?? 0);
  if (passedLines > passedCount) return `the log has ${passedLines} PASSED tests but pytest's summary counts ${passedCount} passed`;
  return undefined;
}

export const pytestParser: LogParser = {
  name: 'pytest',
  description: 'pytest -rA output (short test summary and -v progress lines), SWE-bench spelling',
  parse: parsePytestLog,
  checkCompletion: checkPytestCompletion,
};
