import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * SymPy's own runner in verbose mode (`bin/test -C --verbose`), which prints one line per
 * test function: `test_name ok`, `test_name F`, or `test_name <skip reason> s`. Names are
 * bare function names, as SWE-bench's `parse_log_sympy` records them.
 *
 * Beyond SWE-bench:
 * - the last test of each file shares its line with the file's `[OK]`/`[FAIL]` marker, which
 *   SWE-bench's `endswith(" ok")` misses; the marker is removed first;
 * - `f` (expected failure) is XFAIL, `s`/`w`/`K` (skipped, slow, interrupted) are SKIPPED and
 *   `T` (timed out) is ERROR; SWE-bench records only ok/F/E. `X` (an XFAIL test that passed)
 *   is not recorded, as SWE-bench's pytest parser ignores XPASS.
 *
 * As in SWE-bench, each traceback header `____ path/test_x.py:test_y ____` (or `::` in newer
 * SymPy) marks `path/test_x.py:test_y` as FAILED.
 */
const FILE_MARKER = /\s+\[(?:OK|FAIL)\]$/;
const TEST_LINE = /^(test_\w+)(?:\s.*)?\s(ok|F|E|T|f|X|s|w|K)$/;
const FAILURE_HEADER = /^_+ (\S+\.py:{1,2}\S+) _+$/;

const STATUS_OF: Record<string, TestStatus | undefined> = {
  ok: 'PASSED',
  F: 'FAILED',
  E: 'ERROR',
  T: 'ERROR',
  f: 'XFAIL',
  s: 'SKIPPED',
  w: 'SKIPPED',
  K: 'SKIPPED',
};

export function parseSympyLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const raw of logLines(log)) {
    const line = raw.trim().replace(FILE_MARKER, '');
    const header = FAILURE_HEADER.exec(line);
    if (header) {
      recordStatus(statuses, header[1] ?? '', 'FAILED');
      continue;
    }
    const test = TEST_LINE.exec(line);
    const status = test ? STATUS_OF[test[2] ?? ''] : undefined;
    if (test && status) recordStatus(statuses, test[1] ?? '', status);
  }
  return statuses;
}

export const sympyParser: LogParser = {
  name: 'sympy',
  description: 'SymPy bin/test --verbose output (`test_name ok|F|E|f|s`), bare function names',
  parse: parseSympyLog,
};
