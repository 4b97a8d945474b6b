/**
 * The harness's overhead per instance: each demo instance evaluated with the gold patch by
 * the harness (-j 1, warm images), against the same eval script run with a bare
 * `docker run` on the same image. Prints per-instance medians, the overhead and the ratio.
 * Target: ratio <= 1.15 and overhead < 1 s per instance.
 *
 *   npm run bench            (REPS=5 to change the repetitions)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHarnessConfig, PROJECT_ROOT } from '../src/config/harness-config.js';
import { SpecRegistry } from '../src/config/spec-registry.js';
import { runEvaluation } from '../src/run/evaluate-batch.js';
import { loadDataset } from '../src/instance/load-dataset.js';
import type { Instance } from '../src/instance/instance-schema.js';
import { loadPredictions } from '../src/instance/predictions.js';
import { makeTestSpec } from '../src/test-spec/test-spec.js';

const reps = Number(process.env.REPS ?? 3);
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-overhead-'));
const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs'), concurrency: 1 } });
const dataset = loadDataset(path.join(PROJECT_ROOT, 'instances/demo'));
const gold = loadPredictions('gold', dataset.instances).byId;
const specs = SpecRegistry.forConfig(config);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function harnessOnce(instance: Instance, runId: string): Promise<number> {
  const started = process.hrtime.bigint();
  const outcome = await runEvaluation({ config, runId, instances: [instance], predictions: gold, concurrency: 1, force: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!outcome.results[0]?.resolved) throw new Error(`${instance.instance_id} not resolved by the harness`);
  return seconds;
}

/** The same work with nothing around it: one docker run of apply + eval.sh, --rm. */
function bareOnce(instance: Instance): number {
  const spec = makeTestSpec(instance, specs.resolve(instance.repo, instance.version), config);
  const dir = mkdtempSync(path.join(work, 'bare-'));
  writeFileSync(path.join(dir, 'patch.diff'), instance.patch);
  writeFileSync(path.join(dir, 'eval.sh'), spec.evalScript);
  const { memory_mb: memory, cpus, pids } = config.sandbox;
  const args = ['run', '--rm', '--network', 'none', `--memory=${memory}m`, `--cpus=${cpus}`, `--pids-limit=${pids}`, '--init', '-v', `${dir}:/tmp/swe-harness:ro`, '-w', '/testbed', spec.instanceImage.tag,
    'bash', '-c', 'git apply --verbose /tmp/swe-harness/patch.diff >/dev/null && bash /tmp/swe-harness/eval.sh'];
  const started = process.hrtime.bigint();
  const result = spawnSync('docker', args, { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`bare run of ${instance.instance_id} exited ${result.status}: ${result.stderr}`);
  return seconds;
}

async function main(): Promise<void> {
  // Warm: build the images (not timed) and check gold resolves everywhere.
  const warm = await runEvaluation({ config, runId: 'warm', instances: dataset.instances, predictions: gold, concurrency: 2 });
  if (warm.summaries[0]?.resolved_instances !== dataset.instances.length) throw new Error('gold does not resolve every demo instance');

  const rows: string[] = [];
  let harnessTotal = 0;
  let bareTotal = 0;
  for (const instance of dataset.instances) {
    const harness: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < reps; i++) {
      // Alternate, so drift in the machine's load hits both sides alike.
      bare.push(bareOnce(instance));
      harness.push(await harnessOnce(instance, `bench-${i}`));
    }
    const h = median(harness);
    const b = median(bare);
    harnessTotal += h;
    bareTotal += b;
    rows.push(`${instance.instance_id.padEnd(22)} ${h.toFixed(3).padStart(8)} ${b.toFixed(3).padStart(8)} ${(h - b).toFixed(3).padStart(9)} ${(h / b).toFixed(3).padStart(6)}`);
  }
  const n = dataset.instances.length;
  process.stdout.write(`eval overhead: demo dataset, gold, -j 1, warm images, median of ${reps}\n`);
  process.stdout.write(`${'instance'.padEnd(22)} ${'harness'.padStart(8)} ${'bare'.padStart(8)} ${'overhead'.padStart(9)} ${'ratio'.padStart(6)}\n`);
  process.stdout.write(`${rows.join('\n')}\n`);
  process.stdout.write(
    `${'all (mean per instance)'.padEnd(22)} ${(harnessTotal / n).toFixed(3).padStart(8)} ${(bareTotal / n).toFixed(3).padStart(8)} ` +
      `${((harnessTotal - bareTotal) / n).toFixed(3).padStart(9)} ${(harnessTotal / bareTotal).toFixed(3).padStart(6)}\n`,
  );
  process.stdout.write('targets: ratio <= 1.15, overhead < 1 s per instance\n');
}

await main();
