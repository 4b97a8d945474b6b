import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import { isObject, jsonReports } from './json-in-log.js';
import type { LogParser } from './log-parser.js';
import { indentOf, logLines } from './log-text.js';

/**
 * mocha's default `spec` reporter: suites and tests by indentation (two spaces a level),
 * `✔ title (5ms)` passed, `N) title` failed, `- title` pending. A test is named by its
 * suites' titles and its own joined by spaces, as mocha's `fullTitle()` names it (and its
 * JSON reporter). The run's closing counts (`4 passing`) end the list: the failure details
 * after them repeat titles with numbers.
 */
const PASSED = /^(?:✔|✓)\s(.+?)(?:\s\(\d+ms\))?$/;
const FAILED = /^\d+\)\s(.+)$/;
const PENDING = /^-\s(.+)$/;
const COUNTS = /^\d+ (?:passing|failing|pending)\b/;

function readResult(text: string): [string, TestStatus] | undefined {
  const pass = PASSED.exec(text);
  if (pass) return [pass[1] ?? '', 'PASSED'];
  const fail = FAILED.exec(text);
  if (fail) return [fail[1] ?? '', 'FAILED'];
  const pending = PENDING.exec(text);
  return pending ? [pending[1] ?? '', 'SKIPPED'] : undefined;
}

export function parseMochaSpec(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  // Titles of the open suites, by indentation.
  let suites: { indent: number; title: string }[] = [];
  for (const line of logLines(log)) {
    const text = line.trim();
    if (text === '') continue;
    if (COUNTS.test(text)) {
      suites = [];
      if (text.includes('failing')) break;
      continue;
    }
    const indent = indentOf(line);
    // Output a test printed at column 0 is no result of a test (mocha indents those).
    if (indent === 0) continue;
    suites = suites.filter((suite) => suite.indent < indent);
    const result = readResult(text);
    if (!result) {
      suites.push({ indent, title: text });
      continue;
    }
    recordStatus(statuses, [...suites.map((s) => s.title), result[0]].join(' '), result[1]);
  }
  return statuses;
}

interface MochaReport {
  stats: unknown;
  tests: { fullTitle?: string; err?: unknown }[];
  pending?: { fullTitle?: string }[];
  failures?: { fullTitle?: string }[];
}

function isMochaReport(value: unknown): value is MochaReport {
  return isObject(value) && isObject(value.stats) && Array.isArray(value.tests);
}

/** `mocha --reporter json`: every test by `fullTitle`, failed when it is in `failures`. */
export function parseMochaJson(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const report of jsonReports(log, isMochaReport)) {
    const failed = new Set((report.failures ?? []).map((t) => t.fullTitle));
    const pending = new Set((report.pending ?? []).map((t) => t.fullTitle));
    for (const test of report.tests) {
      if (test.fullTitle === undefined) continue;
      const status = failed.has(test.fullTitle) ? 'FAILED' : pending.has(test.fullTitle) ? 'SKIPPED' : 'PASSED';
      recordStatus(statuses, test.fullTitle, status);
    }
  }
  return statuses;
}

export const mochaParser: LogParser = {
  name: 'mocha',
  description: "mocha's spec reporter (`✔ title`, `1) title`, `- title`), tests named by fullTitle",
  parse: parseMochaSpec,
};

export const mochaJsonParser: LogParser = {
  name: 'mocha-json',
  description: 'mocha --reporter json report in the log, tests named by fullTitle',
  parse: parseMochaJson,
};
