import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import type { RunSummary } from '../../src/report/summary.js';
import { startCli } from '../helpers/cli-process.js';

/**
 * Issue 12 item 5 through the real CLI: a copy of the demo dataset with created_at values
 * chosen around a cutoff, graded in real containers, and the summary's time split checked
 * against the counts the choice implies. Three Python/Node instances are graded (their images
 * are the demo's, shared with the other demo tests); a fourth, undated and without a
 * prediction, costs nothing to grade but must be counted as undated.
 */

const work = mkdtempSync(path.join(os.tmpdir(), 'time-split-'));
const dataset = path.join(work, 'demo');
const configFile = path.join(work, 'config.yaml');
const CUTOFF = '2023-06-28';

/** created_at of each instance in the copy, and whether its prediction resolves it. */
const CHOSEN: Record<string, { created_at: string; prediction?: 'gold' | 'empty' }> = {
  'demo__textkit-1': { created_at: '2023-01-10T08:00:00Z', prediction: 'gold' }, // before, resolved
  'demo__ledger-1': { created_at: '2023-06-27 23:30:00-02:00', prediction: 'empty' }, // 06-28T01:30Z: after, not resolved
  'demo__semver-lite-1': { created_at: '2024-03-01', prediction: 'gold' }, // after, resolved
  'demo__ratelimit-1': { created_at: '' }, // undated, no prediction
};

beforeAll(() => {
  cpSync(path.join(PROJECT_ROOT, 'instances/demo'), dataset, { recursive: true });
  for (const [id, chosen] of Object.entries(CHOSEN)) {
    const file = path.join(dataset, `${id}.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^created_at: .*$/m, `created_at: ${JSON.stringify(chosen.created_at)}`));
  }
  writeFileSync(configFile, [`run: {root: ${JSON.stringify(path.join(work, 'runs'))}}`, `state_dir: ${JSON.stringify(path.join(work, 'state'))}`, `images: {log_dir: ${JSON.stringify(path.join(work, 'build-logs'))}}`, ''].join('\n'));
});

const ids = Object.keys(CHOSEN).join(',');

describe('time split through the CLI (issue 12 item 5)', () => {
  it('evaluate --cutoff writes and prints the split of resolved instances before and after the cutoff', async () => {
    const instances = loadDataset(dataset).instances;
    const predictions = instances
      .filter((i) => CHOSEN[i.instance_id]?.prediction)
      .map((i) => JSON.stringify({ instance_id: i.instance_id, model_name_or_path: 'split-model', model_patch: CHOSEN[i.instance_id]!.prediction === 'gold' ? i.patch : '' }));
    const predsFile = path.join(work, 'preds.jsonl');
    writeFileSync(predsFile, predictions.join('\n') + '\n');
    const runId = 'test-time-split';
    const cli = startCli(['evaluate', '-d', dataset, '--instance-ids', ids, '-p', predsFile, '-r', runId, '-j', '2', '--cutoff', CUTOFF, '--config', configFile], { doneWhen: /^reports: /m });
    const code = await cli.exit;
    expect(code, cli.stderr).toBe(0);

    const summary = JSON.parse(readFileSync(path.join(work, 'runs', runId, `split-model.${runId}.json`), 'utf8')) as RunSummary;
    expect(summary.resolved_ids).toEqual(['demo__semver-lite-1', 'demo__textkit-1']);
    expect(summary.time_split).toMatchObject({
      cutoff: '2023-06-28T00:00:00.000Z',
      before: { instances: 1, resolved: 1, rate: 1 },
      after: { instances: 2, resolved: 1, rate: 0.5 },
      undated: 1,
      undated_ids: ['demo__ratelimit-1'],
    });
    expect(summary.time_split!.difference!.value).toBeCloseTo(-0.5, 12);
    expect(cli.stdout).toMatch(/resolved\s+1\s+1\n/);
    expect(cli.stdout).toMatch(/rate\s+100\.0%\s+50\.0%/);
    expect(cli.stdout).toContain('1 undated (no readable created_at): demo__ratelimit-1');
    const html = readFileSync(path.join(work, 'runs', runId, 'report.html'), 'utf8');
    expect(html).toContain('Time split at the cutoff 2023-06-28T00:00:00.000Z');

    // report and leaderboard read the split back from the run folder with the dataset's dates.
    const board = startCli(['leaderboard', path.join(work, 'runs', runId), '-d', dataset, '--cutoff', CUTOFF]);
    expect(await board.exit, board.stderr).toBe(0);
    expect(board.stdout).toContain('| 1/1 (100.0%) | 1/2 (50.0%) |');
  });

  it('--created-after/--created-before select by date and name the undated instance they leave out (plan: no Docker)', async () => {
    const cli = startCli(['plan', '-d', dataset, '--instance-ids', ids, '--created-after', '2023-06-28T00:00:00Z', '--created-before', '2024-01-01', '--json', '--config', configFile]);
    const code = await cli.exit;
    expect(code).toBe(2); // a left-out record is a dataset problem, never silent
    const plan = JSON.parse(cli.stdout) as { instances: Array<{ instance_id: string }> };
    expect(plan.instances.map((i) => i.instance_id)).toEqual(['demo__ledger-1']);
    expect(cli.stderr).toMatch(/instance demo__ratelimit-1, field created_at: empty: left out of the --created-after\/--created-before window/);
  });

  it('a date flag that does not parse is a usage error naming the flag', async () => {
    for (const flag of ['--created-after', '--created-before', '--cutoff']) {
      const cli = startCli(['evaluate', '-d', dataset, flag, '2023-02-30', '-p', 'gold', '-r', 'test-time-split-bad', '--config', configFile]);
      expect(await cli.exit).toBe(1);
      expect(cli.stderr).toContain(`error [USAGE]: ${flag} takes a date`);
    }
  });
});
