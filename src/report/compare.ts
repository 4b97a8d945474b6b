import { FAILURE_MODE_LABELS, type FailureMode } from './failure-mode.js';
import type { InstanceRecord, RunData } from './run-data.js';
import { rateOf, runStats, type Rate } from './run-stats.js';
import { mcnemarExact, median, pairedDifferenceInterval, type Interval } from './statistics.js';
import type { SplitSide, TimeSplit } from './time-split.js';

export interface ModeChange {
  instance_id: string;
  a: FailureMode | 'resolved';
  b: FailureMode | 'resolved';
}

/** Run B against run A on the instances both graded. */
export interface Comparison {
  a: string;
  b: string;
  paired: number;
  both: string[];
  a_only: string[];
  b_only: string[];
  neither: number;
  rate_a: Rate;
  rate_b: Rate;
  /** McNemar's exact two-sided p over the discordant pairs. */
  p_value: number;
  /** B's rate minus A's, with its 95% interval. */
  difference: Interval & { difference: number };
  mode_changes: ModeChange[];
  /** Function-level runs: each pass@k over every sample, paired by task. */
  pass_at_k?: PassAtKDifference[];
  /** What is paired and what counts (default: instances, resolved; function-level: tasks, sample 0 passed). */
  terms?: ComparisonTerms;
}

export interface ComparisonTerms {
  items: string;
  outcome: string;
}

export const INSTANCE_TERMS: ComparisonTerms = { items: 'instances', outcome: 'resolved' };

/** B's mean pass@k minus A's over the tasks where both report it (n >= k in each). */
export interface PassAtKDifference extends Interval {
  k: number;
  tasks: number;
  mean_a: number;
  mean_b: number;
  difference: number;
  /** The sign-flip test's two-sided p. */
  p_value: number;
}

/** One record per instance: the first sample, as a paired test needs one outcome per side. */
function firstSample(data: RunData): Map<string, InstanceRecord> {
  const byId = new Map<string, InstanceRecord>();
  for (const r of data.records) if (!byId.has(r.instance_id) || r.sample < byId.get(r.instance_id)!.sample) byId.set(r.instance_id, r);
  return byId;
}

const outcome = (r: InstanceRecord): FailureMode | 'resolved' => (r.result.resolved ? 'resolved' : (r.failure?.mode ?? 'environment_error'));

export function compareRuns(a: RunData, b: RunData): Comparison {
  const ra = firstSample(a);
  const rb = firstSample(b);
  const resolved = (m: Map<string, InstanceRecord>) => new Map([...m].map(([id, r]) => [id, r.result.resolved]));
  const paired = comparePaired(a.runId, b.runId, resolved(ra), resolved(rb));
  const ids = [...ra.keys()].filter((id) => rb.has(id)).sort();
  return { ...paired, mode_changes: ids.map((id) => ({ instance_id: id, a: outcome(ra.get(id)!), b: outcome(rb.get(id)!) })).filter((c) => c.a !== c.b) };
}

/**
 * B against A on the ids both have, one pass/fail outcome per id and side: the counts,
 * McNemar's exact p and the paired difference. Repository-level and function-level runs
 * (report/function-level-compare.ts) both compare through it.
 */
