import { TEST_STATUSES, type TestStatus, type TestStatusMap } from '../grading/test-status.js';

/** What one run of the task's test command gave. */
export interface TestRun {
  command: string;
  /** null when the run was killed (timeout or cancel). */
  exitCode: number | null;
  timedOut: boolean;
  timeoutSeconds: number;
  statuses: TestStatusMap;
  log: string;
  parser: string;
}

export const TAIL_LINES = 60;
const MAX_NAMES_PER_STATUS = 50;
const NAMED_STATUSES: TestStatus[] = ['FAILED', 'ERROR'];

/**
 * A test run as a model reads it: how it ended, counts per status, the failing and
 * erroring tests by name, then the end of the log (where the runner puts tracebacks and its
 * summary). Passing tests are only counted: their names are noise.
 */
export function summarizeTestRun(run: TestRun): string {
  const parts = [`$ ${run.command}`, `${ending(run)}; ${countLine(run.statuses)}`];
  if (run.statuses.size === 0) parts.push(`No test results could be read from the output (${run.parser} format); see the output below.`);
  for (const status of NAMED_STATUSES) {
    const names = [...run.statuses].filter(([, s]) => s === status).map(([name]) => name);
    if (names.length > 0) parts.push(nameList(status, names));
  }
  parts.push(`--- last ${TAIL_LINES} lines of output ---\n${logTail(run.log, TAIL_LINES)}`);
  return parts.join('\n');
}

function ending(run: TestRun): string {
  if (run.timedOut) return `TIMED OUT after ${run.timeoutSeconds} s (killed; results so far)`;
  return run.exitCode === null ? 'killed before it finished' : `exit code ${run.exitCode}`;
}

export function countLine(statuses: TestStatusMap): string {
  const counts = new Map<TestStatus, number>();
  for (const status of statuses.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
  const byStatus = TEST_STATUSES.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`);
  const total = `${statuses.size} test${statuses.size === 1 ? '' : 's'}`;
  return byStatus.length ? `${total}: ${byStatus.join(', ')}` : total;
}

function nameList(status: TestStatus, names: string[]): string {
  const shown = names.slice(0, MAX_NAMES_PER_STATUS).map((n) => `  ${n}`);
  if (names.length > shown.length) shown.push(`  ... and ${names.length - shown.length} more`);
  return `${status} (${names.length}):\n${shown.join('\n')}`;
}

/** The last `count` lines, trailing blank lines dropped. */
export function logTail(log: string, count: number): string {
  const lines = log.replace(/\s+$/, '').split('\n');
  const tail = lines.slice(-count);
  return lines.length > count ? `[... ${lines.length - count} earlier lines not shown ...]\n${tail.join('\n')}` : tail.join('\n');
}
