import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, type HarnessConfig } from '../../src/config/harness-config.js';
import { loadProblems, validateProblemRecords } from '../../src/function-level/load-problems.js';
import type { Problem } from '../../src/function-level/problem.js';
import { runFunctionLevelEvaluation } from '../../src/run/function-level-evaluate.js';

/**
 * HumanEval completions that try to be reported as passed without passing: the Python wrapper
 * reports how the program ended with a nonce the runner gave it, so a forged report needs the
 * nonce. Through the wrapper's module (sys.modules["__main__"]) there is none to take. Through
 * the interpreter's frames there is, since the tests run in the sample's own process (as in
 * HumanEval's harness), and for the same reason a sample can replace the check that follows its
 * code: those are known limits, kept here as expected failures.
 */
let config: HarnessConfig;
let problems: Problem[];

beforeAll(async () => {
  config = loadHarnessConfig(undefined, { run: { root: mkdtempSync(path.join(os.tmpdir(), 'fl-forgery-')) } });
  problems = (await loadProblems('humaneval', { cacheDir: config.dataset_cache })).problems.slice(0, 2);
});

async function outcomes(runId: string, completion: string): Promise<string[]> {
  const samples = problems.map((p) => ({ task_id: p.task_id, sample_index: 0, completion }));
  const run = await runFunctionLevelEvaluation({ config, runId, problems, samples });
  return run.results.map((r) => `${r.outcome}${r.detail ? `: ${r.detail}` : ''}`);
}

describe('forged reports', () => {
  it("a completion finds neither the wrapper's report nor its nonce in the wrapper's module", async () => {
    const throughReport = "    import sys, os\n    sys.modules['__main__'].report(ended='completed')\n    os._exit(0)\n";
    const throughNonce = "    import sys, os\n    os.write(3, ('{\"ended\": \"completed\", \"nonce\": \"%s\"}\\n' % sys.modules['__main__'].NONCE).encode())\n    os._exit(0)\n";
    expect(await outcomes('forge-report', throughReport)).toEqual(problems.map(() => "error: AttributeError: module '__main__' has no attribute 'report'"));
    expect(await outcomes('forge-nonce', throughNonce)).toEqual(problems.map(() => "error: AttributeError: module '__main__' has no attribute 'NONCE'"));
  }, 300_000);

  it("a completion that patches os._exit and json.dumps cannot turn its failure into a pass", async () => {
    // After the tests fail, the wrapper reports the exception and exits 1: with both patched, it
    // wrote "completed" with its own nonce and exited 0.
    const patcher = [
      '    import os, json',
      '    real_exit, real_dumps = os._exit, json.dumps',
      "    json.dumps = lambda d, *a, **k: real_dumps({'ended': 'completed', 'nonce': d['nonce']})",
      '    os._exit = lambda code: real_exit(0)',
      '    return None',
      '',
    ].join('\n');
    const got = await outcomes('forge-patches', patcher);
    expect(got.every((o) => o.startsWith('failed: ') || o.startsWith('error: '))).toBe(true);
  }, 300_000);

  // Known limit: EvalPlus's check (fl_checks.check_io) runs in the sample's process, after its code.
  it.fails("a completion that replaces the harness's check module is not reported as passed", async () => {
    const [plus] = validateProblemRecords([{ file: 'forgery', location: '0', value: { task_id: 'Plus/sq', prompt: 'def sq(x):\n', canonical_solution: '    return x * x\n', entry_point: 'sq', base_input: [[2], [3]] } }]).problems;
    const swap = "    return 0\n\nimport sys, types\nsys.modules['fl_checks'] = types.SimpleNamespace(check_io=lambda *a, **k: None)\n";
    const run = await runFunctionLevelEvaluation({ config, runId: 'forge-checks', problems: [plus as Problem], samples: [{ task_id: 'Plus/sq', sample_index: 0, completion: swap }] });
    expect(run.results[0]?.outcome).not.toBe('passed');
  }, 300_000);

  // Known limit: the wrapper's nonce is a local of the frame that runs the program.
  it.fails('a completion that walks the frames up to the nonce is not reported as passed', async () => {
    const walk = "    import sys, os, json\n    f = sys._getframe()\n    while f is not None and 'nonce' not in f.f_locals:\n        f = f.f_back\n    os.write(3, (json.dumps({'ended': 'completed', 'nonce': f.f_locals['nonce']}) + '\\n').encode())\n    os._exit(0)\n";
    expect(await outcomes('forge-frames', walk)).not.toContain('passed');
  }, 300_000);
});