export function comparePaired(a: string, b: string, passedA: ReadonlyMap<string, boolean>, passedB: ReadonlyMap<string, boolean>): Comparison {
  const ids = [...passedA.keys()].filter((id) => passedB.has(id)).sort();
  const pick = (p: (x: boolean, y: boolean) => boolean) => ids.filter((id) => p(passedA.get(id)!, passedB.get(id)!));
  const both = pick((x, y) => x && y);
  const aOnly = pick((x, y) => x && !y);
  const bOnly = pick((x, y) => !x && y);
  return {
    a,
    b,
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

export interface LeaderboardRow {
  run_id: string;
  models: string[];
  instances: number;
  rate: Rate;
  usd_per_resolved: number | null;
  median_steps: number | null;
  /** With a cutoff: resolved before and after it. */
  time_split?: TimeSplit;
}

export function leaderboard(runs: RunData[], cutoff?: string): LeaderboardRow[] {
  return runs
    .map((run) => {
      const s = runStats(run, cutoff);
      const row: LeaderboardRow = { run_id: s.run_id, models: s.models, instances: s.instances, rate: s.resolved_rate, usd_per_resolved: s.cost.usd_per_resolved, median_steps: median(s.steps.per_episode) };
      return cutoff !== undefined && s.time_split ? { ...row, time_split: s.time_split } : row;
    })
    .sort((x, y) => y.rate.rate - x.rate.rate || x.run_id.localeCompare(y.run_id));
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
/** A p for a table: four significant digits, and "< 0.0001" below that (a sampled p's floor is 1/10,001). */
export const pText = (p: number) => (p < 1e-4 ? '< 0.0001' : p.toPrecision(4));
export const usd = (x: number | null) => (x === null ? 'unknown' : `$${x.toFixed(4)}`);
const modeLabel = (m: FailureMode | 'resolved') => (m === 'resolved' ? 'resolved' : FAILURE_MODE_LABELS[m]);

/** Markdown escapes only what breaks a table cell: the text is a user's, not ours. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function comparisonMarkdown(c: Comparison): string {
  const { items, outcome } = c.terms ?? INSTANCE_TERMS;
  const lines = [
    `## ${cell(c.a)} vs ${cell(c.b)}`,
    '',
    `| | count |`,
    `|---|---|`,
    `| paired ${items} | ${c.paired} |`,
    `| ${outcome} in both | ${c.both.length} |`,
    `| ${outcome} in ${cell(c.a)} only | ${c.a_only.length} |`,
    `| ${outcome} in ${cell(c.b)} only | ${c.b_only.length} |`,
    `| ${outcome} in neither | ${c.neither} |`,
    '',
    `${cell(c.a)}: ${pct(c.rate_a.rate)} [${pct(c.rate_a.low)}, ${pct(c.rate_a.high)}]; ${cell(c.b)}: ${pct(c.rate_b.rate)} [${pct(c.rate_b.low)}, ${pct(c.rate_b.high)}]`,
    `difference (B - A): ${pct(c.difference.difference)}, 95% CI [${pct(c.difference.low)}, ${pct(c.difference.high)}]; McNemar exact p = ${pText(c.p_value)}`,
  ];
  if (c.pass_at_k?.length) {
    lines.push(
      '',
      `| every sample, paired by task | tasks | ${cell(c.a)} | ${cell(c.b)} | B - A | 95% CI (paired bootstrap) | sign-flip p |`,
      '|---|---|---|---|---|---|---|',
      ...c.pass_at_k.map((d) => `| pass@${d.k} | ${d.tasks} | ${pct(d.mean_a)} | ${pct(d.mean_b)} | ${pct(d.difference)} | [${pct(d.low)}, ${pct(d.high)}] | ${pText(d.p_value)} |`),
    );
  }
  if (c.mode_changes.length) {
    lines.push('', '| instance | A | B |', '|---|---|---|', ...c.mode_changes.map((m) => `| ${cell(m.instance_id)} | ${modeLabel(m.a)} | ${modeLabel(m.b)} |`));
  }
  return `${lines.join('\n')}\n`;
}

/** "3/5 (60.0%)": one side of a time split in a table cell. */
export const sideText = (s: SplitSide) => `${s.resolved}/${s.instances} (${pct(s.rate)})`;

export function leaderboardMarkdown(rows: LeaderboardRow[]): string {
  const split = rows.some((r) => r.time_split);
  const splitCells = (r: LeaderboardRow) => (split ? (r.time_split ? ` ${sideText(r.time_split.before)} | ${sideText(r.time_split.after)} |` : ' - | - |') : '');
  const body = rows.map(
    (r, i) => `| ${i + 1} | ${cell(r.run_id)} | ${cell(r.models.join(', '))} | ${r.rate.resolved}/${r.rate.total} | ${pct(r.rate.rate)} | [${pct(r.rate.low)}, ${pct(r.rate.high)}] | ${usd(r.usd_per_resolved)} | ${r.median_steps ?? '-'} |${splitCells(r)}`,
  );
  const cutoff = rows.find((r) => r.time_split)?.time_split?.cutoff;
  const header = `| # | run | model | resolved | rate | 95% CI | cost per resolved | median steps |${split ? ` resolved before ${cutoff} | resolved after |` : ''}`;
  return [header, `|---|---|---|---|---|---|---|---|${split ? '---|---|' : ''}`, ...body].join('\n') + '\n';
}

export { FAILURE_MODE_LABELS, modeLabel };
