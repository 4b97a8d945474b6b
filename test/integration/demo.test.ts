import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { loadPredictions } from '../../src/instance/predictions.js';

/** The README's promise: on the demo dataset gold resolves every instance and empty none. */
describe('the demo dataset (real Docker)', () => {
  const dataset = loadDataset(path.join(PROJECT_ROOT, 'instances/demo'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'demo-test-'));
  const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs'), concurrency: 2 }, repo_cache: path.join(work, 'repos') });

  it('loads five valid instances in five languages', () => {
    expect(dataset.problems).toEqual([]);
    expect(dataset.instances.map((i) => i.instance_id).sort()).toEqual(['demo__durations-1', 'demo__ledger-1', 'demo__ratelimit-1', 'demo__semver-lite-1', 'demo__textkit-1']);
  });

  for (const [predictions, resolved] of [['gold', 5], ['empty', 0]] as const) {
    it(`${predictions} predictions resolve ${resolved} of 5`, async () => {
      const preds = loadPredictions(predictions, dataset.instances);
      const outcome = await runEvaluation({ config, runId: `test-demo-${predictions}`, instances: dataset.instances, predictions: preds.byId, concurrency: 2 });
      const summary = outcome.summaries[0]!;
      expect(outcome.results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(summary).toMatchObject({ submitted_instances: 5, completed_instances: 5, resolved_instances: resolved, error_instances: 0 });
      for (const r of outcome.results) {
        const f2p = r.tests_status!.FAIL_TO_PASS;
        expect(predictions === 'gold' ? f2p.failure : f2p.success).toEqual([]);
        expect(r.tests_status!.PASS_TO_PASS.failure).toEqual([]);
      }
    });
  }
});
