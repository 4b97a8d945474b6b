import { gradeTests, type TestsStatus } from './grade.js';
import type { LogParser } from './parsers/log-parser.js';
import { getLogParser } from './parsers/registry.js';
import { exitCodeDisagreement, patchRefused, testPatchFailed, testSection } from './test-log.js';
import type { TestStatusMap } from './test-status.js';
import { NOT_RESOLVED, unresolved, type OutputGrade } from './verdict.js';

/** What grading needs to know of the tests: how to read their log and which ones count. */
export interface GradedTests {
  logParser: string;
  failToPass: string[];
  passToPass: string[];
}

/** Grades the eval script's whole output and the test command's exit code: pure, over log text. */
export function gradeOutput(tests: GradedTests, output: string, exitCode: number | null): OutputGrade {
  const refused = patchRefused(output);
  if (refused) return unresolved('PATCH_REFUSED', `the patch would take over the test runner: ${refused}`);
  if (testPatchFailed(output)) {
    return { ...NOT_RESOLVED, error: { code: 'TEST_PATCH_APPLY', message: 'the test patch did not apply after the model patch' } };
  }
  const section = testSection(output);
  if (section === undefined) return unresolved('TEST_LOG', 'the test output markers are missing: the eval script did not run to the end');
  const parser = getLogParser(tests.logParser);
  const statuses = parser.parse(section);
  const graded = gradeTests(statuses, tests.failToPass, tests.passToPass);
  const doubt = crashed(exitCode) ?? logDoubt(parser, section, statuses, exitCode, tests);
  // A log that is no evidence proves no test passing: every graded test counts as failed.
  if (doubt) return { ...unresolved(doubt.code, doubt.message), tests_status: gradeTests(new Map(), tests.failToPass, tests.passToPass).testsStatus };
  if (graded.resolved) return { resolved: true, resolution: graded.resolution, tests_status: graded.testsStatus };
  return { ...unresolved('TESTS_FAILED', testsFailedMessage(graded.testsStatus)), resolution: graded.resolution, tests_status: graded.testsStatus };
}

function testsFailedMessage(status: TestsStatus): string {
  const count = (g: { success: string[]; failure: string[] }) => `${g.success.length}/${g.success.length + g.failure.length}`;
  return `FAIL_TO_PASS ${count(status.FAIL_TO_PASS)} passing, PASS_TO_PASS ${count(status.PASS_TO_PASS)} passing`;
}

type Doubt = { code: 'TEST_CRASHED' | 'TEST_LOG'; message: string };

/** The runner itself was killed by a signal (exit 128+n): its log ends wherever it was cut. */
export function crashed(exitCode: number | null): Doubt | undefined {
  if (exitCode === null || exitCode < 128) return undefined;
  const hint = exitCode === 137 ? ' (SIGKILL: the OOM killer, or the pids limit)' : '';
  return { code: 'TEST_CRASHED', message: `the test command was killed by signal ${exitCode - 128}${hint}` };
}

/**
 * Why the log cannot be taken as evidence, if it cannot: the exit code disagrees with it, no
 * test was parsed, or the runner never reached its own final summary (or the summary counts
 * fewer passes than the log shows for the graded tests).
 */
export function logDoubt(parser: LogParser, log: string, statuses: TestStatusMap, exitCode: number | null, tests: GradedTests): Doubt | undefined {
  if (statuses.size === 0) return { code: 'TEST_LOG', message: `no test results in the log (exit ${exitCode})` };
  const disagreement = exitCodeDisagreement(exitCode, statuses);
  if (disagreement) return { code: 'TEST_LOG', message: disagreement };
  const graded = new Set([...tests.failToPass, ...tests.passToPass]);
  const incomplete = parser.checkCompletion?.(log, new Map([...statuses].filter(([name]) => graded.has(name))), exitCode);
  return incomplete ? { code: 'TEST_LOG', message: incomplete } : undefined;
}
