import { APPLY_FAILED_EXIT, APPLY_FAILED_MARKER, START_MARKER } from '../grading/eval-markers.js';
import type { ExecResult } from '../runtime/container-runtime.js';

export const PATCH_PATH = '/tmp/swe-harness/patch.diff';
export const EVAL_PATH = '/tmp/swe-harness/eval.sh';

/**
 * The argv of a grading command: bash with its stderr on its stdout's pipe. An exec's two
 * streams are read apart and merged as they arrive, which reorders writes made close
 * together: a test runner's "test x ... " and its "ok" were split by a line of stderr, and the
 * log parser no longer saw that test pass (cargo's "Doc-tests" line cost a demo instance a
 * PASS_TO_PASS test in CI). On one pipe the log keeps the order of the writes.
 */
export function gradingArgv(command: string): string[] {
  return ['bash', '-c', `exec 2>&1\n${command}`];
}

/**
 * The common case in one exec: strict `git apply`, then eval.sh. Nothing of the patch has
 * run before the apply, so its failure marker cannot be spoofed.
 */
export const STRICT_APPLY_THEN_EVAL = `git apply --verbose ${PATCH_PATH} || { echo '${APPLY_FAILED_MARKER}'; exit ${APPLY_FAILED_EXIT}; }; exec bash ${EVAL_PATH}`;

export function strictApplyFailed(result: ExecResult): boolean {
  return result.exitCode === APPLY_FAILED_EXIT && result.output.includes(APPLY_FAILED_MARKER) && !result.output.includes(START_MARKER);
}

/** SWE-bench's fallback chain after strict `git apply` failed: more lenient ways. */
export const FALLBACK_COMMANDS: Array<{ method: string; command: string }> = [
  { method: 'git apply --reject', command: `git apply --verbose --reject ${PATCH_PATH}` },
  { method: 'patch --fuzz=5', command: `patch --batch --fuzz=5 -p1 -i ${PATCH_PATH}` },
];

const RESET = 'git reset --hard --quiet && git clean -fdq';

export interface ApplyOutcome {
  applied: boolean;
  method?: string;
  log: string;
}

/**
 * Tries each fallback in turn, resetting the tree before every attempt so a half-applied
 * try (git apply --reject leaves the hunks that fit) never leaks into the next.
 */
export async function applyWithFallbacks(exec: (cmd: string) => Promise<ExecResult>): Promise<ApplyOutcome> {
  const log: string[] = [];
  for (const attempt of FALLBACK_COMMANDS) {
    await exec(RESET);
    const result = await exec(attempt.command);
    log.push(`$ ${attempt.command}\n${result.output}(exit ${result.exitCode})`);
    if (result.exitCode === 0) return { applied: true, method: attempt.method, log: log.join('\n') };
  }
  await exec(RESET);
  return { applied: false, log: log.join('\n') };
}
