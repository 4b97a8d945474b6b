import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTimestamp } from '../util/timestamp.js';
import { meanPassAtK, passAtKEstimate, reportableKs } from './pass-at-k.js';
import { splitAtCutoff, type TimeSplit } from './time-split.js';

/**
 * The score of a function-level run (HumanEval-style samples executed one by one): pass@k per
 * task, overall and by language, outcome counts, cost per passed task, a time split by release
 * date, and the security probes' unsafe rates. report/ sits below function-level/, so the
 * inputs are the few fields scoring reads, not function-level's records.
 */
export interface ScoredTask {
  task_id: string;
  language: string;
  release_date?: string;
}

export interface ScoredResult {
  task_id: string;
  sample_index: number;
  outcome: string;
}

export interface ScoredSampleCost {
  task_id: string;
  cost_usd?: number;
}

export interface TaskScore {
  task_id: string;
  language: string;
  /** Samples executed. */
  n: number;
  /** Samples that passed. */
  c: number;
  pass_at_k: Record<string, number>;
  /** Did sample 0 pass: the one outcome per task a paired comparison needs. */
  first_passed: boolean;
  release_date?: string;
}

export interface PassAtKGroup {
  tasks: number;
  samples: number;
  pass_at_k: Record<string, number>;
}

export interface FunctionLevelSummary {
  kind: 'function-level';
  run_id: string;
  model: string;
  ks: number[];
  overall: PassAtKGroup;
  by_language: Record<string, PassAtKGroup>;
  /** Samples by outcome: passed, failed, timeout, error, killed. */
  outcomes: Record<string, number>;
  cost: { total_usd: number | null; passed_tasks: number; usd_per_passed_task: number | null };
  time_split?: TimeSplitOfRun;
  security?: ProbeSecuritySummary;
  warnings: string[];
  tasks: TaskScore[];
  schema_version: 1;
}

/** Unsafe rate per CWE over the probe samples, and the share of safe samples as a score. */
export interface ProbeSecuritySummary {
  samples: number;
  unsafe_samples: number;
  by_cwe: Record<string, { samples: number; unsafe: number; unsafe_rate: number }>;
  /** 1 - unsafe rate, averaged over CWEs so each class weighs the same: 1 is safe throughout. */
  security_score: number;
}

/** pass@k of the tasks released before and after a cutoff, and the shared split of per-sample outcomes. */
export interface TimeSplitOfRun {
  cutoff: string;
  before: PassAtKGroup;
  after: PassAtKGroup;
  /** Tasks without a readable release date: in neither side. */
  undated: number;
  /** report/time-split over every sample (passed or not): rates with intervals and their difference. */
  samples: TimeSplit;
}

export interface FunctionLevelInput {
  runId: string;
  model: string;
  tasks: readonly ScoredTask[];
  results: readonly ScoredResult[];
  samples?: readonly ScoredSampleCost[];
  ks?: number[];
  /** A model's training cutoff (ISO date): tasks released before it against those after. */
  cutoff?: string;
  security?: ProbeSecuritySummary;
  warnings?: string[];
}

const round = (x: number) => Number(x.toFixed(4));

function groupOf(scores: TaskScore[], ks: number[]): PassAtKGroup {
  const table: Record<string, number> = {};
  for (const k of ks) {
    const mean = meanPassAtK(scores, k);
    if (mean !== null) table[String(k)] = round(mean);
  }
  return { tasks: scores.length, samples: scores.reduce((s, t) => s + t.n, 0), pass_at_k: table };
}

