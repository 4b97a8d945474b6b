import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, PROJECT_ROOT } from '../../src/config/harness-config.js';
import { SpecRegistry } from '../../src/config/spec-registry.js';
import { HarnessError } from '../../src/errors.js';
import { makeInstanceTestSpec } from '../../src/images/prebuilt.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { loadPredictions } from '../../src/instance/predictions.js';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import { useDockerHost } from '../../src/runtime/engine-host.js';
import { startSession } from '../../src/sandbox/sessions.js';
import { loadProblems } from '../../src/function-level/load-problems.js';
import { runnerImageTag } from '../../src/function-level/runner-image.js';
import { runFunctionLevelEvaluation } from '../../src/run/function-level-evaluate.js';
import { cgroupV2, clientAt, expectSnapshotRestores, podmanProblem, removeOwned, rootlessPodmanHost, seedFromDocker } from '../helpers/podman.js';

/**
 * One demo instance on rootless Podman (a user's own service, scripts/ensure-podman.sh):
 * graded as on Docker, and a session whose differences are pinned: on cgroup v1 a rootless
 * container cannot be paused (a clear error; snapshots commit without the pause) and gets no
 * memory limit; on cgroup v2 both work.
 */
const host = rootlessPodmanHost();
const problem = host ? await podmanProblem(host) : 'no rootless Podman user (swe-podman) here; run scripts/ensure-podman.sh as root';
if (problem) process.stderr.write(`podman-rootless.test.ts skipped: ${problem}\n`);
else useDockerHost(host);

const work = mkdtempSync(path.join(os.tmpdir(), 'podman-rootless-test-'));
const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs'), concurrency: 1 }, repo_cache: path.join(work, 'repos'), state_dir: path.join(work, 'state') });
const dataset = loadDataset(path.join(PROJECT_ROOT, 'instances/demo'));
const instance = dataset.instances.find((i) => i.instance_id === 'demo__textkit-1')!;

describe.skipIf(problem !== undefined)(`a demo instance on rootless Podman (${host})`, () => {
  const podman = clientAt(host ?? 'unix:///nowhere');

  beforeAll(async () => {
    const base = makeInstanceTestSpec(instance, SpecRegistry.forConfig(config).resolve(instance.repo, instance.version, instance.instance_id), config).base?.tag;
    await seedFromDocker(podman, [config.images.os_image, ...(base ? [base] : [])]);
  });
  afterAll(async () => {
    await removeOwned(podman);
  });

  it('grades the gold patch as Docker does', async () => {
    const preds = loadPredictions('gold', [instance]);
    const outcome = await runEvaluation({ config, runId: 'test-podman-rootless', instances: [instance], predictions: preds.byId, concurrency: 1 });
    expect(outcome.results[0]?.error).toBeUndefined();
    expect(outcome.summaries[0]).toMatchObject({ resolved_instances: 1, engine: { name: 'podman', rootless: true } });
  });

  it('runs a session in a user namespace; pause and the memory limit need cgroup v2', async () => {
    const box = await startSession({ config, instance, runId: 'test-podman-rootless' });
    try {
      // Root in the container is the service's user outside: uid 0 maps to a non-zero uid.
      expect((await box.exec('cat /proc/self/uid_map')).output).not.toMatch(/^\s*0\s+0\s/);
      const limit = (await box.exec('cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes')).output.trim();
      const paused = await box.pause().then(() => undefined, (e: unknown) => e);
      if (cgroupV2()) {
        expect(Number(limit)).toBe(config.sandbox.memory_mb * 1024 * 1024);
        expect(paused).toBeUndefined();
        await box.resume();
      } else {
        expect(limit === 'max' || Number(limit) > config.sandbox.memory_mb * 1024 * 1024).toBe(true);
        expect(paused).toBeInstanceOf(HarnessError);
        expect((paused as HarnessError).message).toMatch(/rootless Podman cannot pause.*cgroup v1/);
      }
      await expectSnapshotRestores(box);
    } finally {
      await box.destroy();
    }
  });

  it("runs function-level samples as slot users inside the user namespace's range of uids", async () => {
    await seedFromDocker(podman, [runnerImageTag(config)]);
    const { problems } = await loadProblems('humaneval', { cacheDir: config.dataset_cache });
    const some = problems.slice(0, 6);
    // The last one looks at its own uid: one the namespace maps, neither root nor the runner's.
    const whoami = "    import os\n    assert 0 < os.getuid() < 65536, os.getuid()\n    assert os.getgid() == os.getuid()\n    return None\n";
    const samples = some.flatMap((p, i) => [
      { task_id: p.task_id, sample_index: 0, completion: p.canonical_solution as string },
      { task_id: p.task_id, sample_index: 1, completion: i === 0 ? whoami : '' },
    ]);
    const fl = loadHarnessConfig(undefined, { run: { root: path.join(work, 'fl-runs') }, function_level: { memory_mb: 512, scratch_mb: 64 } });
    const notices: string[] = [];
    const run = await runFunctionLevelEvaluation({ config: fl, runId: `podman-rootless-fl-${process.pid}`, problems: some, samples, onNotice: (m) => notices.push(m) });
    // Said before the run, as for repository-level runs: cgroup v1 gives a rootless engine no limits.
    expect(notices).toEqual(cgroupV2() ? [] : ['rootless podman on cgroup v1: containers get no memory, CPU or process limit, and sessions cannot be paused']);
    const outcome = (id: string, i: number) => run.results.find((r) => r.task_id === id && r.sample_index === i);
    expect(run.results.filter((r) => r.sample_index === 0 && r.outcome !== 'passed')).toEqual([]);
    // HumanEval/0's check fails on the None it returns, after the uid asserts passed.
    expect(outcome('HumanEval/0', 1)).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('assert candidate(') });
  }, 900_000);
});
