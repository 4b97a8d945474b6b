import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InstanceInfo } from '../../src/report/run-data.js';

/** Text that runs code if any field reaches the page unescaped. */
export const HOSTILE = `<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">'><svg onload=window.__pwned=3>`;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const tests = (f2pOk: string[], f2pBad: string[], p2pOk: string[], p2pBad: string[]) => ({
  FAIL_TO_PASS: { success: f2pOk, failure: f2pBad },
  PASS_TO_PASS: { success: p2pOk, failure: p2pBad },
  FAIL_TO_FAIL: { success: [], failure: [] },
  PASS_TO_FAIL: { success: [], failure: [] },
});

interface Entry {
  dir: string;
  result: Record<string, unknown>;
  patch: string;
  log: string;
  steps?: Array<Record<string, unknown>>;
  episode?: Record<string, unknown>;
}

/**
 * A run folder as evaluate and run leave it, made by hand: a resolved agent episode, an
 * unresolved one that hit its step limit, and one whose every field carries HOSTILE.
 */
export function makeReportRun(root: string, runId: string): { runDir: string; instances: InstanceInfo[] } {
  const runDir = path.join(root, runId);
  const step = (n: number, text: string, tool: string, args: string, output: string, extra: Record<string, unknown> = {}) => ({
    type: 'step', step: n, assistant: { role: 'assistant', content: text }, tool_calls: [{ id: `c${n}`, name: tool, arguments: args, output, is_error: false, submitted: tool === 'submit', duration_ms: 5 }],
    usage: { inputTokens: 1000 * n, outputTokens: 100 }, cost_usd: 0.01 * n, model_latency_ms: 10, duration_ms: 1500, at: '2026-01-01T00:00:00Z', ...extra,
  });
  const base = { model_name_or_path: 'scripted-model', patch_is_None: false, patch_exists: true, finished_at: '2026-01-01T00:00:00Z' };
  const entries: Entry[] = [
    {
      dir: 'acme__widgets-1',
      result: { ...base, instance_id: 'acme__widgets-1', patch_successfully_applied: true, resolved: true, resolution: 'FULL', tests_status: tests(['tests/test_w.py::test_fix'], [], ['tests/test_w.py::test_old'], []), timings: { image_s: 2, eval_s: 5, total_s: 7.5 }, security: { findings: [], scanned_files: ['widgets/core.py'] } },
      patch: 'diff --git a/widgets/core.py b/widgets/core.py\n--- a/widgets/core.py\n+++ b/widgets/core.py\n@@ -1,2 +1,2 @@\n def area(w, h):\n-    return w + h\n+    return w * h\n',
      log: '>>>>> Start Test Output\ntests/test_w.py::test_fix PASSED\ntests/test_w.py::test_old PASSED\n>>>>> End Test Output\n',
      steps: [step(1, 'Let me look at the code.', 'read_file', '{"path":"widgets/core.py"}', 'def area(w, h):\n    return w + h'), step(2, 'The area multiplies.', 'edit', '{"path":"widgets/core.py"}', 'edited'), step(3, 'Done.', 'submit', '{}', 'submitted')],
      episode: { exit_status: 'submitted', steps: 3, cost_usd: 0.06, tokens: 6300, wall_s: 4.5 },
    },
    {
      dir: 'acme__gadgets-7',
      result: { ...base, instance_id: 'acme__gadgets-7', patch_exists: false, patch_successfully_applied: true, resolved: false, resolution: 'NO', tests_status: tests([], ['tests/test_g.py::test_new'], ['tests/test_g.py::test_a'], []), timings: { image_s: 1, eval_s: 3, total_s: 4 } },
      patch: '',
      log: '>>>>> Start Test Output\ntests/test_g.py::test_new FAILED\nAssertionError: 1 != 2\n>>>>> End Test Output\n',
      steps: [step(1, 'Searching.', 'search', '{"pattern":"gadget"}', 'gadgets/x.py:1', { priced: false }), step(2, 'Still searching.', 'search', '{"pattern":"g"}', 'nothing', { priced: false })],
      episode: { exit_status: 'step_limit', steps: 2, cost_usd: 0, tokens: 3200, wall_s: 3 },
    },
    {
      dir: 'hostile-1',
      result: {
        ...base, model_name_or_path: 'scripted-model', instance_id: `acme__${HOSTILE}-3`, patch_successfully_applied: true, resolved: false, resolution: 'PARTIAL',
        tests_status: tests([HOSTILE], [`${HOSTILE}::t`], [], [HOSTILE]), timings: { [`${HOSTILE}_s`]: 1, total_s: 2 },
        error: { code: HOSTILE, message: HOSTILE }, verdict_reason: { code: 'TESTS_FAILED', message: HOSTILE },
        security: { findings: [{ rule: HOSTILE, cwe: 'CWE-95', title: HOSTILE, file: HOSTILE, line: 1, snippet: HOSTILE }], scanned_files: [HOSTILE] },
      },
      patch: `diff --git a/${HOSTILE} b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-${HOSTILE}\n+${HOSTILE}\n`,
      log: `>>>>> Start Test Output\n${HOSTILE} FAILED\n>>>>> End Test Output\n`,
      steps: [step(1, HOSTILE, HOSTILE, HOSTILE, HOSTILE, { notice: HOSTILE })],
      episode: { exit_status: HOSTILE, message: HOSTILE, steps: 1, cost_usd: 0.01, tokens: 1100, wall_s: 1 },
    },
  ];
  for (const e of entries) {
    const dir = path.join(runDir, 'scripted-model', e.dir);
    write(path.join(dir, 'report.json'), JSON.stringify({ [e.result.instance_id as string]: e.result }));
    write(path.join(dir, 'patch.diff'), e.patch);
    write(path.join(dir, 'test_output.txt'), e.log);
    const agentDir = path.join(runDir, 'agent', e.result.instance_id as string, '0');
    if (e.steps) write(path.join(agentDir, 'trajectory.jsonl'), [{ type: 'header', messages: [{ role: 'user', content: 'fix it' }] }, ...e.steps].map((l) => JSON.stringify(l)).join('\n') + '\n');
    if (e.episode) write(path.join(agentDir, 'result.json'), JSON.stringify(e.episode));
  }
  const instances: InstanceInfo[] = [
    { instance_id: 'acme__widgets-1', repo: 'acme/widgets', version: '1.0', problem_statement: 'area() adds width and height instead of multiplying them.' },
    { instance_id: 'acme__gadgets-7', repo: 'acme/gadgets', version: '2.1', problem_statement: 'Gadgets are not listed.' },
    { instance_id: `acme__${HOSTILE}-3`, repo: HOSTILE, version: HOSTILE, problem_statement: HOSTILE },
  ];
  return { runDir, instances };
}
