import { gradeOutput } from '../grading/grade-output.js';
import { getLogParser } from '../grading/parsers/registry.js';
import { testSection } from '../grading/test-log.js';
import { isPassing, type TestStatus, type TestStatusMap } from '../grading/test-status.js';
import type { RejectionReason } from './candidates.js';

/** One run of the eval script: its whole output and the test command's exit code. */
export interface TestRun {
  output: string;
  exitCode: number | null;
}

/** What the repeated runs say: the tests' lists, the flaky ones dropped, and the verdict. */
export interface TestsDecision {
  failToPass: string[];
  passToPass: string[];
  /** Tests whose outcome changed between runs of the same side, with the outcomes seen. */
  flaky: Record<string, { before: string[]; after: string[] }>;
  kept: boolean;
  reason?: RejectionReason;
  detail?: string;
}

export function parseRun(run: TestRun, logParser: string): TestStatusMap {
  const section = testSection(run.output);
  return section === undefined ? new Map() : getLogParser(logParser).parse(section);
}

/** A test's outcome in one run; a test missing from the log has not passed (SWE-bench's rule). */
function outcome(statuses: TestStatusMap, name: string): TestStatus | 'MISSING' {
  return statuses.get(name) ?? 'MISSING';
}

function outcomes(runs: TestStatusMap[], name: string): string[] {
  return [...new Set(runs.map((r) => outcome(r, name)))];
}

function passesInEvery(runs: TestStatusMap[], name: string): boolean {
  return runs.every((r) => isPassing(r.get(name)));
}

function failsInEvery(runs: TestStatusMap[], name: string): boolean {
  return runs.every((r) => !isPassing(r.get(name)));
}

/**
 * A pytest-style id (`path::name`) names its file; one whose file is not among those the test
 * command ran was printed by a test's own inner run (pytest's and plugins' suites run pytest
 * inside their tests, and their output lands in the log): not a test of this repository.
 */
function ranByCommand(name: string, testFiles: string[]): boolean {
  const file = name.includes('::') ? name.slice(0, name.indexOf('::')) : undefined;
  return file === undefined || testFiles.length === 0 || testFiles.includes(file);
}

/**
 * The tests decide, as SWE-bench's validation does: FAIL_TO_PASS fail before (test patch only)
 * and pass after (test patch + code patch), PASS_TO_PASS pass in both, in every run. A test
 * that passes in some runs of one side and not in others is flaky: dropped and recorded.
 */
export function classifyTests(before: TestStatusMap[], after: TestStatusMap[], testFiles: string[] = []): Pick<TestsDecision, 'failToPass' | 'passToPass' | 'flaky'> {
  const names = new Set([...before, ...after].flatMap((m) => [...m.keys()]).filter((n) => ranByCommand(n, testFiles)));
  const flaky: TestsDecision['flaky'] = {};
  const failToPass: string[] = [];
  const passToPass: string[] = [];
  for (const name of [...names].sort()) {
    const unstable = (runs: TestStatusMap[]) => !passesInEvery(runs, name) && !failsInEvery(runs, name);
    if (unstable(before) || unstable(after)) {
      flaky[name] = { before: outcomes(before, name), after: outcomes(after, name) };
      continue;
    }
    if (failsInEvery(before, name) && passesInEvery(after, name)) failToPass.push(name);
    else if (passesInEvery(before, name) && passesInEvery(after, name)) passToPass.push(name);
  }
  return { failToPass, passToPass, flaky };
}

/**
 * Classifies the tests, then grades every run with the lists found, through the grader
 * itself: the gold patch must resolve in every after-run and the empty patch in none.
 */
export function decideTests(beforeRuns: TestRun[], afterRuns: TestRun[], logParser: string, testFiles: string[] = []): TestsDecision {
  const before = beforeRuns.map((r) => parseRun(r, logParser));
  const after = afterRuns.map((r) => parseRun(r, logParser));
  const lists = classifyTests(before, after, testFiles);
  const reject = (reason: RejectionReason, detail: string): TestsDecision => ({ ...lists, kept: false, reason, detail });
  if (after.every((m) => m.size === 0)) {
    const first = afterRuns[0];
    // The compiler's or collector's first complaint, at the top of the test output, says why.
    const head = (testSection(first?.output ?? '') ?? first?.output ?? '').split('\n').filter((l) => l.trim() !== '').slice(0, 4).join(' | ');
    return reject('build_failed', `no test results after the fix: the tests did not build or run (exit ${first?.exitCode}): ${head.slice(0, 400)}`);
  }
  const flakyCount = Object.keys(lists.flaky).length;
  if (lists.failToPass.length === 0) {
    if (flakyCount > 0) return reject('flaky', `no stable FAIL_TO_PASS test; ${flakyCount} flaky: ${Object.keys(lists.flaky).slice(0, 3).join(', ')}`);
    return reject('no_fail_to_pass', `no test fails before the fix and passes after (${after[0]?.size ?? 0} test(s) ran)`);
  }
  const tests = { logParser, failToPass: lists.failToPass, passToPass: lists.passToPass };
  const gold = afterRuns.map((r) => gradeOutput(tests, r.output, r.exitCode));
  const failed = gold.find((g) => !g.resolved);
  if (failed) return reject('gold_does_not_resolve', `the gold patch is not resolved: ${failed.verdict_reason?.message ?? failed.error?.message ?? 'tests failed'}`);
  if (beforeRuns.some((r) => gradeOutput(tests, r.output, r.exitCode).resolved)) return reject('empty_resolves', 'the empty patch resolves it');
  return { ...lists, kept: true };
}
