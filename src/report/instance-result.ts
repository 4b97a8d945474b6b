import type { Resolution, TestsStatus } from '../grading/grade.js';
import type { VerdictReason } from '../grading/verdict.js';
import type { SecurityScan } from '../security/scan-patch.js';
import { failureMode, type FailureMode } from './failure-mode.js';

export type { VerdictReason, VerdictReasonCode } from '../grading/verdict.js';

/** What produced a result: a rerun with the same key may reuse it, any change redoes it. */
export interface ResultKey {
  patch_hash: string;
  image_id: string;
  spec_hash: string;
}

/** One instance's verdict: SWE-bench's report fields, then ours. */
export interface InstanceResult {
  instance_id: string;
  model_name_or_path: string;
  patch_is_None: boolean;
  patch_exists: boolean;
  patch_successfully_applied: boolean;
  resolved: boolean;
  tests_status?: TestsStatus;
  resolution: Resolution;
  /** Why a graded patch is not resolved (absent when resolved, or when `error` is set). */
  verdict_reason?: VerdictReason;
  /** Why it could not be graded: a stable error code and a readable message; no verdict then. */
  error?: { code: string; message: string; log_path?: string };
  /** Files of the runner's configuration the patch changed, put back before the tests ran. */
  protected_files?: { restored: string[]; removed: string[] };
  /** What the patch adds, scanned for security weaknesses at grading time. */
  security?: SecurityScan;
  /** One mode of the fixed taxonomy for an unresolved instance (see failure-mode.ts). */
  failure_mode?: FailureMode;
  patch_apply_method?: string;
  test_exit_code?: number | null;
  test_output_truncated?: boolean;
  timings: Record<string, number>;
  images?: { base: string; env: string; instance: string };
  key?: ResultKey;
  /** Attempts redone after an infrastructure failure (engine restart). */
  infra_retries?: number;
  /** The infrastructure failures (class INFRA) that made those retries. */
  infra_errors?: Array<{ code: string; message: string }>;
  finished_at: string;
}

/** report.json as SWE-bench writes it: keyed by instance id. */
export function toReportJson(result: InstanceResult): Record<string, InstanceResult> {
  const mode = failureMode(result)?.mode;
  return { [result.instance_id]: mode ? { ...result, failure_mode: mode } : result };
}
