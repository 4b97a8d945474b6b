import { FAILURE_MODE_LABELS, FAILURE_MODES } from '../failure-mode.js';
import type { InstanceRecord, RunData } from '../run-data.js';
import { rateOf, runStats, type Rate, type RunStats } from '../run-stats.js';
import { html, type Html } from './escape.js';
import { anchorOf, failureText, instanceSection, usdText } from './instance-section.js';
import { page } from './page.js';
import { barChart, COLOURS } from './svg.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const rateText = (r: Rate) => `${r.resolved}/${r.total} (${pct(r.rate)}, 95% CI ${pct(r.low)}–${pct(r.high)})`;
const card = (label: string, value: unknown) => html`<div class="card"><b>${value}</b>${label}</div>`;

function overview(s: RunStats): Html {
  const c = s.counters;
  return html`<div class="cards">${card('predictions', c.predictions)}${card('resolved', c.resolved)}${card('unresolved', c.unresolved)}${card('partial', c.partial)}${card('errors', c.errors)}${card('empty patches', c.empty_patches)}${card('resolved rate', pct(s.resolved_rate.rate))}${card('cost per resolved', usdText(s.cost.usd_per_resolved))}</div>
<p>Resolved: ${rateText(s.resolved_rate)}. Models: ${s.models.join(', ')}.</p>
<table><tbody>
<tr><th>total cost</th><td>${usdText(s.cost.total_usd)}</td><th>tokens</th><td>${s.cost.tokens ?? 'unknown'}</td></tr>
<tr><th>cost per resolved task</th><td>${usdText(s.cost.usd_per_resolved)}</td><th>tokens per resolved task</th><td>${s.cost.tokens_per_resolved?.toFixed(0) ?? 'unknown'}</td></tr>
<tr><th>time</th><td>${s.time.total_s.toFixed(1)}s</td><th>median steps</th><td>${s.steps.median ?? '-'}</td></tr>
${s.pass_at_k ? html`<tr><th>pass@k</th><td colspan="3">${Object.entries(s.pass_at_k).map(([k, v]) => `pass@${k} = ${pct(v)}`).join(' · ')}</td></tr>` : ''}
</tbody></table>`;
}

function breakdowns(s: RunStats): Html {
  const repoRows = s.by_repo.map((r) => html`<tr><td>${r.repo}</td><td data-sort="${r.rate}">${rateText(r)}</td></tr>`);
  const versionRows = s.by_version.map((r) => html`<tr><td>${r.repo}</td><td>${r.version}</td><td>${rateText(r)}</td></tr>`);
  const modes = FAILURE_MODES.filter((m) => s.failure_modes[m] > 0).map((m) => html`<tr><td>${FAILURE_MODE_LABELS[m]}</td><td>${s.failure_modes[m]}</td></tr>`);
  const noPatch = Object.entries(s.no_patch_by_exit).map(([k, v]) => `${k}: ${v}`).join(', ');
  const sec = s.security;
  const cwe = Object.entries(sec.findings_by_cwe).map(([k, v]) => html`<tr><td>${k}</td><td>${v}</td></tr>`);
  return html`<h2>By repository and version</h2><table><thead><tr><th>repository</th><th>resolved</th></tr></thead><tbody>${repoRows}</tbody></table>
<table><thead><tr><th>repository</th><th>version</th><th>resolved</th></tr></thead><tbody>${versionRows}</tbody></table>
<h2>Failure modes</h2>${modes.length ? html`<table><tbody>${modes}</tbody></table>` : html`<p class="muted">every prediction resolved</p>`}${noPatch ? html`<p>No patch, by episode exit: ${noPatch}</p>` : ''}
<h2>Security scan of patches</h2><p>${sec.scanned_patches} patch(es) scanned, ${sec.patches_with_findings} with findings; resolved and clean: ${rateText(rateOf(sec.resolved_and_clean, s.resolved_rate.total))}.</p>
${cwe.length ? html`<table><thead><tr><th>CWE</th><th>findings</th></tr></thead><tbody>${cwe}</tbody></table>` : ''}`;
}

/** Before and after a model's training cutoff, side by side: the contamination check. */
function timeSplitSection(s: RunStats): Html {
  const t = s.time_split;
  if (!t) return html``;
  const sideCells = (side: 'before' | 'after') => {
    const x = t[side];
    return html`<td>${x.instances}</td><td>${x.resolved}</td><td>${pct(x.rate)}</td><td>${pct(x.low)}–${pct(x.high)}</td>`;
  };
  const d = t.difference;
  return html`<h2>Time split at the cutoff ${t.cutoff}</h2>
<table id="time-split"><thead><tr><th>created</th><th>instances</th><th>resolved</th><th>rate</th><th>95% CI</th></tr></thead><tbody>
<tr><th>before the cutoff</th>${sideCells('before')}</tr>
<tr><th>at or after the cutoff</th>${sideCells('after')}</tr>
</tbody></table>
<p>After − before: ${d ? html`${pct(d.value)}, 95% CI ${pct(d.low)} to ${pct(d.high)}` : 'n/a (a side has no instance)'}. A rate clearly lower after the cutoff suggests the model saw the earlier tasks in training.${t.undated ? html` Undated (no readable created_at, in neither side): ${t.undated} (${t.undated_ids.join(', ')}).` : ''}</p>`;
}

