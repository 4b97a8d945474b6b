import { countFailureModes, type FailureMode } from './failure-mode.js';
import type { InstanceRecord, RunData } from './run-data.js';
import { median, wilsonInterval } from './statistics.js';
import { summarizeSecurity, type SecuritySummary } from './summary.js';
import { splitAtCutoff, type TimeSplit } from './time-split.js';

export interface Rate {
  resolved: number;
  total: number;
  rate: number;
  low: number;
  high: number;
}

export interface RunStats {
  run_id: string;
  models: string[];
  instances: number;
  samples: number;
  counters: Record<'predictions' | 'resolved' | 'partial' | 'unresolved' | 'errors' | 'empty_patches', number>;
  resolved_rate: Rate;
  by_repo: Array<Rate & { repo: string }>;
  by_version: Array<Rate & { repo: string; version: string }>;
  failure_modes: Record<FailureMode, number>;
  /** no_patch by why: the episode's exit status. */
  no_patch_by_exit: Record<string, number>;
  pass_at_k?: Record<string, number>;
  cost: {
    /** Null when any instance's cost is unknown (no price, or no trajectory). */
    total_usd: number | null;
    tokens: number | null;
    resolved_instances: number;
    usd_per_resolved: number | null;
    tokens_per_resolved: number | null;
  };
  steps: { median: number | null; per_episode: number[] };
  time: { total_s: number; by_phase_s: Record<string, number> };
  security: SecuritySummary;
  time_split?: TimeSplit;
}

export function rateOf(resolved: number, total: number): Rate {
  const { low, high } = wilsonInterval(resolved, total);
  return { resolved, total, rate: total ? resolved / total : 0, low, high };
}

function ratesBy<K extends string>(records: InstanceRecord[], key: (r: InstanceRecord) => K): Map<K, Rate> {
  const groups = new Map<K, InstanceRecord[]>();
  for (const r of records) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, rs]) => [k, rateOf(rs.filter((r) => r.result.resolved).length, rs.length)]));
}

/** Sum of known values, null as soon as one is unknown. */
function sumKnown(values: Array<number | null>): number | null {
  return values.some((v) => v === null) ? null : values.reduce<number>((s, v) => s + (v ?? 0), 0);
}

function costStats(records: InstanceRecord[]): RunStats['cost'] {
  const agentRecords = records.filter((r) => r.episode || r.steps);
  const resolvedInstances = new Set(records.filter((r) => r.result.resolved).map((r) => r.instance_id)).size;
  // Without any trajectory (an evaluate of a predictions file) the cost is not known at all.
  const totalUsd = agentRecords.length ? sumKnown(records.map((r) => r.costUsd)) : null;
  const tokens = agentRecords.length ? sumKnown(records.map((r) => r.tokens)) : null;
  return {
    total_usd: totalUsd,
    tokens,
    resolved_instances: resolvedInstances,
    usd_per_resolved: totalUsd !== null && resolvedInstances ? totalUsd / resolvedInstances : null,
    tokens_per_resolved: tokens !== null && resolvedInstances ? tokens / resolvedInstances : null,
  };
}

function timeStats(records: InstanceRecord[]): RunStats['time'] {
  const byPhase: Record<string, number> = {};
  let total = 0;
  for (const r of records) {
    for (const [phase, s] of Object.entries(r.result.timings)) {
      if (phase === 'total_s') total += s;
      else byPhase[phase] = (byPhase[phase] ?? 0) + s;
    }
    if (r.episode) byPhase.agent_s = (byPhase.agent_s ?? 0) + r.episode.wall_s;
  }
  return { total_s: total + (byPhase.agent_s ?? 0), by_phase_s: byPhase };
}

/**
 * With a cutoff, over the records (each prediction one trial, as resolved_rate); without one,
 * the split the run's summary recorded (evaluate/run --cutoff), when the run has one summary.
 */
function timeSplit(data: RunData, cutoff: string | undefined): TimeSplit | undefined {
  if (cutoff !== undefined) return splitAtCutoff(data.records.map((r) => ({ id: r.instance_id, date: r.createdAt, passed: r.result.resolved })), cutoff);
  return data.summaries.length === 1 ? data.summaries[0]!.time_split : undefined;
}

/** Everything the report, the leaderboard and the summary print about one run. */
export function runStats(data: RunData, cutoff?: string): RunStats {
  const { records } = data;
  const count = (p: (r: InstanceRecord) => boolean) => records.filter(p).length;
  const noPatch: Record<string, number> = {};
  for (const r of records) {
    const why = r.failure?.detail ?? 'no episode (predictions file)';
    if (r.failure?.mode === 'no_patch') noPatch[why] = (noPatch[why] ?? 0) + 1;
  }
  const perEpisode = records.filter((r) => r.episode).map((r) => r.episode!.steps);
  const split = timeSplit(data, cutoff);
  return {
    run_id: data.runId,
    models: [...new Set(records.map((r) => r.model))].sort(),
    instances: new Set(records.map((r) => r.instance_id)).size,
    samples: new Set(records.map((r) => r.sample)).size,
    counters: {
      predictions: records.length,
      resolved: count((r) => r.verdict === 'RESOLVED'),
      partial: count((r) => r.verdict === 'PARTIAL'),
      unresolved: count((r) => r.verdict === 'NO' || r.verdict === 'PARTIAL'),
      errors: count((r) => r.verdict === 'ERROR'),
      empty_patches: count((r) => !r.result.patch_exists),
    },
    resolved_rate: rateOf(count((r) => r.result.resolved), records.length),
    by_repo: [...ratesBy(records, (r) => r.repo)].map(([repo, rate]) => ({ repo, ...rate })),
    by_version: [...ratesBy(records, (r) => `${r.repo}\u0000${r.version ?? '?'}`)].map(([k, rate]) => {
      const [repo, version] = k.split('\u0000') as [string, string];
      return { repo, version, ...rate };
    }),
    failure_modes: countFailureModes(records.map((r) => r.failure)),
    no_patch_by_exit: noPatch,
    pass_at_k: data.passAtK,
    cost: costStats(records),
    steps: { median: median(perEpisode), per_episode: perEpisode },
    time: timeStats(records),
    security: summarizeSecurity(records.map((r) => r.result)),
    ...(split ? { time_split: split } : {}),
  };
}
