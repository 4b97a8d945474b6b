import { END_MARKER, START_MARKER } from '../../grading/eval-markers.js';
import { FAILURE_MODE_LABELS } from '../failure-mode.js';
import type { InstanceRecord } from '../run-data.js';
import type { StepFile } from '../run-files.js';
import { html, type Html } from './escape.js';

export const anchorOf = (r: InstanceRecord) => `inst-${r.instance_id}-${r.sample}-${r.model}`.replace(/[^\w-]/g, '_');

export const usdText = (v: number | null | undefined) => (v === null || v === undefined ? 'unknown' : `$${v.toFixed(4)}`);

export function failureText(r: InstanceRecord): string {
  if (!r.failure) return '';
  return FAILURE_MODE_LABELS[r.failure.mode] + (r.failure.detail ? ` (${r.failure.detail})` : '');
}

/** The patch as a coloured diff: one span per line, classed by its first character. */
export function diffView(patch: string): Html {
  const lines = patch.split('\n').map((line) => {
    const cls = /^(diff |--- |\+\+\+ |index )/.test(line) ? 'file' : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '';
    return html`<span class="${cls}">${line}</span>\n`;
  });
  return html`<pre class="diff">${lines}</pre>`;
}

const LOG_TAIL = 60;
const LOG_MAX_LINES = 400;

/**
 * The part of the test log worth reading: the tests' own output (between the eval script's
 * markers), lines naming a failing test with a little context, and the tail.
 */
export function relevantLog(log: string, failing: string[]): string {
  const start = log.indexOf(START_MARKER);
  const end = log.indexOf(END_MARKER);
  const body = start >= 0 ? log.slice(start + START_MARKER.length, end > start ? end : undefined) : log;
  const lines = body.split('\n');
  const keep = new Set<number>();
  const names = failing.map((t) => t.split('::').pop() ?? t).filter((t) => t.length > 2);
  lines.forEach((line, i) => {
    if (names.some((n) => line.includes(n)) || /\b(Error|FAILED|FAIL|not ok|Traceback)\b/.test(line)) for (let j = Math.max(0, i - 2); j <= i + 3; j++) keep.add(j);
  });
  for (let i = Math.max(0, lines.length - LOG_TAIL); i < lines.length; i++) keep.add(i);
  const out: string[] = [];
  let last = -1;
  for (const i of [...keep].filter((i) => i < lines.length).sort((a, b) => a - b).slice(-LOG_MAX_LINES)) {
    if (i !== last + 1) out.push(`… (${i - last - 1} lines)`);
    out.push(lines[i]!);
    last = i;
  }
  return out.join('\n');
}

function testStatuses(r: InstanceRecord): Html {
  const ts = r.result.tests_status;
  if (!ts) return html`<p class="muted">no test statuses${r.result.error ? html`: ${r.result.error.code}: ${r.result.error.message}` : ''}</p>`;
  const rows = (['FAIL_TO_PASS', 'PASS_TO_PASS'] as const).flatMap((group) => [
    ...ts[group].failure.map((t) => html`<tr><td>${group}</td><td class="v-NO">failing</td><td>${t}</td></tr>`),
    ...ts[group].success.map((t) => html`<tr><td>${group}</td><td class="v-RESOLVED">passing</td><td>${t}</td></tr>`),
  ]);
  return html`<table><thead><tr><th>group</th><th>status</th><th>test</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function stepView(s: StepFile): Html {
  const tokens = (s.usage?.inputTokens ?? 0) + (s.usage?.outputTokens ?? 0);
  const calls = (s.tool_calls ?? []).map(
    (c) => html`<div class="call"><b>${c.name}</b>${c.is_error ? html` <span class="v-ERROR">error</span>` : ''}<pre>${c.arguments}</pre><div class="muted">observation</div><pre>${c.output}</pre></div>`,
  );
  const cost = s.priced === false ? 'unknown' : usdText(s.cost_usd ?? 0);
  return html`<details class="step"><summary>step ${s.step}: ${(s.tool_calls ?? []).map((c) => c.name).join(', ') || 'no tool call'} · ${tokens} tokens · ${cost}${s.duration_ms !== undefined ? ` · ${(s.duration_ms / 1000).toFixed(1)}s` : ''}</summary>
<div class="muted">message</div><pre>${s.assistant?.content ?? ''}</pre>${calls}${s.notice ? html`<p class="muted">${s.notice}</p>` : ''}</details>`;
}

function securityView(r: InstanceRecord): Html {
  const scan = r.result.security;
  if (!scan) return html``;
  if (scan.findings.length === 0) return html`<p>Security scan: no findings in ${scan.scanned_files.length} file(s).${scan.error ? ` ${scan.error}` : ''}</p>`;
  const rows = scan.findings.map((f) => html`<tr class="finding"><td>${f.cwe}</td><td>${f.rule}</td><td>${f.file}:${f.line}</td><td><code>${f.snippet}</code></td></tr>`);
  return html`<h4>Security findings</h4><table><thead><tr><th>CWE</th><th>rule</th><th>where</th><th>added line</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Everything about one graded prediction, collapsed until opened. */
export function instanceSection(r: InstanceRecord): Html {
  const failing = [...(r.result.tests_status?.FAIL_TO_PASS.failure ?? []), ...(r.result.tests_status?.PASS_TO_PASS.failure ?? [])];
  const ep = r.episode;
  return html`<details class="instance" id="${anchorOf(r)}"><summary><b>${r.instance_id}</b>${r.sample ? ` #${r.sample}` : ''} · <span class="v-${r.verdict}">${r.verdict}</span>${r.failure ? ` · ${failureText(r)}` : ''} · ${r.model}</summary>
${r.result.error ? html`<p class="v-ERROR">${r.result.error.code}: ${r.result.error.message}</p>` : ''}
${r.result.verdict_reason ? html`<p>${r.result.verdict_reason.code}: ${r.result.verdict_reason.message}</p>` : ''}
<h4>Problem statement</h4>${r.problemStatement ? html`<pre>${r.problemStatement}</pre>` : html`<p class="muted">not known (pass the dataset)</p>`}
<h4>Patch</h4>${r.patch?.trim() ? diffView(r.patch) : html`<p class="muted">no patch</p>`}
${securityView(r)}
<h4>Tests</h4>${testStatuses(r)}
${r.testLog ? html`<details><summary>test log (relevant part)</summary><pre>${relevantLog(r.testLog, failing)}</pre></details>` : ''}
${ep ? html`<h4>Trajectory</h4><p>${ep.exit_status}${ep.message ? `: ${ep.message}` : ''} · ${ep.steps} step(s) · ${r.tokens ?? 0} tokens · ${usdText(r.costUsd)} · ${ep.wall_s.toFixed(1)}s</p>${(r.steps ?? []).map(stepView)}` : ''}
</details>`;
}