function plots(s: RunStats, records: InstanceRecord[]): Html {
  const byRepo = s.by_repo.map((r) => ({ label: r.repo, parts: [{ value: r.resolved, colour: COLOURS.resolved, title: `${r.resolved} resolved` }, { value: r.total - r.resolved, colour: COLOURS.unresolved, title: `${r.total - r.resolved} not resolved` }] }));
  const priced = records.filter((r) => r.costUsd !== null);
  const cost = priced.map((r) => ({ label: `${r.instance_id}${r.sample ? `#${r.sample}` : ''}`, parts: [{ value: r.costUsd ?? 0, colour: r.result.resolved ? COLOURS.resolved : COLOURS.unresolved, title: usdText(r.costUsd) }] }));
  const steps = records.filter((r) => r.episode).map((r) => ({ label: `${r.instance_id}${r.sample ? `#${r.sample}` : ''}`, parts: [{ value: r.episode!.steps, colour: COLOURS.neutral, title: `${r.episode!.exit_status}` }] }));
  const phases = Object.entries(s.time.by_phase_s).map(([phase, secs]) => ({ label: phase.replace(/_s$/, ''), parts: [{ value: secs, colour: COLOURS.muted, title: `${secs.toFixed(1)}s` }] }));
  return html`<h2>Plots</h2><div class="plots">${barChart('Resolved by repository', byRepo)}${barChart('Cost per instance (USD)', cost)}${barChart('Steps per episode', steps)}${barChart('Time per phase (s, summed)', phases, 's')}</div>`;
}

function options(name: string, label: string, values: string[]): Html {
  return html`<label>${label} <select data-filter="${name}" id="filter-${name}"><option value="">all</option>${[...new Set(values)].sort().map((v) => html`<option value="${v}">${v}</option>`)}</select></label>`;
}

function instanceTable(records: InstanceRecord[]): Html {
  const count = (g?: { success: string[]; failure: string[] }) => (g ? `${g.success.length}/${g.success.length + g.failure.length}` : '-');
  const rows = records.map((r) => {
    const mode = r.failure?.mode ?? '';
    return html`<tr data-id="${r.instance_id}" data-verdict="${r.verdict}" data-repo="${r.repo}" data-mode="${mode}">
<td><a href="#${anchorOf(r)}" data-open="${anchorOf(r)}">${r.instance_id}</a>${r.sample ? ` #${r.sample}` : ''}</td><td class="v-${r.verdict}">${r.verdict}</td><td>${r.repo}</td>
<td>${count(r.result.tests_status?.FAIL_TO_PASS)}</td><td>${count(r.result.tests_status?.PASS_TO_PASS)}</td><td>${failureText(r)}</td><td>${r.result.error?.code ?? ''}</td>
<td data-sort="${r.result.timings.total_s ?? 0}">${(r.result.timings.total_s ?? 0).toFixed(1)}s</td><td data-sort="${r.costUsd ?? -1}">${usdText(r.costUsd)}</td><td data-sort="${r.result.security?.findings.length ?? 0}">${r.result.security?.findings.length ?? '-'}</td></tr>`;
  });
  return html`<h2>Instances</h2><div class="filters">${options('verdict', 'verdict', records.map((r) => r.verdict))}${options('repo', 'repository', records.map((r) => r.repo))}${options('mode', 'failure mode', records.map((r) => r.failure?.mode ?? '').filter(Boolean))}
<label>id <input id="filter-text" type="search" placeholder="filter by id"></label><span><span id="shown">${records.length}</span> shown</span></div>
<table id="instances"><thead><tr><th>instance</th><th>verdict</th><th>repository</th><th>F2P</th><th>P2P</th><th>failure mode</th><th>error</th><th>time</th><th>cost</th><th>findings</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The run's report as one self-contained HTML page. */
export function renderRunReport(data: RunData, cutoff?: string): string {
  const s = runStats(data, cutoff);
  const body = html`<h1>swe-harness run ${data.runId}</h1>${overview(s)}${timeSplitSection(s)}${plots(s, data.records)}${breakdowns(s)}${instanceTable(data.records)}
<h2>Per instance</h2>${data.records.map(instanceSection)}`;
  return page(`swe-harness run ${data.runId}`, body);
}
