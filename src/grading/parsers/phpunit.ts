import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * PHPUnit's `--testdox` output (9.x and later): a class's heading at the start of a line, then
 * one line per test indented by one space: `✔` passed, `✘` failed or errored, `↩` skipped,
 * `∅` incomplete (counted as skipped). A test is named `Heading > Title` as testdox prints
 * them; lines a test echoes start at the margin or elsewhere, so they are not read.
 * For per-method names use `--log-junit` and the junit-xml parser.
 */
const RESULT = /^ (✔|✘|↩|∅) (.+)$/;
const HEADING = /^\S.*$/;
const STATUS_OF: Record<string, TestStatus> = { '✔': 'PASSED', '✘': 'FAILED', '↩': 'SKIPPED', '∅': 'SKIPPED' };
const NOT_A_HEADING = /^(?:PHPUnit \d|Time: |OK \(|FAILURES!|ERRORS!|Tests: |There (?:was|were) |✔|✘|↩|∅)/;

export function parsePhpunitTestdox(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  let heading: string | undefined;
  for (const raw of logLines(log)) {
    const line = raw.trimEnd();
    const result = RESULT.exec(line);
    if (result && heading !== undefined) {
      recordStatus(statuses, `${heading} > ${result[2] ?? ''}`, STATUS_OF[result[1] ?? ''] ?? 'FAILED');
    } else if (HEADING.test(line) && !NOT_A_HEADING.test(line)) {
      heading = line;
    }
  }
  return statuses;
}

export const phpunitParser: LogParser = {
  name: 'phpunit',
  description: 'PHPUnit --testdox output (`Cart` then ` ✔ Adds items`), tests named `Class > Title`',
  parse: parsePhpunitTestdox,
};
