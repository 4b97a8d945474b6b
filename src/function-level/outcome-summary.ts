import type { SampleOutcome, SampleResult } from './problem.js';

/** Outcome counts of a function-level run, overall and per language; scoring adds pass@k beside it. */
export interface OutcomeCounts {
  samples: number;
  tasks: number;
  outcomes: Record<SampleOutcome, number>;
}

export interface OutcomeSummary extends OutcomeCounts {
  by_language: Record<string, OutcomeCounts>;
}

const OUTCOMES: readonly SampleOutcome[] = ['passed', 'failed', 'timeout', 'error', 'killed'];

function counts(results: SampleResult[]): OutcomeCounts {
  const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<SampleOutcome, number>;
  for (const r of results) outcomes[r.outcome] += 1;
  return { samples: results.length, tasks: new Set(results.map((r) => r.task_id)).size, outcomes };
}

export function summarizeOutcomes(results: SampleResult[]): OutcomeSummary {
  const languages = [...new Set(results.map((r) => r.language))].sort();
  return { ...counts(results), by_language: Object.fromEntries(languages.map((l) => [l, counts(results.filter((r) => r.language === l))])) };
}
