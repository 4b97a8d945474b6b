import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import { logLines } from './log-text.js';

/**
 * The verbose line format of Python's unittest runner (`python -m unittest -v`, Django's
 * `runtests.py --verbosity 2`), shared by the `unittest` and `django` parsers.
 *
 * A test is named as SWE-bench's `parse_log_django` names it: the text before ` ... ` on its
 * result line, e.g. `test_x (app.tests.T)` (Python < 3.11) or `test_x (app.tests.T.test_x)`
 * (3.11+). For a test with a docstring that text is the docstring's first line, which is how
 * SWE-bench's Django lists spell such tests; the `test_x (…)` line printed just before it is
 * recorded as a second name for the same result, so datasets of either spelling grade.
 *
 * Where SWE-bench's line rules lose a result, this reads it, because a test that is missing
 * from the map counts as failed:
 * - output printed between ` ... ` and the result (`test_x ... Creating table\nok`): the
 *   result on a later line of its own belongs to the last test still waiting for one. This
 *   also covers the three multi-line patterns SWE-bench matches with special regexes.
 * - `test_a ... test_b ... ok` (a test whose subtests failed prints no result, on 3.10 and
 *   older): the result belongs to `test_b`; `test_a` is named by its `FAIL:` header. The
 *   whole chain `test_a (…) ... test_b (…)`, SWE-bench's name for it, gets the result too.
 * - `FAIL: test_x (app.tests.T)` / `ERROR: …` headers record the full test name (SWE-bench
 *   records only `test_x`, which no dataset spells).
 * - `expected failure` is XFAIL and `unexpected success` is FAILED (SWE-bench records
 *   neither, so those tests were absent from its maps and from the datasets).
 */

/** `test_x (module.Class)`, maybe followed by a subtest's parameters. */
const TEST_ID = /^\w+ \([\w.]+\)/;
const BARE_TEST_ID = /^\w+ \([\w.]+\)$/;
const RESULT_SEPARATOR = / \.\.\.(?: |$)/;
const FAILURE_HEADER = /^(FAIL|ERROR): (\w+ \([\w.]+\))/;
// Past these lines no test is still waiting for its result.
const RUN_BOUNDARY = /^(?:Ran \d+ tests? in |={20,}$|-{20,}$)/;

/** What differs between runners that print this format. */
export interface UnittestDialect {
  /** Rewrites a trimmed line before it is read. */
  normalize?(line: string): string;
  /** Records statuses a line implies outside the general rules. */
  special?(line: string, statuses: TestStatusMap): void;
}

function resultStatus(text: string): TestStatus | undefined {
  const result = text.trim();
  if (result === 'ok' || result === 'OK') return 'PASSED';
  if (result === 'FAIL') return 'FAILED';
  if (result === 'ERROR') return 'ERROR';
  if (result === 'expected failure') return 'XFAIL';
  if (result === 'unexpected success') return 'FAILED';
  if (/^skipped\b/.test(result)) return 'SKIPPED';
  return undefined;
}

/** A result alone on a line, after output that interrupted its test's line. */
function lateResultStatus(line: string): TestStatus | undefined {
  // `OK` alone is the run's final verdict, not a test's result.
  return line === 'OK' ? undefined : resultStatus(line);
}

/**
 * Reads a line holding ` ... `; returns the names still waiting for a result.
 * `docstringOf` is the bare `test_x (…)` line printed just before, if any.
 */
function readResultLine(line: string, docstringOf: string | undefined, statuses: TestStatusMap): string[] {
  const segments = line.split(RESULT_SEPARATOR);
  let resultAt = segments.length;
  let status: TestStatus | undefined;
  // From the right, so a skip reason containing ` ... ` stays part of the result.
  for (let i = segments.length - 1; i > 0 && !status; i--) {
    status = resultStatus(segments.slice(i).join(' ... '));
    if (status) resultAt = i;
  }
  const lastNameAt = status ? resultAt - 1 : segments.length - 2;
  let start = 0;
  for (let i = lastNameAt; i > 0; i--) {
    if (TEST_ID.test(segments[i] ?? '')) {
      start = i;
      break;
    }
  }
  const end = status ? resultAt : start + 1;
  const names = [segments.slice(start, end).join(' ... ').trim()];
  if (docstringOf && start === 0) names.push(docstringOf);
  // SWE-bench names a chained line by all of it before the result (`test_a (…) ... test_b (…)`),
  // and datasets made from such logs list that text.
  const chain = segments.slice(0, end).join(' ... ').trim();
  if (status && start > 0) names.push(chain);
  if (!status) return names;
  for (const name of names) recordStatus(statuses, name, status);
  return [];
}

export function parseUnittestStyleLog(log: string, dialect: UnittestDialect = {}): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  let waiting: string[] = [];
  let previousBareId: string | undefined;
  for (const raw of logLines(log)) {
    const trimmed = raw.trim();
    const line = dialect.normalize ? dialect.normalize(trimmed) : trimmed;
    dialect.special?.(line, statuses);
    const docstringOf = previousBareId;
    previousBareId = undefined;
    const header = FAILURE_HEADER.exec(line);
    const late = waiting.length > 0 ? lateResultStatus(line) : undefined;
    if (header) {
      recordStatus(statuses, header[2] ?? '', header[1] === 'FAIL' ? 'FAILED' : 'ERROR');
      waiting = [];
    } else if (RESULT_SEPARATOR.test(line)) {
      waiting = readResultLine(line, docstringOf, statuses);
    } else if (late) {
      for (const name of waiting) recordStatus(statuses, name, late);
      waiting = [];
    } else if (RUN_BOUNDARY.test(line)) {
      waiting = [];
    } else if (BARE_TEST_ID.test(line)) {
      previousBareId = line;
    }
  }
  return statuses;
}

const RAN = /^Ran (\d+) tests? in /;
const VERDICT = /^(OK|FAILED)\b/;

/**
 * Whether the unittest runner reached its end: its `Ran N tests` line, then the verdict
 * (`OK`, `FAILED (failures=1)`), which must agree with the exit code (the runner exits 1
 * exactly when the verdict is FAILED). Without them the log is not the runner's evidence.
 */
export function checkUnittestCompletion(log: string, _statuses: TestStatusMap, exitCode?: number | null): string | undefined {
  const lines = logLines(log).map((line) => line.trim());
  const ran = lines.findLastIndex((line) => RAN.test(line));
  if (ran < 0) return "the runner's `Ran N tests` line is missing: the run did not finish";
  const verdict = lines.slice(ran + 1).find((line) => VERDICT.test(line));
  if (verdict === undefined) return "the runner's final OK/FAILED verdict is missing";
  const failed = verdict.startsWith('FAILED');
  if (exitCode === 0 && failed) return `the runner's verdict is "${verdict}" but the test command exited 0`;
  if (exitCode === 1 && !failed) return 'the test command exited 1 but the runner\'s verdict is OK: it is not the runner\'s';
  return undefined;
}
