import { comparePaired, type Comparison, type LeaderboardRow } from './compare.js';
import type { FunctionLevelSummary } from './function-level-summary.js';
import { rateOf } from './run-stats.js';

/**
 * Run B against run A on the tasks both executed, in the repository-level comparison's shape
 * so the same table and page show it. One outcome per task, as McNemar's test pairs them:
 * did sample 0 pass (pass@1 of a single draw); mean pass@k moves are in each run's summary.
 */
export function compareFunctionLevel(a: FunctionLevelSummary, b: FunctionLevelSummary): Comparison {
  const firstPassed = (s: FunctionLevelSummary) => new Map(s.tasks.map((t) => [t.task_id, t.first_passed]));
  return comparePaired(a.run_id, b.run_id, firstPassed(a), firstPassed(b));
}

/**
 * A function-level run as a leaderboard row: the tasks whose sample 0 passed, with its
 * interval (the outcome `compare` pairs on), and the cost per task passed by any sample.
 */
export function functionLevelLeaderboardRow(s: FunctionLevelSummary): LeaderboardRow {
  const row: LeaderboardRow = {
    run_id: s.run_id,
    models: [s.model],
    instances: s.tasks.length,
    rate: rateOf(s.tasks.filter((t) => t.first_passed).length, s.tasks.length),
    usd_per_resolved: s.cost.usd_per_passed_task,
    median_steps: null,
  };
  return s.time_split ? { ...row, time_split: s.time_split.samples } : row;
}
