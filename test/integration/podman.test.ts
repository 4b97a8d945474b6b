import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { SpecRegistry } from '../../src/config/spec-registry.js';
import { makeInstanceTestSpec } from '../../src/images/prebuilt.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { loadPredictions } from '../../src/instance/predictions.js';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import { useDockerHost } from '../../src/runtime/engine-host.js';
import { LABELS, managed } from '../../src/runtime/labels.js';
import { containerRuntime } from '../../src/runtime/registry.js';
import { cleanupByLabel } from '../../src/runtime/cleanup.js';
import { startSession } from '../../src/sandbox/sessions.js';
import { loadProblems } from '../../src/function-level/load-problems.js';
import { runnerImageTag } from '../../src/function-level/runner-image.js';
import { runFunctionLevelEvaluation } from '../../src/run/function-level-evaluate.js';
import { clientAt, expectSnapshotRestores, PODMAN_HOST, podmanProblem, removeOwned, seedFromDocker } from '../helpers/podman.js';

/**
 * The demo dataset against Podman's Docker-compatible socket (scripts/ensure-podman.sh): the
 * same verdicts as Docker's (gold 5/5, empty 0/5, as test/integration/demo.test.ts pins
 * them), a sandbox session, and the engine paths that differ (import, build, labels, tags).
 * This file's process talks to Podman only: the engine is chosen before the client is made.
 */
const problem = await podmanProblem();
if (problem) process.stderr.write(`podman.test.ts skipped: ${problem}\n`);
else useDockerHost(PODMAN_HOST);

const work = mkdtempSync(path.join(os.tmpdir(), 'podman-test-'));
const overrides = { run: { root: path.join(work, 'runs'), concurrency: 2 }, repo_cache: path.join(work, 'repos'), state_dir: path.join(work, 'state') };
// Rootful Podman's own RLIMIT_NPROC default needs CAP_SYS_RESOURCE, which CI's engine lacks.
const config = loadHarnessConfig(undefined, { ...overrides, sandbox: { nproc: 4096 } });
const dataset = loadDataset(path.join(PROJECT_ROOT, 'instances/demo'));

/** The OS and base images of the demo: seeded from Docker when it has them (minutes of builds saved). */
function seedTags(): string[] {
  const specs = SpecRegistry.forConfig(config);
  const bases = dataset.instances.map((i) => makeInstanceTestSpec(i, specs.resolve(i.repo, i.version, i.instance_id), config).base?.tag);
  return [config.images.os_image, ...new Set(bases.filter((t): t is string => t !== undefined))];
}

