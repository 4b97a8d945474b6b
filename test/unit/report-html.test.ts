import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns, leaderboard } from '../../src/report/compare.js';
import { escapeHtml, html } from '../../src/report/html/escape.js';
import { relevantLog } from '../../src/report/html/instance-section.js';
import { renderRunReport } from '../../src/report/html/render-report.js';
import { loadRun } from '../../src/report/run-data.js';
import { runStats } from '../../src/report/run-stats.js';
import { HOSTILE, makeReportRun } from '../helpers/report-fixture.js';

const fixture = () => makeReportRun(mkdtempSync(path.join(tmpdir(), 'report-')), 'test-report');

describe('run statistics from a run folder', () => {
  it('counts verdicts, failure modes and cost; an unknown price makes the total unknown', () => {
    const { runDir, instances } = fixture();
    const s = runStats(loadRun(runDir, instances));
    expect(s.counters).toMatchObject({ predictions: 3, resolved: 1, partial: 0, errors: 1 });
    expect(s.failure_modes.no_patch).toBe(1);
    expect(s.no_patch_by_exit).toEqual({ step_limit: 1 });
    expect(s.cost.total_usd).toBeNull(); // acme__gadgets-7 had no price
    expect(s.cost.tokens).toBe(6300 + 3200 + 1100);
    expect(s.cost.tokens_per_resolved).toBe(10600);
    expect(s.by_repo.map((r) => [r.repo, r.resolved, r.total])).toContainEqual(['acme/widgets', 1, 1]);
    expect(s.steps.median).toBe(2);
    expect(renderRunReport(loadRun(runDir, instances))).toContain('resolved and clean: 1/3 (33.3%, 95% CI 6.1%–79.2%)');
    expect(s.security).toMatchObject({ patches_with_findings: 1, findings_by_cwe: { 'CWE-95': 1 }, resolved_and_clean: 1 });
  });

  it('cost per resolved task when every price is known', () => {
    const { runDir, instances } = fixture();
    const data = loadRun(runDir, instances);
    data.records = data.records.filter((r) => r.instance_id !== 'acme__gadgets-7');
    const s = runStats(data);
    expect(s.cost.total_usd).toBeCloseTo(0.06 + 0.01, 10);
    expect(s.cost.usd_per_resolved).toBeCloseTo(0.07, 10);
  });

  it('an evaluate without trajectories has unknown cost, not 0', () => {
    const { runDir, instances } = fixture();
    const data = loadRun(runDir, instances);
    for (const r of data.records) Object.assign(r, { episode: undefined, steps: undefined, costUsd: null, tokens: null });
    expect(runStats(data).cost).toMatchObject({ total_usd: null, usd_per_resolved: null });
  });
});

describe('HTML escaping', () => {
  it('escapes every interpolation, keeps Html made by html', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;');
    expect(html`<b>${'<i>'}</b>${html`<i>${'&'}</i>`}`.text).toBe('<b>&lt;i&gt;</b><i>&amp;</i>');
  });

  it('no field of a hostile run reaches the page as markup', () => {
    const { runDir, instances } = fixture();
    const page = renderRunReport(loadRun(runDir, instances));
    expect(page).not.toContain('<script>window');
    expect(page).not.toMatch(/<img|<svg onload/i);
    expect(page).toContain(escapeHtml(HOSTILE));
    expect(page.match(/<script>/g)).toHaveLength(1);
  });
});

describe('relevant part of a test log', () => {
  it('keeps the lines around a failing test and the tail, inside the markers', () => {
    const log = ['setup noise', '>>>>> Start Test Output', ...Array.from({ length: 200 }, (_, i) => `line ${i}`), 'tests/t.py::test_bad FAILED', ...Array.from({ length: 100 }, (_, i) => `after ${i}`), '>>>>> End Test Output', 'teardown'].join('\n');
    const part = relevantLog(log, ['tests/t.py::test_bad']);
    expect(part).toContain('test_bad FAILED');
    expect(part).toContain('line 199');
    expect(part).toContain('after 99');
    expect(part).not.toContain('setup noise');
    expect(part).not.toContain('line 50\n');
  });
});

describe('compare and leaderboard on made runs', () => {
  it('pairs instances and counts A only / B only', () => {
    const { runDir, instances } = fixture();
    const a = loadRun(runDir, instances);
    const b = loadRun(runDir, instances);
    b.runId = 'b';
    const widgets = b.records.find((r) => r.instance_id === 'acme__widgets-1')!;
    widgets.result = { ...widgets.result, resolved: false, resolution: 'NO', error: { code: 'PATCH_APPLY', message: 'no' } };
    widgets.failure = { mode: 'patch_not_applied' };
    const c = compareRuns(a, b);
    expect([c.both.length, c.a_only, c.b_only.length, c.neither]).toEqual([0, ['acme__widgets-1'], 0, 2]);
    expect(c.p_value).toBe(1);
    expect(c.mode_changes).toEqual([{ instance_id: 'acme__widgets-1', a: 'resolved', b: 'patch_not_applied' }]);
    expect(leaderboard([b, a]).map((r) => r.run_id)).toEqual(['test-report', 'b']);
  });
});
