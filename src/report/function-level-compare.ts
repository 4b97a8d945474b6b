import { comparePaired, type Comparison } from './compare.js';
import type { FunctionLevelSummary } from './function-level-summary.js';

/**
 * Run B against run A on the tasks both executed, in the repository-level comparison's shape
 * so the same table and page show it. One outcome per task, as McNemar's test pairs them:
 * did sample 0 pass (pass@1 of a single draw); mean pass@k moves are in each run's summary.
 */
export function compareFunctionLevel(a: FunctionLevelSummary, b: FunctionLevelSummary): Comparison {
  const firstPassed = (s: FunctionLevelSummary) => new Map(s.tasks.map((t) => [t.task_id, t.first_passed]));
  return comparePaired(a.run_id, b.run_id, firstPassed(a), firstPassed(b));
}
