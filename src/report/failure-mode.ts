/**
 * Every unresolved instance gets one mode of a fixed taxonomy, so a run can say why it failed
 * in counts, not in prose.
 */
export const FAILURE_MODES = [
  'patch_not_applied',
  'fail_to_pass_failing',
  'pass_to_pass_broken',
  'both_failing',
  'test_timeout',
  'log_not_evidence',
  'crashed',
  'no_patch',
  'environment_error',
] as const;

export type FailureMode = (typeof FAILURE_MODES)[number];

export const FAILURE_MODE_LABELS: Record<FailureMode, string> = {
  patch_not_applied: 'patch did not apply',
  fail_to_pass_failing: 'FAIL_TO_PASS still failing',
  pass_to_pass_broken: 'PASS_TO_PASS broken',
  both_failing: 'FAIL_TO_PASS failing and PASS_TO_PASS broken',
  test_timeout: 'test timeout',
  log_not_evidence: 'test log not evidence',
  crashed: 'crashed',
  no_patch: 'no patch',
  environment_error: 'environment / infrastructure error',
};

/** The fields of a result the taxonomy reads: both report.json shapes (old: verdicts in `error`). */
export interface GradedLike {
  resolved: boolean;
  patch_exists: boolean;
  error?: { code: string };
  verdict_reason?: { code: string };
  tests_status?: { FAIL_TO_PASS: { failure: string[] }; PASS_TO_PASS: { failure: string[] } };
}

export interface FailureModeOf {
  mode: FailureMode;
  /** For no_patch: the episode's exit status (submitted nothing, step_limit, cost_limit, ...). */
  detail?: string;
}

const BY_CODE: Record<string, FailureMode> = {
  PATCH_APPLY: 'patch_not_applied',
  PATCH_REFUSED: 'patch_not_applied',
  TEST_TIMEOUT: 'test_timeout',
  TEST_LOG: 'log_not_evidence',
  TEST_CRASHED: 'crashed',
  CONTAINER_EXITED: 'crashed',
};

function fromTests(result: GradedLike): FailureMode {
  const f2p = (result.tests_status?.FAIL_TO_PASS.failure.length ?? 0) > 0;
  const p2p = (result.tests_status?.PASS_TO_PASS.failure.length ?? 0) > 0;
  if (f2p && p2p) return 'both_failing';
  return p2p ? 'pass_to_pass_broken' : 'fail_to_pass_failing';
}

/**
 * The failure mode of one result, undefined when resolved. `exitStatus` is the agent
 * episode's, when there was one: it says why no patch came (a limit, or nothing submitted).
 */
export function failureMode(result: GradedLike, exitStatus?: string): FailureModeOf | undefined {
  if (result.resolved) return undefined;
  const code = result.verdict_reason?.code ?? result.error?.code;
  // A verdict code is about the patch; any other code means we could not grade it.
  const mode = code === undefined || code === 'TESTS_FAILED' ? undefined : BY_CODE[code];
  if (code !== undefined && code !== 'TESTS_FAILED' && mode === undefined) return { mode: 'environment_error' };
  if (!result.patch_exists) return { mode: 'no_patch', detail: exitStatus === undefined ? undefined : exitStatus === 'submitted' ? 'submitted nothing' : exitStatus };
  return { mode: mode ?? fromTests(result) };
}

/** Counts by mode, every mode present (zeros included) so tables line up across runs. */
export function countFailureModes(modes: Array<FailureModeOf | undefined>): Record<FailureMode, number> {
  const counts = Object.fromEntries(FAILURE_MODES.map((m) => [m, 0])) as Record<FailureMode, number>;
  for (const m of modes) if (m) counts[m.mode]++;
  return counts;
}
