import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import { isObject, jsonReports } from './json-in-log.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * `jest --verbose`, read as SWE-bench's `parse_log_jest` reads it (babel, docusaurus): a
 * result line is `✓ title (12 ms)`, `✕ title` or `○ skipped title`, and the test is named by
 * its title alone (describe blocks are not part of the name, so two tests of one title in
 * two blocks are one name, the last report winning). `✎ todo` tests are not recorded.
 */
const VERBOSE_LINE = /^(✓|✕|○)\s(.+?)(?:\s\((\d+\s*m?s)\))?$/;
const STATUS_OF: Record<string, TestStatus> = { '✓': 'PASSED', '✕': 'FAILED', '○': 'SKIPPED' };

export function parseJestVerbose(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const line of logLines(log)) {
    const match = VERBOSE_LINE.exec(line.trim());
    if (match) recordStatus(statuses, (match[2] ?? '').trim(), STATUS_OF[match[1] ?? ''] ?? 'FAILED');
  }
  return statuses;
}

interface JestReport {
  testResults: { assertionResults?: { fullName?: string; status?: string }[] }[];
}

function isJestReport(value: unknown): value is JestReport {
  return isObject(value) && Array.isArray(value.testResults) && 'numTotalTests' in value;
}

const JSON_STATUS: Record<string, TestStatus> = { passed: 'PASSED', failed: 'FAILED', pending: 'SKIPPED', skipped: 'SKIPPED', disabled: 'SKIPPED', todo: 'SKIPPED' };

/**
 * `jest --json` (the report on stdout): each assertion result named by its `fullName`
 * (describe titles and the test title joined by spaces), which tells apart tests of one title
 * in two blocks. The report is written by jest after the run, so lines a test printed cannot
 * imitate an entry of it.
 */
export function parseJestJson(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const report of jsonReports(log, isJestReport)) {
    for (const file of report.testResults) {
      for (const result of file.assertionResults ?? []) {
        const status = JSON_STATUS[result.status ?? ''];
        if (result.fullName !== undefined && status) recordStatus(statuses, result.fullName, status);
      }
    }
  }
  return statuses;
}

export const jestParser: LogParser = {
  name: 'jest',
  description: 'jest --verbose output (`✓ title (5 ms)`), titles alone as SWE-bench names them',
  parse: parseJestVerbose,
};

export const jestJsonParser: LogParser = {
  name: 'jest-json',
  description: 'jest --json report in the log, tests named by fullName',
  parse: parseJestJson,
};