describe.skipIf(problem !== undefined)(`the demo dataset on Podman (${PODMAN_HOST})`, () => {
  const podman = clientAt(PODMAN_HOST);

  beforeAll(async () => {
    await seedFromDocker(podman, seedTags());
  });
  afterAll(async () => {
    await removeOwned(podman);
  });

  it('knows it talks to Podman and records it in the run summary', async () => {
    const engine = await containerRuntime().engine();
    expect(engine).toMatchObject({ name: 'podman', rootless: false });
    expect(engine.version).toMatch(/^\d+\.\d+/);
  });

  for (const [predictions, resolved] of [['gold', 5], ['empty', 0]] as const) {
    it(`${predictions} predictions resolve ${resolved} of 5, as on Docker`, async () => {
      const preds = loadPredictions(predictions, dataset.instances);
      const outcome = await runEvaluation({ config, runId: `test-podman-${predictions}`, instances: dataset.instances, predictions: preds.byId, concurrency: 2 });
      const summary = outcome.summaries[0]!;
      expect(outcome.results.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined, undefined]);
      expect(summary).toMatchObject({ submitted_instances: 5, completed_instances: 5, resolved_instances: resolved, error_instances: 0 });
      expect(summary.engine?.name).toBe('podman');
      for (const r of outcome.results) {
        const f2p = r.tests_status!.FAIL_TO_PASS;
        expect(predictions === 'gold' ? f2p.failure : f2p.success).toEqual([]);
        expect(r.tests_status!.PASS_TO_PASS.failure).toEqual([]);
      }
    });
  }

  it('runs a sandbox session: exec, files, limits, no network, pause and resume, snapshot and restore', async () => {
    const instance = dataset.instances.find((i) => i.instance_id === 'demo__textkit-1')!;
    const box = await startSession({ config, instance, runId: 'test-podman-session' });
    try {
      const r = await box.exec('pwd; echo "$GREETING"; ls /sys/class/net; ulimit -n; exit 3', { env: { GREETING: 'hi' } });
      expect(r).toMatchObject({ exitCode: 3, output: `/testbed\nhi\nlo\n${config.sandbox.nofile}\n` });
      const inspected = await podman.getContainer(box.info.containerId).inspect();
      expect(inspected.HostConfig).toMatchObject({ Memory: config.sandbox.memory_mb * 1024 * 1024, PidsLimit: config.sandbox.pids });
      await box.writeFile('kept.txt', 'kept\n');
      await box.pause();
      expect(await box.status()).toBe('paused');
      await box.resume();
      expect((await box.exec('cat kept.txt')).output).toBe('kept\n');
      await expectSnapshotRestores(box);
    } finally {
      await box.destroy();
    }
    // Cleanup by owner label finds nothing of this session left.
    expect((await cleanupByLabel({ runId: 'test-podman-session' })).containers).toBe(0);
  });

  it('builds an image through Podman with labels a filter finds, and lists its tag as Docker writes it', async () => {
    const context = mkdtempSync(path.join(work, 'build-'));
    writeFileSync(path.join(context, 'Dockerfile'), `FROM ${config.images.os_image}\nRUN echo built-by-podman > /marker\n`);
    const tag = `swe-harness/podman-test:${process.pid}`;
    const labels = { [LABELS.kind]: 'podman-test', [LABELS.hash]: String(process.pid) };
    const id = await containerRuntime().buildImage({ contextDir: context, entries: ['Dockerfile'], tag, labels, buildArgs: {}, logPath: path.join(work, 'build.log'), timeoutSeconds: 300 });
    try {
      const found = await containerRuntime().listImages(labels);
      expect(found.map((i) => [i.id, i.tags])).toEqual([[id, [tag]]]);
    } finally {
      await containerRuntime().removeImage(id);
    }
  });

  it('cleanup finds snapshots by several labels (Podman 4.3 lists no image for two label filters)', async () => {
    const runId = `test-podman-cleanup-${process.pid}`;
    const limits = { memoryMb: 256, cpus: 1, pids: 64, network: false, nofile: 1024, nproc: 4096 };
    const container = await containerRuntime().start({ image: config.images.os_image, labels: managed({ [LABELS.run]: runId, [LABELS.kind]: 'grading' }), limits });
    await container.commit('swe-harness/snapshot', runId, { [LABELS.run]: runId, [LABELS.kind]: 'snapshot' });
    expect(await cleanupByLabel({ runId })).toMatchObject({ containers: 1, images: 1 });
    expect(await containerRuntime().listImages(managed({ [LABELS.run]: runId }))).toEqual([]);
  });

  it('imports a root filesystem as an image with its instructions (the OS image path)', async () => {
    const { pack } = await import('tar-stream');
    const archive = pack();
    archive.entry({ name: 'hello.txt' }, 'hello\n');
    archive.finalize();
    const tarPath = path.join(work, 'rootfs.tar');
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(chunk as Buffer);
    writeFileSync(tarPath, Buffer.concat(chunks));
    const tag = `swe-harness/podman-import:${process.pid}`;
    const id = await containerRuntime().importImage({ tarPath, tag, changes: ['ENV LANG=C.UTF-8', 'LABEL swe-harness.kind=podman-test'] });
    try {
      const image = await podman.getImage(tag).inspect();
      expect(image.Id).toBe(id);
      expect(image.Config.Env).toContain('LANG=C.UTF-8');
      expect(image.Config.Labels?.[LABELS.kind]).toBe('podman-test');
    } finally {
      await containerRuntime().removeImage(id);
    }
  });

  it('runs function-level samples: a runner per slot fed on its stdin, in-memory scratch folders (Podman 4.3 takes no nr_inodes)', async () => {
    await seedFromDocker(podman, [runnerImageTag(config)]);
    const { problems } = await loadProblems('humaneval', { cacheDir: config.dataset_cache });
    const some = problems.slice(0, 20);
    // Past half of a 32 MB slot's file bound (8,192): the runner empties the scratch itself.
    const many = "import os\nos.mkdir('many')\nfor i in range(6000):\n    open('many/%d' % i, 'w').close()\n";
    const samples = some.flatMap((p, i) => [
      { task_id: p.task_id, sample_index: 0, completion: p.canonical_solution as string },
      { task_id: p.task_id, sample_index: 1, completion: i === 0 ? `    ${many.replaceAll('\n', '\n    ')}return None\n` : '' },
    ]);
    const fl = loadHarnessConfig(undefined, { ...overrides, sandbox: { nproc: 4096 }, function_level: { memory_mb: 512, scratch_mb: 64, batch_size: 1000 } });
    const run = await runFunctionLevelEvaluation({ config: fl, runId: `podman-fl-${process.pid}`, problems: some, samples });
    const passed = run.results.filter((r) => r.outcome === 'passed').map((r) => `${r.task_id}#${r.sample_index}`);
    expect(passed.sort()).toEqual(some.map((p) => `${p.task_id}#0`).sort());
  });
});
