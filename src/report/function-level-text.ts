import type { FunctionLevelSummary, PassAtKGroup } from './function-level-summary.js';

const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);

/** The rows of the pass@k table: overall, each language, and each side of the time split. */
export function passAtKRows(s: FunctionLevelSummary): Array<{ label: string; group: PassAtKGroup }> {
  const rows = [{ label: 'all', group: s.overall }, ...Object.entries(s.by_language).map(([language, group]) => ({ label: language, group }))];
  if (s.time_split) {
    const day = s.time_split.cutoff.slice(0, 10);
    rows.push({ label: `released before ${day}`, group: s.time_split.before }, { label: `released on/after ${day}`, group: s.time_split.after });
  }
  return rows;
}

/** The pass@k table as cells (header first), for the CLI's text table. */
export function passAtKCells(s: FunctionLevelSummary): { header: string[]; rows: string[][] } {
  return {
    header: ['group', 'tasks', 'samples', ...s.ks.map((k) => `pass@${k}`)],
    rows: passAtKRows(s).map(({ label, group }) => [label, String(group.tasks), String(group.samples), ...s.ks.map((k) => pct(group.pass_at_k[String(k)]))]),
  };
}

/** The lines under the table: outcomes, cost, security, warnings. */
export function summaryLines(s: FunctionLevelSummary): string[] {
  const lines = [`outcomes: ${Object.entries(s.outcomes).map(([o, n]) => `${o} ${n}`).join(', ') || 'none'}`];
  const c = s.cost;
  lines.push(`cost: ${c.total_usd === null ? 'unknown' : `$${c.total_usd.toFixed(4)}`}; ${c.passed_tasks} task(s) passed by at least one sample; per passed task: ${c.usd_per_passed_task === null ? 'unknown' : `$${c.usd_per_passed_task.toFixed(4)}`}`);
  if (s.time_split?.undated) lines.push(`time split: ${s.time_split.undated} task(s) without a release date are in neither side`);
  if (s.security) {
    const cwe = Object.entries(s.security.by_cwe).map(([id, e]) => `${id} ${e.unsafe}/${e.samples} unsafe (${pct(e.unsafe_rate)})`);
    lines.push(`security probes: ${cwe.join(', ')}; security score ${s.security.security_score.toFixed(3)}`);
  }
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines;
}
