import { stripAnsi } from './log-text.js';

/**
 * The JSON reports in a log (`jest --json`, `mocha --reporter json`), found among other
 * output: each line that starts an object is tried with every later line that ends one, the
 * shortest slice that parses being the report. Objects that `accepts` refuses are skipped.
 */
export function jsonReports<T>(log: string, accepts: (value: unknown) => value is T): T[] {
  const lines = stripAnsi(log).split(/\r?\n/);
  const reports: T[] = [];
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start]?.trimStart().startsWith('{')) continue;
    for (let end = start; end < lines.length; end++) {
      if (!lines[end]?.trimEnd().endsWith('}')) continue;
      const value = tryParse(lines.slice(start, end + 1).join('\n'));
      if (value !== undefined && accepts(value)) {
        reports.push(value);
        start = end;
        break;
      }
    }
  }
  return reports;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
