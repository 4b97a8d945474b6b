import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * SymPy's own runner in verbose mode (`bin/test -C --verbose`), which prints one line per
 * test function: `test_name ok`, `test_name F`, or `test_name <skip reason> s`. Names are
 * bare function names, as SWE-bench's `parse_log_sympy` records them; each traceback header
 * `____ path/test_x.py:test_y ____` (or `::` in newer SymPy) marks `path/test_x.py:test_y`
 * as FAILED. A name reported twice (a `test_noncommutative` in two files) keeps its last report.
 *
 * `sympy` reads as SWE-bench does, which the datasets' lists were made with: only `ok`, `F`
 * and `E`, and not the last test of a file, whose line also carries the file's `[OK]` or
 * `[FAIL]` marker (`test_Add_is_zero ok   [FAIL]` does not end with ` ok`).
 *
 * `sympy-faithful` reads what the log shows: the marker is removed first, `f` (expected
 * failure) is XFAIL, `s`/`w`/`K` (skipped, slow, interrupted) are SKIPPED and `T` (timed out)
 * is ERROR. `X` (an XFAIL test that passed) is not recorded, as pytest's XPASS is not.
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
const SWE_BENCH_MARKS = new Set(['ok', 'F', 'E']);

function parseSympy(log: string, faithful: boolean): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const raw of logLines(log)) {
    const line = faithful ? raw.trim().replace(FILE_MARKER, '') : raw.trim();
    const header = FAILURE_HEADER.exec(line);
    if (header) {
      recordStatus(statuses, header[1] ?? '', 'FAILED');
      continue;
    }
    const test = TEST_LINE.exec(line);
    const mark = test?.[2] ?? '';
    const status = faithful || SWE_BENCH_MARKS.has(mark) ? STATUS_OF[mark] : undefined;
    if (test && status) recordStatus(statuses, test[1] ?? '', status);
  }
  return statuses;
}

export const parseSympyLog = (log: string): TestStatusMap => parseSympy(log, false);

export const sympyParser: LogParser = {
  name: 'sympy',
  description: 'SymPy bin/test --verbose output (`test_name ok|F|E`), read as SWE-bench reads it',
  parse: parseSympyLog,
};

export const sympyFaithfulParser: LogParser = {
  name: 'sympy-faithful',
  description: 'SymPy bin/test --verbose output, every mark and the last test of each file read (not SWE-bench)',
  parse: (log) => parseSympy(log, true),
};
