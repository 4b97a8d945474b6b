/**
 * The cold path: how long an instance image takes to build and how much disk it costs when a
 * batch holds many instances of one repository. No network: the repository is made by
 * bench/synthetic-repo.ts (the size of a project like sympy) or is a local mirror
 * (--mirror PATH). N instances at different base commits, built one after another from the
 * newest to the oldest (so an older instance is built after a newer one of the same
 * repository), on a tiny Python env. Prints per-instance build seconds, the bytes each image
 * adds on its own (the engine's layer sizes), the disk for all N with the layers they share,
 * and the hidden-history check of every image. Then grading throughput with warm images
 * (the demo, gold) at -j 1 and -j 2.
 *
 *   npm run bench:cold [-- --n 20 --files 3000 --commits 20000 --mirror PATH --every E --depth D --keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Docker from 'dockerode';
import { loadHarnessConfig, PROJECT_ROOT } from '../src/config/harness-config.js';
import { SpecRegistry } from '../src/config/spec-registry.js';
import { makeImageBuilder } from '../src/images/instance-images.js';
import type { Instance } from '../src/instance/instance-schema.js';
import { loadDataset } from '../src/instance/load-dataset.js';
import { loadPredictions } from '../src/instance/predictions.js';
import { runEvaluation } from '../src/run/evaluate-batch.js';
import { HISTORY_HIDDEN, hiddenHistoryCheckScript } from '../src/test-spec/hidden-history.js';
import { makeTestSpec } from '../src/test-spec/test-spec.js';
import { syntheticRepo } from './synthetic-repo.js';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '20' },
    files: { type: 'string', default: '3000' },
    commits: { type: 'string', default: '20000' },
    mirror: { type: 'string' },
    // The layer plan (config images.repo_layers) to measure instead of the config's.
    every: { type: 'string' },
    depth: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'skip-grading': { type: 'boolean', default: false },
  },
});
const docker = new Docker();
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-cold-'));
const REPO = 'bench/cold';

const SPEC_YAML = `repo: ${REPO}
specs:
  - versions: ["1.0"]
    base: python
    test_cmd: "true {tests}"
    log_parser: pytest
`;

function git(dir: string, ...a: string[]): string {
  return execFileSync('git', a, { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
}

/** N commits of the first-parent line, evenly spread over its newer 80 %. */
function pickBaseCommits(repo: string, n: number): string[] {
  const line = git(repo, 'rev-list', '--first-parent', 'HEAD').split('\n').reverse();
  const from = Math.floor(line.length * 0.2);
  return Array.from({ length: n }, (_, k) => line[Math.round(from + (k * (line.length - 1 - from)) / Math.max(1, n - 1))] as string);
}

function instanceAt(commit: string, k: number, source: string): Instance {
  const probe = `diff --git a/bench_probe.txt b/bench_probe.txt\nnew file mode 100644\n--- /dev/null\n+++ b/bench_probe.txt\n@@ -0,0 +1 @@\n+${k}\n`;
  return {
    instance_id: `bench__cold-${k}`, repo: REPO, base_commit: commit, patch: probe, test_patch: probe, problem_statement: 'bench',
    hints_text: '', created_at: '', version: '1.0', FAIL_TO_PASS: [], PASS_TO_PASS: [], repo_source: source,
  };
}

const sizeOf = async (id: string) => (await docker.getImage(id).inspect()).Size;

/** What the image adds to the image it was built FROM: the engine's sizes of its own layers. */
async function ownBytes(id: string, parents: Set<string>): Promise<{ bytes: number; parent: string }> {
  const history = (await docker.getImage(id).history()) as { Id: string }[];
  const parent = history.slice(1).find((h) => parents.has(h.Id))?.Id;
  if (!parent) throw new Error(`no known parent in the history of ${id}`);
  return { bytes: (await sizeOf(id)) - (await sizeOf(parent)), parent };
}

