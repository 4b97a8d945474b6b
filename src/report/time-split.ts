/**
 * The time split against contamination: outcomes on tasks published before a model's training
 * cutoff against those published after it. A model much better on the tasks it may have seen
 * than on the ones it cannot have is likely to have memorised them (the argument of
 * SWE-bench-Live and LiveCodeBench).
 *
 * `splitAtCutoff` is pure and knows nothing of instances or runs: it takes dated outcomes,
 * `{id, date?, passed}`, one per trial, so the repository-level summary (an instance's
 * `created_at`, passed = resolved) and the function-level scoring (a problem's `release_date`,
 * passed = the sample passed) use the same arithmetic. Dates are read by util/timestamp
 * (ISO 8601; no offset means UTC). The split is half open: an outcome dated exactly at the
 * cutoff counts as after it, as `--created-after CUTOFF` would select it. An outcome without a
 * readable date is in neither side, counted and named in `undated_ids`.
 */
import { HarnessError } from '../errors.js';
import { formatTimestamp, parseTimestamp } from '../util/timestamp.js';
import { independentDifferenceInterval, wilsonInterval } from './statistics.js';

export interface DatedOutcome {
  id: string;
  /** ISO 8601 date or date-time; empty, missing or unreadable: undated. */
  date?: string | null;
  passed: boolean;
}

/** One side of the split; `resolved` counts passed outcomes, `low`/`high` is the 95% Wilson interval. */
export interface SplitSide {
  instances: number;
  resolved: number;
  rate: number;
  low: number;
  high: number;
}

export interface TimeSplit {
  /** The cutoff as an ISO instant ("2023-06-28T00:00:00.000Z"). */
  cutoff: string;
  before: SplitSide;
  after: SplitSide;
  undated: number;
  undated_ids: string[];
  /**
   * after.rate - before.rate with its 95% interval (Newcombe's hybrid score interval for two
   * independent rates); null when a side is empty. Clearly below zero is the contamination sign.
   */
  difference: { value: number; low: number; high: number } | null;
}

function side(outcomes: DatedOutcome[]): SplitSide {
  const resolved = outcomes.filter((o) => o.passed).length;
  const { low, high } = wilsonInterval(resolved, outcomes.length);
  return { instances: outcomes.length, resolved, rate: outcomes.length ? resolved / outcomes.length : 0, low, high };
}

/** Splits outcomes at `cutoff` (an ISO 8601 text, or ms since the epoch). */
export function splitAtCutoff(outcomes: readonly DatedOutcome[], cutoff: string | number): TimeSplit {
  const at = typeof cutoff === 'number' ? cutoff : parseTimestamp(cutoff);
  if (at === undefined || !Number.isFinite(at)) throw new HarnessError('USAGE', `the cutoff ${JSON.stringify(cutoff)} is not a date (2023-06-28, 2023-06-28T16:44:09Z)`);
  const before: DatedOutcome[] = [];
  const after: DatedOutcome[] = [];
  const undated: DatedOutcome[] = [];
  for (const o of outcomes) {
    const date = parseTimestamp(o.date);
    if (date === undefined) undated.push(o);
    else (date < at ? before : after).push(o);
  }
  const b = side(before);
  const a = side(after);
  const diff = b.instances && a.instances ? independentDifferenceInterval(b.resolved, b.instances, a.resolved, a.instances) : null;
  return {
    cutoff: formatTimestamp(at),
    before: b,
    after: a,
    undated: undated.length,
    undated_ids: [...new Set(undated.map((o) => o.id))].sort(),
    difference: diff && { value: diff.difference, low: diff.low, high: diff.high },
  };
}
