import type { Resolution, TestsStatus } from './grade.js';

/**
 * Why a graded patch is not resolved: a verdict on the patch. Errors (the patch could not be
 * graded: timeout, build, infrastructure, input) are `error`, never these.
 */
export type VerdictReasonCode =
  | 'PATCH_APPLY'
  | 'PATCH_REFUSED'
  | 'TESTS_FAILED'
  | 'TEST_LOG'
  | 'TEST_CRASHED'
  | 'CONTAINER_EXITED';

export interface VerdictReason {
  code: VerdictReasonCode;
  message: string;
}

/** What grading says of one run of the eval script (the report's fields of the same names). */
export interface OutputGrade {
  resolved: boolean;
  resolution: Resolution;
  tests_status?: TestsStatus;
  verdict_reason?: VerdictReason;
  error?: { code: string; message: string; log_path?: string };
}

export const NOT_RESOLVED = { resolved: false, resolution: 'NO' } as const;

export function unresolved(code: VerdictReasonCode, message: string): Pick<OutputGrade, 'resolved' | 'resolution' | 'verdict_reason'> {
  return { ...NOT_RESOLVED, verdict_reason: { code, message } };
}
