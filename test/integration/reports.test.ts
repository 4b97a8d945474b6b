import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { renderRunReport } from '../../src/report/html/render-report.js';
import { loadRun } from '../../src/report/run-data.js';
import { hasChromium, launchBrowser, openFile, visibleRows } from '../helpers/browser.js';
import { HOSTILE, makeReportRun } from '../helpers/report-fixture.js';

const CLI = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');
const DEMO = path.join(PROJECT_ROOT, 'instances/demo');
const SCREENSHOTS = path.join(PROJECT_ROOT, 'docs/screenshots');
const run = promisify(execFile);
const work = mkdtempSync(path.join(os.tmpdir(), 'reports-test-'));
const runs = path.join(work, 'runs');
const configFile = path.join(work, 'config.yaml');

async function cli(...args: string[]): Promise<string> {
  const out = await run('node', [CLI, ...args], { cwd: PROJECT_ROOT, maxBuffer: 64 << 20 }).catch((err: { stdout?: string; stderr?: string; code?: number }) => {
    // evaluate exits 2 when an instance errored; the tests look at what it wrote.
    if (err.code === 2) return { stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    throw new Error(`swe-harness ${args.join(' ')} failed: ${err.stderr}`);
  });
  return out.stdout;
}

/** gold on ledger; gold plus an eval() on textkit; a patch that cannot apply on semver-lite; nothing on ratelimit. */
function mixedPredictions(): string {
  const byId = new Map(loadDataset(DEMO).instances.map((i) => [i.instance_id, i]));
  const withEval = `${byId.get('demo__textkit-1')!.patch}diff --git a/textkit/debug_eval.py b/textkit/debug_eval.py\nnew file mode 100644\n--- /dev/null\n+++ b/textkit/debug_eval.py\n@@ -0,0 +1,2 @@\n+def run(expr):\n+    return eval(expr)\n`;
  const broken = 'diff --git a/src/compare.js b/src/compare.js\n--- a/src/compare.js\n+++ b/src/compare.js\n@@ -1,3 +1,3 @@\n this line is not in the file\n-neither is this one\n+nor this\n and not this\n';
  const patches: Record<string, string> = { 'demo__ledger-1': byId.get('demo__ledger-1')!.patch, 'demo__textkit-1': withEval, 'demo__semver-lite-1': broken, 'demo__ratelimit-1': '' };
  const file = path.join(work, 'mixed.jsonl');
  writeFileSync(file, Object.entries(patches).map(([id, p]) => JSON.stringify({ instance_id: id, model_name_or_path: 'mixed', model_patch: p })).join('\n') + '\n');
  return file;
}

const runDir = (id: string) => path.join(runs, id);
/** The four demo instances the figures below are about (the Rust one is left out). */
const FOUR = ['--filter', '^demo__(ledger|textkit|semver-lite|ratelimit)-1$'];

describe('reports on demo runs made by the test (real Docker, real Chromium)', () => {
  beforeAll(async () => {
    writeFileSync(configFile, `run:\n  root: ${runs}\n  concurrency: 2\n`);
    await cli('evaluate', '--dataset', DEMO, '-p', 'gold', '-r', 'test-rep-gold', '--config', configFile, ...FOUR);
    await cli('evaluate', '--dataset', DEMO, '-p', 'empty', '-r', 'test-rep-empty', '--config', configFile, ...FOUR);
    await cli('evaluate', '--dataset', DEMO, '-p', mixedPredictions(), '-r', 'test-rep-mixed', '--config', configFile, ...FOUR);
    await cli('run', '--dataset', DEMO, '--agent', 'gold', '-r', 'test-rep-agent', '--config', configFile, ...FOUR);
  });

  it('evaluate writes the summary with failure modes and security findings, and the HTML report', () => {
    const summary = JSON.parse(readFileSync(path.join(runDir('test-rep-mixed'), 'mixed.test-rep-mixed.json'), 'utf8'));
    expect(summary.resolved_ids).toEqual(['demo__ledger-1', 'demo__textkit-1']);
    expect(summary.failure_modes).toMatchObject({ patch_not_applied: 1, no_patch: 1 });
    expect(summary.security).toMatchObject({ patches_with_findings: 1, findings_by_cwe: { 'CWE-95': 1 }, resolved_and_clean: 1 });
    const report = JSON.parse(readFileSync(path.join(runDir('test-rep-mixed'), 'mixed', 'demo__textkit-1', 'report.json'), 'utf8'))['demo__textkit-1'];
    expect(report.security.findings).toEqual([{ rule: 'py-eval', cwe: 'CWE-95', title: expect.any(String), file: 'textkit/debug_eval.py', line: 2, snippet: 'return eval(expr)' }]);
    expect(readFileSync(path.join(runDir('test-rep-mixed'), 'report.html'), 'utf8')).toContain('<table id="instances">');
  });

  it('compare: A only / B only / both, with the exact McNemar p', async () => {
    const out = await cli('compare', runDir('test-rep-gold'), runDir('test-rep-mixed'), runDir('test-rep-empty'), '--html', path.join(work, 'compare.html'));
    // gold vs mixed: 2 both, 2 gold only, 0 mixed only: p = 2 * (1/2)^2 = 0.5
    expect(out).toContain('| resolved in both | 2 |');
    expect(out).toContain('| resolved in test-rep-gold only | 2 |');
    expect(out).toContain('| resolved in test-rep-mixed only | 0 |');
    expect(out).toContain('McNemar exact p = 0.5000');
    expect(out).toMatch(/\| demo__semver-lite-1 \| resolved \| patch did not apply \|/);
    expect(out).toMatch(/\| demo__ratelimit-1 \| resolved \| no patch \|/);
    // gold vs empty: 4 discordant pairs all one way: p = 2 / 16
    expect(out).toContain('McNemar exact p = 0.1250');
    expect(readFileSync(path.join(work, 'compare.html'), 'utf8')).toContain('test-rep-mixed');
  });

  it('leaderboard: rates with intervals, cost per resolved task, median steps', async () => {
    const out = await cli('leaderboard', runDir('test-rep-empty'), runDir('test-rep-mixed'), runDir('test-rep-agent'), '--html', path.join(work, 'leaderboard.html'));
    const lines = out.split('\n').filter((l) => l.startsWith('| 1') || l.startsWith('| 2') || l.startsWith('| 3'));
    expect(lines[0]).toMatch(/^\| 1 \| test-rep-agent \| gold \| 4\/4 \| 100\.0% \| \[51\.0%, 100\.0%\] \| \$0\.0000 \| \d+ \|$/);
    expect(lines[1]).toMatch(/^\| 2 \| test-rep-mixed \| mixed \| 2\/4 \| 50\.0% \| \[15\.0%, 85\.0%\] \| unknown \| - \|$/);
    expect(lines[2]).toMatch(/^\| 3 \| test-rep-empty \| empty \| 0\/4 \| 0\.0% \| \[0\.0%, 49\.0%\] \| unknown \| - \|$/);
  });

  describe.skipIf(!hasChromium)('in Chromium, opened from disk', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
      mkdirSync(SCREENSHOTS, { recursive: true });
    });
    afterAll(async () => browser?.close());

    it('the agent run report: the table filters, a trajectory expands, no console errors', async () => {
      const { page, errors } = await openFile(browser, path.join(runDir('test-rep-agent'), 'report.html'));
      expect(await visibleRows(page)).toBe(4);
      await page.select('#filter-repo', 'demo/textkit');
      expect(await visibleRows(page)).toBe(1);
      await page.select('#filter-repo', '');
      await page.click('#instances tbody tr[data-id="demo__ledger-1"] a');
      const instance = 'details.instance[id*="demo__ledger-1"]';
      expect(await page.$eval(instance, (d) => (d as HTMLDetailsElement).open)).toBe(true);
      await page.click(`${instance} details.step > summary`);
      expect(await page.$eval(`${instance} details.step`, (d) => (d as HTMLDetailsElement).open && d.textContent!.includes('observation'))).toBe(true);
      await page.$eval(`${instance} details.step`, (d) => d.scrollIntoView());
      await page.screenshot({ path: path.join(SCREENSHOTS, 'report-trajectory.png') });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(SCREENSHOTS, 'report.png') });
      expect(errors).toEqual([]);
    });

    it('the mixed run report filters by failure mode and sorts by a column', async () => {
      const { page, errors } = await openFile(browser, path.join(runDir('test-rep-mixed'), 'report.html'));
      await page.select('#filter-mode', 'patch_not_applied');
      expect(await page.$$eval('#instances tbody tr:not([hidden])', (rows) => rows.map((r) => (r as HTMLElement).dataset.id))).toEqual(['demo__semver-lite-1']);
      await page.select('#filter-mode', '');
      await page.select('#filter-verdict', 'RESOLVED');
      expect(await visibleRows(page)).toBe(2);
      await page.select('#filter-verdict', '');
      await page.click('#instances thead th:nth-child(10)'); // findings, ascending
      await page.click('#instances thead th:nth-child(10)'); // descending: the flagged patch first
      expect(await page.$eval('#instances tbody tr', (r) => (r as HTMLElement).dataset.id)).toBe('demo__textkit-1');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'report-mixed.png') });
      expect(errors).toEqual([]);
    });

    it('hostile text in every field is shown, never run', async () => {
      const { runDir: hostileDir, instances } = makeReportRun(work, 'test-rep-hostile');
      const file = path.join(hostileDir, 'report.html');
      writeFileSync(file, renderRunReport(loadRun(hostileDir, instances)));
      const { page, errors } = await openFile(browser, file);
      await page.$$eval('details', (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      const seen = await page.evaluate(() => ({
        pwned: typeof (window as unknown as { __pwned?: number }).__pwned,
        images: document.querySelectorAll('img').length,
        handlers: document.querySelectorAll('[onerror],[onload]').length,
        scripts: document.querySelectorAll('script').length,
        text: document.body.innerText,
      }));
      expect(seen).toMatchObject({ pwned: 'undefined', images: 0, handlers: 0, scripts: 1 });
      expect(seen.text).toContain(HOSTILE);
      expect(errors).toEqual([]);
    });
  });
});
