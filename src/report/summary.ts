import { countFailureModes, failureMode, type FailureMode } from './failure-mode.js';
import type { InstanceResult } from './instance-result.js';
import { splitAtCutoff, type TimeSplit } from './time-split.js';

/** SWE-bench's run report counters and id lists, plus our resolution counts. */
export interface RunSummary {
  run_id: string;
  model_name_or_path: string;
  total_instances: number;
  submitted_instances: number;
  completed_instances: number;
  resolved_instances: number;
  unresolved_instances: number;
  empty_patch_instances: number;
  error_instances: number;
  partial_instances: number;
  submitted_ids: string[];
  completed_ids: string[];
  incomplete_ids: string[];
  resolved_ids: string[];
  unresolved_ids: string[];
  empty_patch_ids: string[];
  error_ids: string[];
  partial_ids: string[];
  errors_by_code: Record<string, number>;
  /** Unresolved verdicts by reason (patch did not apply, tests failed, log not evidence, ...). */
  verdict_reasons: Record<string, number>;
  /** Unresolved instances by failure mode (failure-mode.ts). */
  failure_modes: Record<FailureMode, number>;
  security: SecuritySummary;
  /** With --cutoff: resolved before and after a model's training cutoff (time-split.ts). Optional: schema 3 readers skip it. */
  time_split?: TimeSplit;
  /** The engine the run used (Docker, or Podman through its Docker-compatible socket). */
  engine?: { name: string; version: string; api_version: string; rootless: boolean };
  schema_version: 3;
}

/** A cutoff and each instance's created_at, for the summary's time split. */
export interface SummaryCutoff {
  cutoff: string;
  createdAt: ReadonlyMap<string, string | undefined>;
}

/** The security scan over a run's patches. */
export interface SecuritySummary {
  scanned_patches: number;
  patches_with_findings: number;
  findings_by_cwe: Record<string, number>;
  /** Resolved with no finding, over completed instances: a patch one could merge. */
  resolved_and_clean: number;
}

export function summarizeSecurity(results: InstanceResult[]): SecuritySummary {
  const byCwe: Record<string, number> = {};
  for (const r of results) for (const f of r.security?.findings ?? []) byCwe[f.cwe] = (byCwe[f.cwe] ?? 0) + 1;
  const flagged = (r: InstanceResult) => (r.security?.findings.length ?? 0) > 0;
  return {
    scanned_patches: results.filter((r) => r.security !== undefined && r.patch_exists).length,
    patches_with_findings: results.filter(flagged).length,
    findings_by_cwe: byCwe,
    resolved_and_clean: results.filter((r) => r.resolved && !isEvaluationError(r) && !flagged(r)).length,
  };
}

/** A record that did not validate (dataset or prediction): reported, never evaluated. */
export function isRejected(result: InstanceResult): boolean {
  return result.error?.code === 'DATASET_INVALID' || result.error?.code === 'PREDICTIONS_INVALID';
}

export function isEvaluationError(result: InstanceResult): boolean {
  return result.error !== undefined;
}

/** Over every selected instance, as resolved_instances / total_instances is: one with no result is not resolved. */
function summaryTimeSplit(total: string[], resolved: string[], cutoff: SummaryCutoff): TimeSplit {
  const isResolved = new Set(resolved);
  return splitAtCutoff(total.map((id) => ({ id, date: cutoff.createdAt.get(id), passed: isResolved.has(id) })), cutoff.cutoff);
}

/**
 * `total` are the selected dataset ids, `submitted` those with a prediction; results are
 * what finished. An instance without a result is incomplete.
 */
export function summarize(runId: string, model: string, total: string[], submitted: string[], results: InstanceResult[], cutoff?: SummaryCutoff): RunSummary {
  const byId = new Map(results.map((r) => [r.instance_id, r]));
  const ids = (pick: (r: InstanceResult) => boolean) => results.filter(pick).map((r) => r.instance_id).sort();
  const completed = ids((r) => !isEvaluationError(r));
  const resolved = ids((r) => !isEvaluationError(r) && r.resolved);
  const errors = ids(isEvaluationError);
  const errorsByCode: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  for (const r of results) {
    if (r.error) errorsByCode[r.error.code] = (errorsByCode[r.error.code] ?? 0) + 1;
    if (r.verdict_reason) reasons[r.verdict_reason.code] = (reasons[r.verdict_reason.code] ?? 0) + 1;
  }
  return {
    run_id: runId,
    model_name_or_path: model,
    total_instances: total.length,
    submitted_instances: submitted.length,
    completed_instances: completed.length,
    resolved_instances: resolved.length,
    unresolved_instances: completed.length - resolved.length,
    empty_patch_instances: ids((r) => !r.patch_exists).length,
    error_instances: errors.length,
    partial_instances: ids((r) => r.resolution === 'PARTIAL').length,
    submitted_ids: [...submitted].sort(),
    completed_ids: completed,
    incomplete_ids: submitted.filter((id) => !byId.has(id)).sort(),
    resolved_ids: resolved,
    unresolved_ids: ids((r) => !isEvaluationError(r) && !r.resolved),
    empty_patch_ids: ids((r) => !r.patch_exists),
    error_ids: errors,
    partial_ids: ids((r) => r.resolution === 'PARTIAL'),
    errors_by_code: errorsByCode,
    verdict_reasons: reasons,
    failure_modes: countFailureModes(results.map((r) => failureMode(r))),
    security: summarizeSecurity(results),
    ...(cutoff ? { time_split: summaryTimeSplit(total, resolved, cutoff) } : {}),
    schema_version: 3,
  };
}
