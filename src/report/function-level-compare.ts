import { comparePaired, type Comparison, type LeaderboardRow, type PassAtKDifference } from './compare.js';
import type { FunctionLevelSummary } from './function-level-summary.js';
import { rateOf } from './run-stats.js';
import { pairedMeanDifference } from './statistics.js';

/**
 * Run B against run A on the tasks both executed, in the repository-level comparison's shape
 * so the same table and page show it: McNemar's test on one outcome per task (did sample 0
 * pass), and, using every sample, each pass@k both runs report, paired by task (the mean of
 * the per-task differences, a paired bootstrap interval and a sign-flip p).
 */
export function compareFunctionLevel(a: FunctionLevelSummary, b: FunctionLevelSummary): Comparison {
  const firstPassed = (s: FunctionLevelSummary) => new Map(s.tasks.map((t) => [t.task_id, t.first_passed]));
  return { ...comparePaired(a.run_id, b.run_id, firstPassed(a), firstPassed(b)), pass_at_k: passAtKDifferences(a, b), terms: { items: 'tasks', outcome: 'sample 0 passed' } };
}

/** Each k for which some task has a pass@k in both runs, on those tasks. */
function passAtKDifferences(a: FunctionLevelSummary, b: FunctionLevelSummary): PassAtKDifference[] {
  const inB = new Map(b.tasks.map((t) => [t.task_id, t.pass_at_k]));
  const pairs = a.tasks.flatMap((t) => {
    const other = inB.get(t.task_id);
    return other ? [[t.pass_at_k, other] as const] : [];
  });
  const ks = [...new Set(pairs.flatMap(([x]) => Object.keys(x)))].map(Number).sort((x, y) => x - y);
  return ks.flatMap((k) => {
    const both = pairs.filter(([x, y]) => x[k] !== undefined && y[k] !== undefined);
    if (both.length === 0) return [];
    const scoresA = both.map(([x]) => x[k]!);
    const scoresB = both.map(([, y]) => y[k]!);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    return [{ k, tasks: both.length, mean_a: mean(scoresA), mean_b: mean(scoresB), ...pairedMeanDifference(scoresA, scoresB) }];
  });
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
