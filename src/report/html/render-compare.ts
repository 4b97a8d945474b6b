import { INSTANCE_TERMS, modeLabel, pct, pText, sideText, usd, type Comparison, type LeaderboardRow } from '../compare.js';
import { html, type Html } from './escape.js';
import { page } from './page.js';

function ids(list: string[], items: string): Html {
  return list.length ? html`<details><summary>${list.length} ${items}</summary><pre>${list.join('\n')}</pre></details>` : html`0`;
}

/** Function-level runs: each pass@k over every sample, paired by task. */
function passAtK(c: Comparison): Html {
  if (!c.pass_at_k?.length) return html``;
  const rows = c.pass_at_k.map(
    (d) => html`<tr><td>pass@${d.k}</td><td>${d.tasks}</td><td>${pct(d.mean_a)}</td><td>${pct(d.mean_b)}</td><td>${pct(d.difference)}</td><td>[${pct(d.low)}, ${pct(d.high)}]</td><td>${pText(d.p_value)}</td></tr>`,
  );
  return html`<h3>Every sample, paired by task</h3>
<table><thead><tr><th></th><th>tasks</th><th>${c.a}</th><th>${c.b}</th><th>B − A</th><th>95% CI (paired bootstrap)</th><th>sign-flip p</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function comparisonBody(c: Comparison): Html {
  const { items, outcome } = c.terms ?? INSTANCE_TERMS;
  const changes = c.mode_changes.map((m) => html`<tr><td>${m.instance_id}</td><td>${modeLabel(m.a)}</td><td>${modeLabel(m.b)}</td></tr>`);
  return html`<h2>${c.a} vs ${c.b}</h2>
<table><tbody>
<tr><th>paired ${items}</th><td>${c.paired}</td></tr>
<tr><th>${outcome} in both</th><td>${ids(c.both, items)}</td></tr>
<tr><th>${outcome} in ${c.a} only</th><td>${ids(c.a_only, items)}</td></tr>
<tr><th>${outcome} in ${c.b} only</th><td>${ids(c.b_only, items)}</td></tr>
<tr><th>${outcome} in neither</th><td>${c.neither}</td></tr>
<tr><th>${c.a}</th><td>${pct(c.rate_a.rate)} [${pct(c.rate_a.low)}, ${pct(c.rate_a.high)}]</td></tr>
<tr><th>${c.b}</th><td>${pct(c.rate_b.rate)} [${pct(c.rate_b.low)}, ${pct(c.rate_b.high)}]</td></tr>
<tr><th>difference (B − A)</th><td>${pct(c.difference.difference)}, 95% CI [${pct(c.difference.low)}, ${pct(c.difference.high)}]</td></tr>
<tr><th>McNemar exact p</th><td>${pText(c.p_value)}</td></tr>
</tbody></table>
${passAtK(c)}<h3>Failure-mode changes</h3>${changes.length ? html`<table><thead><tr><th>instance</th><th>${c.a}</th><th>${c.b}</th></tr></thead><tbody>${changes}</tbody></table>` : html`<p class="muted">none</p>`}`;
}

export function renderComparison(comparisons: Comparison[]): string {
  return page('swe-harness comparison', html`<h1>Run comparison</h1>${comparisons.map(comparisonBody)}`);
}

export function renderLeaderboard(rows: LeaderboardRow[]): string {
  const cutoff = rows.find((r) => r.time_split)?.time_split?.cutoff;
  const splitCells = (r: LeaderboardRow) =>
    cutoff === undefined ? '' : r.time_split ? html`<td data-sort="${r.time_split.before.rate}">${sideText(r.time_split.before)}</td><td data-sort="${r.time_split.after.rate}">${sideText(r.time_split.after)}</td>` : html`<td>-</td><td>-</td>`;
  const body = rows.map(
    (r, i) =>
      html`<tr><td>${i + 1}</td><td>${r.run_id}</td><td>${r.models.join(', ')}</td><td data-sort="${r.rate.rate}">${r.rate.resolved}/${r.rate.total} (${pct(r.rate.rate)})</td><td>[${pct(r.rate.low)}, ${pct(r.rate.high)}]</td><td data-sort="${r.usd_per_resolved ?? -1}">${usd(r.usd_per_resolved)}</td><td data-sort="${r.median_steps ?? -1}">${r.median_steps ?? '-'}</td>${splitCells(r)}</tr>`,
  );
  const splitHeads = cutoff === undefined ? '' : html`<th>resolved before ${cutoff}</th><th>resolved after</th>`;
  return page(
    'swe-harness leaderboard',
    html`<h1>Leaderboard</h1><table id="instances"><thead><tr><th>#</th><th>run</th><th>model</th><th>resolved</th><th>95% CI</th><th>cost per resolved</th><th>median steps</th>${splitHeads}</tr></thead><tbody>${body}</tbody></table>`,
  );
}
