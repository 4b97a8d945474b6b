import type { RunSummary } from '../report/summary.js';

/**
 * The exit code of a command that grades (`evaluate`, `run`), one rule for both: 0 when every
 * instance got a verdict; 2 when some did not (an evaluation error, a failed episode, a record
 * that did not validate), since an error is never a verdict and a script must not read such a
 * run as clean. (1 is for a harness that could not run at all; 130 for an interrupted run.)
 */
export function gradingExitCode(summaries: RunSummary[], inputProblems: number): 0 | 2 {
  const errors = summaries.some((s) => s.error_instances > 0 || s.incomplete_ids.length > 0);
  return errors || inputProblems > 0 ? 2 : 0;
}
