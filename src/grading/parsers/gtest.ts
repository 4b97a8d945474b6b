import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * GoogleTest's console output: `[ RUN      ] Suite.Name`, then `[       OK ] Suite.Name (0 ms)`,
 * `[  FAILED  ] Suite.Name (1 ms)` (with `, where GetParam() = …` for a parametrized test) or
 * `[  SKIPPED ] Suite.Name (0 ms)`. A result counts only for the test its `[ RUN ]` line
 * started: a test that prints `[       OK ] Other.Test (0 ms)` while it runs names no result.
 * The closing lists (`[  FAILED  ] Suite.Name` without a time) repeat results and are not read.
 */
const RUN = /^\[ RUN {6}\] (\S+)$/;
const RESULT = /^\[\s*(OK|FAILED|SKIPPED)\s*\] (\S+?)(?:, where .*)? \(\d+ ms\)$/;
const STATUS_OF: Record<string, TestStatus> = { OK: 'PASSED', FAILED: 'FAILED', SKIPPED: 'SKIPPED' };

export function parseGTestLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  let running: string | undefined;
  for (const raw of logLines(log)) {
    const line = raw.trimEnd();
    const run = RUN.exec(line);
    if (run) {
      running = run[1];
      continue;
    }
    const result = RESULT.exec(line);
    if (!result || result[2] !== running) continue;
    const status = STATUS_OF[result[1] ?? ''];
    if (status) recordStatus(statuses, result[2] ?? '', status);
    running = undefined;
  }
  return statuses;
}

export const gtestParser: LogParser = {
  name: 'gtest',
  description: 'GoogleTest console output (`[       OK ] Suite.Test (0 ms)`), results tied to their `[ RUN ]` line',
  parse: parseGTestLog,
};
