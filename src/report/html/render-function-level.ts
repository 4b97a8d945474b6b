import type { FunctionLevelSummary } from '../function-level-summary.js';
import { passAtKRows } from '../function-level-text.js';
import { html, type Html } from './escape.js';
import { page } from './page.js';
import { barChart, COLOURS } from './svg.js';

const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(1)}%`);
const usd = (x: number | null) => (x === null ? 'unknown' : `$${x.toFixed(4)}`);
const card = (label: string, value: unknown) => html`<div class="card"><b>${value}</b>${label}</div>`;

function overview(s: FunctionLevelSummary): Html {
  const cards = s.ks.map((k) => card(`pass@${k}`, pct(s.overall.pass_at_k[String(k)])));
  const rows = passAtKRows(s).map(({ label, group }) => html`<tr><td>${label}</td><td>${group.tasks}</td><td>${group.samples}</td>${s.ks.map((k) => html`<td data-sort="${group.pass_at_k[String(k)] ?? -1}">${pct(group.pass_at_k[String(k)])}</td>`)}</tr>`);
  return html`<div class="cards">${cards}${card('tasks', s.overall.tasks)}${card('samples', s.overall.samples)}${card('cost per passed task', usd(s.cost.usd_per_passed_task))}${s.security ? card('security score', s.security.security_score.toFixed(3)) : ''}</div>
<p>Model: ${s.model}. pass@k is the unbiased estimator of Chen et al. (2021), averaged over tasks with at least k samples.</p>
${s.warnings.map((w) => html`<p class="finding">warning: ${w}</p>`)}
<h2>pass@k</h2><table><thead><tr><th>group</th><th>tasks</th><th>samples</th>${s.ks.map((k) => html`<th>pass@${k}</th>`)}</tr></thead><tbody>${rows}</tbody></table>
<table><tbody><tr><th>outcomes</th><td>${Object.entries(s.outcomes).map(([o, n]) => `${o} ${n}`).join(', ')}</td></tr>
<tr><th>total cost</th><td>${usd(s.cost.total_usd)}</td></tr><tr><th>tasks passed by a sample</th><td>${s.cost.passed_tasks}</td></tr></tbody></table>`;
}

function security(s: FunctionLevelSummary): Html {
  if (!s.security) return html``;
  const rows = Object.entries(s.security.by_cwe).map(([cwe, e]) => html`<tr><td>${cwe}</td><td>${e.samples}</td><td>${e.unsafe}</td><td>${pct(e.unsafe_rate)}</td></tr>`);
  return html`<h2>Security probes</h2><p>${s.security.unsafe_samples} of ${s.security.samples} probe sample(s) took the unsafe path (tree-sitter rules of the patch scan). Security score: ${s.security.security_score.toFixed(3)}.</p>
<table><thead><tr><th>CWE</th><th>samples</th><th>unsafe</th><th>unsafe rate</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function tasks(s: FunctionLevelSummary): Html {
  const rows = s.tasks.map(
    (t) => html`<tr data-id="${t.task_id}" data-verdict="${t.c > 0 ? 'passed' : 'failed'}" data-repo="${t.language}"><td>${t.task_id}</td><td>${t.language}</td><td data-sort="${t.c}">${t.c}/${t.n}</td>${s.ks.map((kk) => html`<td data-sort="${t.pass_at_k[String(kk)] ?? -1}">${pct(t.pass_at_k[String(kk)])}</td>`)}<td>${t.release_date ?? ''}</td></tr>`,
  );
  const chart = barChart(
    'Samples passed per task',
    s.tasks.slice(0, 60).map((t) => ({ label: t.task_id, parts: [{ value: t.c, colour: COLOURS.resolved, title: `${t.c} passed` }, { value: t.n - t.c, colour: COLOURS.unresolved, title: `${t.n - t.c} not passed` }] })),
  );
  return html`<h2>Tasks</h2>${chart}<div class="filters"><label>id <input id="filter-text" type="search" placeholder="filter by id"></label><span><span id="shown">${s.tasks.length}</span> shown</span></div>
<table id="instances"><thead><tr><th>task</th><th>language</th><th>passed</th>${s.ks.map((kk) => html`<th>pass@${kk}</th>`)}<th>released</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A function-level run's report as one self-contained page, with the repository-level page's look. */
export function renderFunctionLevelReport(s: FunctionLevelSummary): string {
  return page(`swe-harness run ${s.run_id}`, html`<h1>swe-harness run ${s.run_id} (function-level)</h1>${overview(s)}${security(s)}${tasks(s)}`);
}
