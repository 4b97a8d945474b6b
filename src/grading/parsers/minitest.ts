import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * minitest's `--verbose` output: `CartTest#test_adds_items = 0.00 s = .` (`F` failed, `E`
 * error, `S` skipped). A test that prints output puts its result on a later line of its own
 * (`0.00 s = .`), which belongs to the test still waiting; text a test printed that imitates
 * another test's line never starts a line of its own, so it is not read.
 */
const LINE = /^([\w:]+#\S+) = (?:([\d.]+ s) = ([.FES]))?/;
const LATE_RESULT = /^[\d.]+ s = ([.FES])$/;
const STATUS_OF: Record<string, TestStatus> = { '.': 'PASSED', F: 'FAILED', E: 'ERROR', S: 'SKIPPED' };

export function parseMinitestLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  let waiting: string | undefined;
  for (const raw of logLines(log)) {
    const line = raw.trimEnd();
    const match = LINE.exec(line);
    if (match) {
      const status = match[2] !== undefined && line === match[0] ? STATUS_OF[match[3] ?? ''] : undefined;
      if (status) recordStatus(statuses, match[1] ?? '', status);
      waiting = status ? undefined : match[1];
      continue;
    }
    const late = LATE_RESULT.exec(line);
    if (late && waiting !== undefined) recordStatus(statuses, waiting, STATUS_OF[late[1] ?? ''] ?? 'FAILED');
    if (late) waiting = undefined;
  }
  return statuses;
}

export const minitestParser: LogParser = {
  name: 'minitest',
  description: 'minitest --verbose output (`Class#test_name = 0.00 s = .`)',
  parse: parseMinitestLog,
};
