import type { Comparison } from './compare.js';
import type { FunctionLevelSummary } from './function-level-summary.js';
import { rateOf } from './run-stats.js';
import { mcnemarExact, pairedDifferenceInterval } from './statistics.js';

/**
 * Run B against run A on the tasks both executed, in the repository-level comparison's shape
 * so the same table and page show it. One outcome per task, as McNemar's test pairs them:
 * did sample 0 pass (pass@1 of a single draw); mean pass@k moves are in each run's summary.
 */
export function compareFunctionLevel(a: FunctionLevelSummary, b: FunctionLevelSummary): Comparison {
  const ta = new Map(a.tasks.map((t) => [t.task_id, t.first_passed]));
  const tb = new Map(b.tasks.map((t) => [t.task_id, t.first_passed]));
  const ids = [...ta.keys()].filter((id) => tb.has(id)).sort();
  const pick = (p: (x: boolean, y: boolean) => boolean) => ids.filter((id) => p(ta.get(id)!, tb.get(id)!));
  const both = pick((x, y) => x && y);
  const aOnly = pick((x, y) => x && !y);
  const bOnly = pick((x, y) => !x && y);
  return {
    a: a.run_id,
    b: b.run_id,
    paired: ids.length,
    both,
    a_only: aOnly,
    b_only: bOnly,
    neither: ids.length - both.length - aOnly.length - bOnly.length,
    rate_a: rateOf(both.length + aOnly.length, ids.length),
    rate_b: rateOf(both.length + bOnly.length, ids.length),
    p_value: mcnemarExact(aOnly.length, bOnly.length),
    difference: pairedDifferenceInterval(aOnly.length, bOnly.length, ids.length),
    mode_changes: [],
  };
}
