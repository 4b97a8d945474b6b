import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * `gradle test` with `testLogging { events 'passed', 'failed', 'skipped' }`, read as SWE-bench's
 * `parse_log_gradle_custom` reads it (lucene, rxjava): `cart.CartTest > sumsItems PASSED`. A
 * name line whose status was pushed to a later line by other output (`cart.CartTest >
 * sumsItems`, then warnings, then `PASSED`) gets that status. SKIPPED, which SWE-bench does
 * not read, is recorded too.
 */
const FULL = /^([^>].+)\s+(PASSED|FAILED|SKIPPED)$/;
const NAME_ONLY = /^(\S+\s+>\s+\S+)$/;
const STATUS_ONLY = /^(PASSED|FAILED|SKIPPED)$/;

export function parseGradleLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  let pending: string | undefined;
  for (const raw of logLines(log)) {
    const line = raw.trim();
    const full = FULL.exec(line);
    if (full) {
      recordStatus(statuses, (full[1] ?? '').trim(), full[2] as TestStatus);
      pending = undefined;
      continue;
    }
    const name = NAME_ONLY.exec(line);
    if (name) {
      pending = name[1];
      continue;
    }
    const status = STATUS_ONLY.exec(line);
    if (status && pending !== undefined) {
      recordStatus(statuses, pending, status[1] as TestStatus);
      pending = undefined;
    }
  }
  return statuses;
}

export const gradleParser: LogParser = {
  name: 'gradle',
  description: "gradle test with testLogging events (`pkg.Class > method PASSED`), SWE-bench's reading",
  parse: parseGradleLog,
};
