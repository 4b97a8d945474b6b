import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * `cargo test` (libtest's default output): `test tests::sums ... ok`, `... FAILED`,
 * `... ignored`, and `test x - should panic ... ok`. Names are the paths libtest prints (as
 * SWE-bench Multilingual lists them); the last report of a name wins, as everywhere else.
 * Doc-tests print `test src/lib.rs - total (line 3) ... ok` and are named so.
 */
const RESULT_LINE = /^test (.+?)(?: - should panic)? \.\.\.(?: (.*))?$/;
/**
 * The status word and whatever follows it: libtest prints `ignored, <reason>` for
 * `#[ignore = "reason"]`, and a cargo stderr line can land between the word and its newline
 * (`test days ... ok     Running tests/parse.rs (...)`). `okay` is not `ok`.
 */
const STATUS_WORD = /^(ok|FAILED|ignored)(?!\w)/;
const STATUS_OF: Record<string, TestStatus> = { ok: 'PASSED', FAILED: 'FAILED', ignored: 'SKIPPED' };

/**
 * libtest writes `test name ... ` before the test runs and the status after it, to stdout;
 * cargo writes its own lines (`Doc-tests crate`, `Running ...`) to stderr. Merged into one log,
 * a stderr line can land in between: `test unknown_unit ...    Doc-tests durations`, then `ok`
 * on the next line. The name then waits for the next line that starts with a status word.
 */
export function parseCargoLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  let waiting: string | undefined;
  for (const line of logLines(log)) {
    const text = line.trim();
    // Leading blanks are cargo's too: its right-aligned stderr words come in pieces (` test seconds ... ok`).
    const match = RESULT_LINE.exec(text);
    if (match) {
      const status = STATUS_OF[STATUS_WORD.exec(match[2] ?? '')?.[1] ?? ''];
      if (status) recordStatus(statuses, match[1] ?? '', status);
      waiting = status ? undefined : match[1];
      continue;
    }
    const alone = waiting === undefined ? undefined : STATUS_OF[STATUS_WORD.exec(text)?.[1] ?? ''];
    if (waiting !== undefined && alone) {
      recordStatus(statuses, waiting, alone);
      waiting = undefined;
    }
  }
  return statuses;
}

const RUNNING = /^running (\d+) tests?$/;
const RESULT = /^test result: (ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored;/;

/**
 * Every test binary cargo started (`running N tests`) must have printed its `test result:`
 * line, the passes they count must cover the graded PASSED tests, and cargo exits 0 exactly
 * when every binary's result is ok (101 when a test failed).
 */
function checkCargoCompletion(log: string, statuses: TestStatusMap, exitCode?: number | null): string | undefined {
  const lines = logLines(log).map((line) => line.trim());
  const started = lines.filter((line) => RUNNING.test(line)).length;
  const results = lines.map((line) => RESULT.exec(line)).filter((m) => m !== null);
  if (started === 0 || results.length < started) return `cargo started ${started} test binaries but ${results.length} printed their result: the run did not finish`;
  const failed = results.some((m) => m[1] === 'FAILED');
  if (exitCode === 0 && failed) return 'a test binary reported FAILED but cargo exited 0';
  if (exitCode === 101 && !failed) return "cargo exited 101 (tests failed) but every test binary's result is ok";
  const passed = results.reduce((sum, m) => sum + Number(m[2]), 0);
  const passedLines = [...statuses.values()].filter((s) => s === 'PASSED').length;
  if (passedLines > passed) return `the log has ${passedLines} passing tests but cargo's results count ${passed} passed`;
  return undefined;
}

export const cargoParser: LogParser = {
  name: 'cargo',
  description: 'cargo test output (`test path::name ... ok|FAILED|ignored`)',
  parse: parseCargoLog,
  checkCompletion: checkCargoCompletion,
};
