import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * `vitest run --reporter=verbose`, read as SWE-bench's `parse_log_vitest` reads it (vuejs/core):
 * `✓ file > describe > test 12ms`, `× …` (failed), `↓ …` (skipped); the name is all of it
 * after the mark, the duration removed. Todo tests (`□`) are not recorded.
 */
const RESULT_LINE = /^(✓|×|↓)\s(.+?)(?:\s(\d+\s*m?s?|\[skipped\]))?$/;
const STATUS_OF: Record<string, TestStatus> = { '✓': 'PASSED', '×': 'FAILED', '↓': 'SKIPPED' };

export function parseVitestLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const line of logLines(log)) {
    const match = RESULT_LINE.exec(line.trim());
    if (match) recordStatus(statuses, match[2] ?? '', STATUS_OF[match[1] ?? ''] ?? 'FAILED');
  }
  return statuses;
}

export const vitestParser: LogParser = {
  name: 'vitest',
  description: 'vitest run --reporter=verbose output (`✓ file > suite > test 3ms`)',
  parse: parseVitestLog,
};
