import { recordStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import { isObject, jsonReports } from './json-in-log.js';
import type { LogParser } from './log-parser.js';
import { indentOf, logLines } from './log-text.js';

/**
 * RSpec's `--format documentation`: groups and examples by indentation (two spaces a level),
 * an example's line ending in `(FAILED - 1)` or `(PENDING: reason)` when it did not pass. An
 * example is named by its groups' and its own descriptions joined by spaces, RSpec's
 * `full_description`. The list ends where the `Pending:` or `Failures:` recaps begin.
 */
const FAILED = / \(FAILED - \d+\)$/;
const PENDING = / \(PENDING: .*\)$/;
const RECAP = /^(?:Pending:|Failures:|Finished in )/;

export function parseRspecDocumentation(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  let path: { indent: number; text: string }[] = [];
  let previous: { indent: number; text: string } | undefined;
  const settle = (next: number): void => {
    // The previous line was an example (a leaf) unless the next line is indented under it.
    if (previous && next <= previous.indent) {
      const name = [...path.map((p) => p.text), previous.text].join(' ');
      recordStatus(statuses, name, 'PASSED');
    }
    if (previous && next > previous.indent) path.push(previous);
    previous = undefined;
  };
  for (const raw of logLines(log)) {
    const text = raw.trim();
    if (text === '') continue;
    if (RECAP.test(text)) break;
    const indent = indentOf(raw);
    settle(indent);
    path = path.filter((p) => p.indent < indent);
    const outcome: TestStatus | undefined = FAILED.test(text) ? 'FAILED' : PENDING.test(text) ? 'SKIPPED' : undefined;
    if (outcome) {
      const title = text.replace(FAILED, '').replace(PENDING, '');
      recordStatus(statuses, [...path.map((p) => p.text), title].join(' '), outcome);
    } else {
      previous = { indent, text };
    }
  }
  settle(-1);
  return statuses;
}

interface RspecReport {
  examples: { full_description?: string; status?: string }[];
}

function isRspecReport(value: unknown): value is RspecReport {
  return isObject(value) && Array.isArray(value.examples) && 'summary' in value;
}

const JSON_STATUS: Record<string, TestStatus> = { passed: 'PASSED', failed: 'FAILED', pending: 'SKIPPED' };

/** `rspec --format json`: every example by `full_description`. */
export function parseRspecJson(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  for (const report of jsonReports(log, isRspecReport)) {
    for (const example of report.examples) {
      const status = JSON_STATUS[example.status ?? ''];
      if (example.full_description !== undefined && status) recordStatus(statuses, example.full_description, status);
    }
  }
  return statuses;
}

export const rspecParser: LogParser = {
  name: 'rspec',
  description: 'RSpec --format documentation output, examples named by full description',
  parse: parseRspecDocumentation,
};

export const rspecJsonParser: LogParser = {
  name: 'rspec-json',
  description: 'RSpec --format json report in the log, examples named by full_description',
  parse: parseRspecJson,
};
