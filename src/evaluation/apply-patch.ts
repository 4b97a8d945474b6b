import type { ExecResult } from '../docker/container.js';

export const PATCH_PATH = '/tmp/swe-harness/patch.diff';

/** SWE-bench's fallback chain: strict first, then more lenient ways. */
export const APPLY_COMMANDS: Array<{ method: string; command: string }> = [
  { method: 'git apply', command: `git apply --verbose ${PATCH_PATH}` },
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
 * Applies the patch at PATCH_PATH with each method in turn, resetting the tree between
 * attempts so a half-applied try never leaks into the next.
 */
export async function applyPatch(exec: (cmd: string) => Promise<ExecResult>): Promise<ApplyOutcome> {
  const log: string[] = [];
  for (const [i, attempt] of APPLY_COMMANDS.entries()) {
    if (i > 0) await exec(RESET);
    const result = await exec(attempt.command);
    log.push(`$ ${attempt.command}\n${result.output}(exit ${result.exitCode})`);
    if (result.exitCode === 0) return { applied: true, method: attempt.method, log: log.join('\n') };
  }
  await exec(RESET);
  return { applied: false, log: log.join('\n') };
}
