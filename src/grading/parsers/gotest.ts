import { recordWorstStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * `go test -v`: `--- PASS: TestX (0.00s)`, `--- FAIL:`, `--- SKIP:`, with subtests indented
 * and named as Go prints them (`TestX/sub_case`). Same line rule as SWE-bench's
 * `parse_log_gotest`. `t.Log` output is prefixed with `file_test.go:N:`, so only raw prints
 * to stdout can imitate a result line, and those cannot hide a real failure.
 */
const RESULT_LINE = /^--- (PASS|FAIL|SKIP): (.+) \((.+)\)$/;
const STATUS_OF: Record<string, TestStatus> = { PASS: 'PASSED', FAIL: 'FAILED', SKIP: 'SKIPPED' };

export function parseGoTestLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const line of logLines(log)) {
    const match = RESULT_LINE.exec(line.trim());
    const status = match ? STATUS_OF[match[1] ?? ''] : undefined;
    if (match && status) recordWorstStatus(statuses, match[2] ?? '', status);
  }
  return statuses;
}

export const goTestParser: LogParser = {
  name: 'gotest',
  description: 'go test -v output (`--- PASS: TestX/sub (0.00s)`)',
  parse: parseGoTestLog,
};
