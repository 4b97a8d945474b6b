import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecurityProbes } from '../../src/config/security-probes.js';
import type { Problem, SampleResult } from '../../src/function-level/problem.js';
import { probeProblems } from '../../src/function-level/security-probes.js';
import { readSampleResults, scoreFunctionLevelRun } from '../../src/function-level/score-run.js';
import { comparisonMarkdown, leaderboardMarkdown } from '../../src/report/compare.js';
import { compareFunctionLevel, functionLevelLeaderboardRow } from '../../src/report/function-level-compare.js';
import { readFunctionLevelSummary } from '../../src/report/function-level-summary.js';
import { renderFunctionLevelReport } from '../../src/report/html/render-function-level.js';
import { renderComparison } from '../../src/report/html/render-compare.js';

const problem = (task_id: string, language = 'python'): Problem => ({ task_id, language, prompt: 'def f():\n', entry_point: 'f', format: 'humaneval', check: { kind: 'test-program', program: 'prompt+completion', test: '' } });

function runWith(outcomes: Record<string, string[]>): string {
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'flrun-'));
  mkdirSync(path.join(runDir, 'function-level'));
  const lines = Object.entries(outcomes).flatMap(([task_id, os]) => os.map((outcome, sample_index): SampleResult => ({ task_id, sample_index, language: 'python', outcome: outcome as SampleResult['outcome'], duration_s: 0.1 })));
  writeFileSync(path.join(runDir, 'function-level', 'results.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return runDir;
}

describe('function-level run report', () => {
  it('scores a run folder, writes its summary and renders it escaped', async () => {
    const runDir = runWith({ '<img src=x>': ['passed', 'failed'], B: ['failed', 'failed'] });
    const summary = await scoreFunctionLevelRun({ runDir, problems: [problem('<img src=x>'), problem('B')], results: readSampleResults(runDir), ks: [1, 2] });
    expect(readFunctionLevelSummary(runDir)).toEqual(summary);
    expect(summary.overall.pass_at_k).toEqual({ '1': 0.25, '2': 0.5 });
    const page = renderFunctionLevelReport(summary);
    expect(page).toContain('&lt;img src=x&gt;');
    expect(page).not.toContain('<img src=x>');
    expect(page).toContain('pass@2');
  });

  it('scans probe samples and reports the unsafe rate per CWE', async () => {
    const probes = loadSecurityProbes().filter((p) => p.id === 'py-sql-user-by-name');
    const runDir = runWith({ 'probe/py-sql-user-by-name': ['passed', 'passed'] });
    const samples = [
      { task_id: 'probe/py-sql-user-by-name', sample_index: 0, completion: `    return conn.execute(f"SELECT * FROM users WHERE name = '{username}'").fetchone()\n`, cost_usd: 0.01 },
      { task_id: 'probe/py-sql-user-by-name', sample_index: 1, completion: '    return conn.execute("SELECT * FROM users WHERE name = ?", (username,)).fetchone()\n', cost_usd: 0.01 },
    ];
    const summary = await scoreFunctionLevelRun({ runDir, problems: probeProblems(probes), results: readSampleResults(runDir), samples, probes });
    expect(summary.security).toEqual({ samples: 2, unsafe_samples: 1, by_cwe: { 'CWE-89': { samples: 2, unsafe: 1, unsafe_rate: 0.5 } }, security_score: 0.5 });
    expect(summary.cost.usd_per_passed_task).toBeCloseTo(0.02, 10);
    const lines = readFileSync(path.join(runDir, 'function-level', 'security.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).unsafe)).toEqual([true, false]);
  });

  it('compares two runs on the tasks both executed, McNemar on sample 0', async () => {
    const problems = ['A', 'B', 'C', 'D'].map((id) => problem(id));
    const score = async (o: Record<string, string[]>) => {
      const runDir = runWith(o);
      return scoreFunctionLevelRun({ runDir, problems, results: readSampleResults(runDir) });
    };
    const a = await score({ A: ['passed'], B: ['passed'], C: ['failed'], D: ['failed'] });
    const b = await score({ A: ['passed'], B: ['failed'], C: ['passed'], D: ['passed'] });
    const c = compareFunctionLevel(a, b);
    expect([c.paired, c.both, c.a_only, c.b_only, c.neither]).toEqual([4, ['A'], ['B'], ['C', 'D'], 0]);
    // McNemar exact, b=1 c=2: 2 * P(X <= 1 | n=3) = 2 * 4/8 = 1.
    expect(c.p_value).toBe(1);
    expect(comparisonMarkdown(c)).toContain('paired tasks | 4');
    expect(comparisonMarkdown(c)).toContain('sample 0 passed in neither | 0');
    const row = functionLevelLeaderboardRow(b);
    expect([row.rate.resolved, row.rate.total, row.usd_per_resolved]).toEqual([3, 4, null]);
    expect(leaderboardMarkdown([row])).toContain('| 3/4 | 75.0% |');
  });

  it('compares every sample too: each pass@k both runs report, paired by task', async () => {
    const problems = ['X', 'Y'].map((id) => problem(id));
    const score = async (o: Record<string, string[]>) => {
      const runDir = runWith(o);
      return scoreFunctionLevelRun({ runDir, problems, results: readSampleResults(runDir), ks: [1, 2] });
    };
    const a = await score({ X: ['passed', 'failed'], Y: ['failed', 'failed'] });
    const b = await score({ X: ['passed', 'passed'], Y: ['passed', 'failed'] });
    const c = compareFunctionLevel(a, b);
    // Sample 0 alone: X passed in both, Y in B only.
    expect([c.both, c.b_only]).toEqual([['X'], ['Y']]);
    // pass@1: A 0.5 and 0, B 1 and 0.5: both tasks +0.5; of the 4 sign flips, 2 are as extreme.
    // pass@2: A 1 and 0, B 1 and 1: one task +1; its 2 flips are both as extreme.
    expect(c.pass_at_k?.map(({ k, tasks, mean_a, mean_b, difference, p_value }) => ({ k, tasks, mean_a, mean_b, difference, p_value }))).toEqual([
      { k: 1, tasks: 2, mean_a: 0.25, mean_b: 0.75, difference: 0.5, p_value: 0.5 },
      { k: 2, tasks: 2, mean_a: 0.5, mean_b: 1, difference: 0.5, p_value: 1 },
    ]);
    const text = comparisonMarkdown(c);
    expect(text).toContain('| pass@1 | 2 | 25.0% | 75.0% | 50.0% | [50.0%, 50.0%] | 0.5000 |');
    expect(text).toContain('| pass@2 | 2 | 50.0% | 100.0% | 50.0% | [0.0%, 100.0%] | 1.000 |');
    expect(renderComparison([c])).toContain('Every sample, paired by task');
  });

  it('names the file when a results line is broken', () => {
    const runDir = runWith({ A: ['passed'] });
    writeFileSync(path.join(runDir, 'function-level', 'results.jsonl'), '{"task_id": "A"\n{"task_id":"B"}\n');
    expect(() => readSampleResults(runDir)).toThrow(/results.jsonl:1: not JSON/);
  });
});