function hiddenHistory(tag: string, commit: string): string {
  const r = spawnSync('docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'bash', tag, '-c', hiddenHistoryCheckScript(commit)], { encoding: 'utf8' });
  return r.stdout.includes(HISTORY_HIDDEN) && r.status === 0 ? 'hidden' : `LEAK ${r.stdout.split('\n').filter((l) => l.startsWith('LEAK')).join('; ')}${r.stderr.slice(0, 200)}`;
}

/** Removes images whose children may be among them: passes until none goes. */
async function removeAll(ids: string[]): Promise<void> {
  let left = ids;
  while (left.length > 0) {
    const failed: string[] = [];
    for (const id of left) await docker.getImage(id).remove().catch(() => failed.push(id));
    if (failed.length === left.length) return;
    left = failed;
  }
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number;
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const out = (s: string) => process.stdout.write(`${s}\n`);

async function coldPath(): Promise<void> {
  const n = Number(args.n);
  const cache = path.join(PROJECT_ROOT, '.swe-harness/bench-cold');
  mkdirSync(cache, { recursive: true });
  const started = Date.now();
  const repo = args.mirror ?? (await syntheticRepo(cache, { files: Number(args.files), commits: Number(args.commits) }));
  const packBytes = Number(/size-pack: (\d+)/.exec(git(repo, 'count-objects', '-v'))?.[1] ?? 0) * 1024;
  out(`repository: ${repo} (${git(repo, 'rev-list', '--count', 'HEAD')} commits, ${git(repo, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').length} files, pack ${mb(packBytes)}; ready in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  const specDir = path.join(work, 'specs');
  mkdirSync(specDir);
  writeFileSync(path.join(specDir, 'bench__cold.yaml'), SPEC_YAML);
  const plan = { ...(args.every ? { every: Number(args.every) } : {}), ...(args.depth ? { depth: Number(args.depth) } : {}) };
  const config = loadHarnessConfig(undefined, { spec_dirs: [specDir], repo_cache: path.join(work, 'repos'), images: { log_dir: path.join(work, 'build-logs'), repo_layers: plan } });
  out(`layer plan: every ${config.images.repo_layers.every}, depth ${config.images.repo_layers.depth}; build logs ${config.images.log_dir}`);
  const specs = SpecRegistry.forConfig(config);
  const instances = pickBaseCommits(repo, n).map((c, k) => instanceAt(c, k, repo)).reverse();
  const builder = makeImageBuilder(config, specs, instances);
  const rows: { id: string; tag: string; commit: string; seconds: number; shared: boolean; imageId: string }[] = [];
  for (const instance of instances) {
    const spec = makeTestSpec(instance, specs.resolve(REPO, '1.0'), config);
    const t0 = process.hrtime.bigint();
    const built = await builder.ensureInstanceImage(spec);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const shared = !Object.entries(built.built).some(([layer, b]) => b && layer !== 'instance');
    rows.push({ id: instance.instance_id, tag: spec.instanceImage.tag, commit: instance.base_commit, seconds, shared, imageId: built.instance });
  }
  const managed = await docker.listImages({ filters: JSON.stringify({ label: ['swe-harness.managed=true'] }) });
  const parents = new Set(managed.filter((i) => i.Labels?.['swe-harness.kind'] !== 'instance').map((i) => i.Id));
  const envIds = new Set(managed.filter((i) => i.Labels?.['swe-harness.kind'] === 'env').map((i) => i.Id));
  const shared = new Map<string, number>();
  let instanceBytes = 0;
  let maxOwn = 0;
  out(`\n${'instance'.padEnd(16)} ${'commit'.padEnd(10)} ${'build s'.padStart(8)} ${'own'.padStart(10)}  history`);
  for (const row of rows) {
    const own = await ownBytes(row.imageId, parents);
    instanceBytes += own.bytes;
    maxOwn = Math.max(maxOwn, own.bytes);
    // The links below it, down to the env image, each counted once.
    for (let link = own.parent; !envIds.has(link) && !shared.has(link); ) {
      const below = await ownBytes(link, parents);
      shared.set(link, below.bytes);
      link = below.parent;
    }
    out(`${row.id.padEnd(16)} ${row.commit.slice(0, 10)} ${row.seconds.toFixed(1).padStart(8)} ${mb(own.bytes).padStart(10)}  ${hiddenHistory(row.tag, row.commit)}`);
  }
  const secs = rows.map((r) => r.seconds);
  const warm = rows.filter((r) => r.shared).map((r) => r.seconds);
  const sharedBytes = [...shared.values()].reduce((a, b) => a + b, 0);
  out(`\nN = ${rows.length}: build s p50 ${quantile(secs, 0.5).toFixed(1)}, max ${Math.max(...secs).toFixed(1)}` +
    (warm.length ? `; with shared layers present (${warm.length}): p50 ${quantile(warm, 0.5).toFixed(1)}, max ${Math.max(...warm).toFixed(1)}` : ''));
  out(`own bytes per instance image: mean ${mb(instanceBytes / rows.length)}, max ${mb(maxOwn)}; shared repo layers: ${shared.size} (${mb(sharedBytes)})`);
  out(`disk for all ${rows.length} (instance layers + shared repo layers, env excluded): ${mb(instanceBytes + sharedBytes)}; per instance ${mb((instanceBytes + sharedBytes) / rows.length)}`);
  out('targets: <= 10 MB own per instance image (mean), <= 5 s build with shared layers present');
  if (!args.keep) {
    for (const row of rows) await docker.getImage(row.imageId).remove().catch(() => undefined);
    await removeAll([...shared.keys()]);
  }
}

/**
 * Each demo instance image built again with its shared layers present: built once (its repo
 * layers too), then, if this run made it, removed and built again, timed. Demo images made
 * here are removed at the end unless --keep (the grading part below uses them first).
 */
async function demoInstances(): Promise<string[]> {
  const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs') } });
  const specs = SpecRegistry.forConfig(config);
  const dataset = loadDataset(path.join(PROJECT_ROOT, 'instances/demo'));
  const builder = makeImageBuilder(config, specs, dataset.instances);
  const made: string[] = [];
  out('');
  for (const instance of dataset.instances) {
    const spec = makeTestSpec(instance, specs.resolve(instance.repo, instance.version), config);
    const first = await builder.ensureInstanceImage(spec);
    if (!first.built.instance) {
      out(`demo ${instance.instance_id}: image present (not made by this run), not timed`);
      continue;
    }
    await docker.getImage(first.instance).remove();
    const t0 = process.hrtime.bigint();
    const again = await builder.ensureInstanceImage(spec);
    made.push(again.instance);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const install = spec.env.install.length > 0 ? ` (install: ${spec.env.install.join('; ')})` : '';
    out(`demo ${instance.instance_id}: instance image with shared layers present ${seconds.toFixed(1)} s${install}`);
  }
  return made;
}

/** Grading throughput with warm images: the demo with the gold patch at -j 1 and -j 2. */
async function gradingThroughput(): Promise<void> {
  const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs') } });
  const dataset = loadDataset(path.join(PROJECT_ROOT, 'instances/demo'));
  const gold = loadPredictions('gold', dataset.instances).byId;
  await runEvaluation({ config, runId: 'warm', instances: dataset.instances, predictions: gold, concurrency: 2 });
  out('');
  for (const j of [1, 2]) {
    const t0 = process.hrtime.bigint();
    const outcome = await runEvaluation({ config, runId: `j${j}`, instances: dataset.instances, predictions: gold, concurrency: j, force: true });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    out(`grading, warm images, -j ${j}: ${dataset.instances.length} instances in ${seconds.toFixed(1)} s (${((dataset.instances.length / seconds) * 60).toFixed(1)} per minute), resolved ${outcome.summaries[0]?.resolved_instances}`);
  }
}

await coldPath();
if (!args['skip-grading']) {
  const made = await demoInstances();
  await gradingThroughput();
  if (!args.keep) {
    const managed = await docker.listImages({ filters: JSON.stringify({ label: ['swe-harness.managed=true'] }) });
    const parentOf = new Map(managed.map((i) => [i.Id, i.Labels?.['swe-harness.parent']]));
    const links = made.flatMap((id) => {
      const chain: string[] = [];
      for (let p = parentOf.get(id); p; p = parentOf.get(p)) chain.push(p);
      return chain;
    });
    await removeAll([...made, ...new Set(links)]);
  }
}
// The scratch folder holds a clone of the repository (hundreds of MB for a real mirror).
if (!args.keep) rmSync(work, { recursive: true, force: true });
else out(`kept: ${work}`);
