import { pct } from '../report/compare.js';
import type { TimeSplit } from '../report/time-split.js';
import { renderTable } from './table.js';

/** Before and after the cutoff side by side, then the difference and the undated instances. */
export function renderTimeSplit(split: TimeSplit): string {
  const { before, after } = split;
  const table = renderTable(
    ['', 'before', 'at or after'],
    [
      ['instances', String(before.instances), String(after.instances)],
      ['resolved', String(before.resolved), String(after.resolved)],
      ['rate', pct(before.rate), pct(after.rate)],
      ['95% CI', `${pct(before.low)}–${pct(before.high)}`, `${pct(after.low)}–${pct(after.high)}`],
    ],
  );
  const d = split.difference;
  const difference = d ? `after − before: ${pct(d.value)}, 95% CI ${pct(d.low)} to ${pct(d.high)}` : 'after − before: n/a (a side has no instance)';
  const undated = split.undated ? `; ${split.undated} undated (no readable created_at): ${split.undated_ids.slice(0, 10).join(', ')}${split.undated > 10 ? ', ...' : ''}` : '';
  return `time split at the cutoff ${split.cutoff} (by created_at):\n${table}\n${difference}${undated}`;
}