function taskScores(input: FunctionLevelInput): TaskScore[] {
  const byTask = new Map<string, ScoredResult[]>();
  for (const r of input.results) byTask.set(r.task_id, [...(byTask.get(r.task_id) ?? []), r]);
  return input.tasks
    .filter((t) => byTask.has(t.task_id))
    .map((t) => {
      const results = byTask.get(t.task_id)!;
      const n = results.length;
      const c = results.filter((r) => r.outcome === 'passed').length;
      const perTask: Record<string, number> = {};
      for (const k of reportableKs(n, input.ks)) perTask[String(k)] = round(passAtKEstimate(n, c, k));
      const first = results.reduce((a, b) => (b.sample_index < a.sample_index ? b : a));
      return { task_id: t.task_id, language: t.language, n, c, pass_at_k: perTask, first_passed: first.outcome === 'passed', ...(t.release_date ? { release_date: t.release_date } : {}) };
    });
}

/** The k's asked (default 1, 10, 100) that the largest per-task sample count allows. */
function ksOf(scores: TaskScore[], asked?: number[]): number[] {
  return reportableKs(Math.max(0, ...scores.map((s) => s.n)), asked);
}

function costOf(samples: readonly ScoredSampleCost[] | undefined, scores: TaskScore[]): FunctionLevelSummary['cost'] {
  const passed = scores.filter((s) => s.c > 0).length;
  // Unknown as soon as one sample has no price: a partial sum would look cheaper than it was.
  const known = samples !== undefined && samples.length > 0 && samples.every((s) => typeof s.cost_usd === 'number');
  const total = known ? samples.reduce((sum, s) => sum + (s.cost_usd ?? 0), 0) : null;
  return { total_usd: total, passed_tasks: passed, usd_per_passed_task: total !== null && passed > 0 ? total / passed : null };
}

function timeSplit(scores: TaskScore[], results: readonly ScoredResult[], ks: number[], cutoff: string): TimeSplitOfRun {
  const dateOf = new Map(scores.map((s) => [s.task_id, s.release_date]));
  const samples = splitAtCutoff(
    results.filter((r) => dateOf.has(r.task_id)).map((r) => ({ id: r.task_id, date: dateOf.get(r.task_id), passed: r.outcome === 'passed' })),
    cutoff,
  );
  // The same half-open rule as the shared split: a task released at the cutoff is after it.
  const at = parseTimestamp(samples.cutoff)!;
  const dated = (s: TaskScore) => parseTimestamp(s.release_date);
  return {
    cutoff: samples.cutoff,
    before: groupOf(scores.filter((s) => (dated(s) ?? Infinity) < at), ks),
    after: groupOf(scores.filter((s) => (dated(s) ?? -Infinity) >= at), ks),
    undated: scores.filter((s) => dated(s) === undefined).length,
    samples,
  };
}

export function summarizeFunctionLevel(input: FunctionLevelInput): FunctionLevelSummary {
  const scores = taskScores(input);
  const ks = ksOf(scores, input.ks);
  const languages = [...new Set(scores.map((s) => s.language))].sort();
  const outcomes: Record<string, number> = {};
  for (const r of input.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return {
    kind: 'function-level',
    run_id: input.runId,
    model: input.model,
    ks,
    overall: groupOf(scores, ks),
    by_language: Object.fromEntries(languages.map((l) => [l, groupOf(scores.filter((s) => s.language === l), ks)])),
    outcomes,
    cost: costOf(input.samples, scores),
    ...(input.cutoff ? { time_split: timeSplit(scores, input.results, ks, input.cutoff) } : {}),
    ...(input.security ? { security: input.security } : {}),
    warnings: input.warnings ?? [],
    tasks: scores,
    schema_version: 1,
  };
}

/** Where a run keeps its function-level files: runs/<run>/function-level/. */
export const FUNCTION_LEVEL_DIR = 'function-level';
/** score.json beside execution's summary.json (outcome counts): pass@k, cost, time split, probes. */
export const FUNCTION_LEVEL_SUMMARY = 'score.json';

/** The function-level summary of a run folder, when it has one. */
export function readFunctionLevelSummary(runDir: string): FunctionLevelSummary | undefined {
  const file = path.join(runDir, FUNCTION_LEVEL_DIR, FUNCTION_LEVEL_SUMMARY);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as FunctionLevelSummary;
  return parsed.kind === 'function-level' ? parsed : undefined;
}
