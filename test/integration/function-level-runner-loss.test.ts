import { randomBytes } from 'node:crypto';
import Docker from 'dockerode';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig, type HarnessConfig } from '../../src/config/harness-config.js';
import { SampleExecutor } from '../../src/function-level/executor.js';
import { ensureRunnerImage } from '../../src/function-level/runner-image.js';
import type { RunnerJob, RunnerResult } from '../../src/function-level/runner-protocol.js';
import { LABELS } from '../../src/runtime/labels.js';

/**
 * One runner per slot is fed jobs for the whole run; when it is lost mid-run (its container
 * killed from outside, or the runner frozen past a job's budget), only the jobs running then
 * are reported as runner errors: the jobs it held but had not started, and the other slot's,
 * run again in a new container and pass.
 */
let config: HarnessConfig;
let image: string;
const docker = new Docker();

beforeAll(async () => {
  config = loadHarnessConfig(undefined, {});
  image = await ensureRunnerImage(config);
}, 1_800_000);

/** Python jobs that sleep `seconds` and pass (the wrapper reports them completed). */
function sleepers(count: number, seconds: number, timeoutS: number): RunnerJob[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(i),
    files: { 'main.py': `import time\ntime.sleep(${seconds})\nassert ${i} == ${i}\n` },
    steps: [{ argv: ['python3', '/opt/swe-harness/fl_python.py', 'main.py'], timeout_s: timeoutS, stage: 'run' as const }],
    output_cap: 65536,
    output_limit: 1 << 20,
  }));
}

async function containersOf(run: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABELS.run}=${run}`] }) });
}

async function execute(run: string, jobs: RunnerJob[], onFirst: (containerId: string) => Promise<void>, firstAfter = 2): Promise<RunnerResult[]> {
  const results: RunnerResult[] = [];
  let fired: Promise<void> | undefined;
  await using executor = new SampleExecutor({ config, image, labels: { [LABELS.kind]: 'function-level', [LABELS.run]: run }, slots: 2, batchSize: 100, memoryMb: 512, scratchMb: 64 });
  await executor.run(jobs, (r) => {
    results.push(r);
    if (results.length === firstAfter) {
      fired = containersOf(run).then((list) => {
        expect(list).toHaveLength(1);
        return onFirst((list[0] as Docker.ContainerInfo).Id);
      });
    }
  });
  await fired;
  return results;
}

function passed(r: RunnerResult): boolean {
  return r.report?.ended === 'completed' && r.steps[0]?.exit_code === 0;
}

describe('function-level runner loss', () => {
  it('a container killed from outside mid-run: the jobs running then run again, every job passes', async () => {
    const run = `loss-${randomBytes(4).toString('hex')}`;
    const jobs = sleepers(12, 1, 10);
    const results = await execute(run, jobs, (id) => docker.getContainer(id).kill());
    expect(results.map((r) => r.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(results.filter((r) => r.runner_error)).toEqual([]);
    expect(results.filter(passed)).toHaveLength(12);
    expect(await containersOf(run)).toEqual([]);
  }, 300_000);

  it('a job during which its runner ends, twice, is reported with what the runner said; the others pass', async () => {
    const run = `crash-${randomBytes(4).toString('hex')}`;
    const jobs = sleepers(10, 0.2, 10);
    // Not a job the harness would send: the runner fails on it (a TypeError) and exits.
    const broken = { ...(jobs[3] as RunnerJob), steps: 'x' as unknown as RunnerJob['steps'] };
    jobs[3] = broken;
    const results = await execute(run, jobs, async () => undefined);
    expect(results.map((r) => r.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    const errors = results.filter((r) => r.runner_error);
    expect(errors.map((e) => e.id)).toEqual(['3']);
    expect(errors[0]?.runner_error).toMatch(/^the runner ended \(exit 1\) during this job, 2 times: TypeError/);
    expect(results.filter(passed)).toHaveLength(9);
    expect(await containersOf(run)).toEqual([]);
  }, 300_000);

  it('a result the caller cannot record stops the run with its error; every slot ends first and no container is left', async () => {
    const run = `fails-${randomBytes(4).toString('hex')}`;
    const jobs = sleepers(12, 0.3, 10);
    let seen = 0;
    const executor = new SampleExecutor({ config, image, labels: { [LABELS.kind]: 'function-level', [LABELS.run]: run }, slots: 2, batchSize: 100, memoryMb: 512, scratchMb: 64 });
    try {
      await expect(
        executor.run(jobs, () => {
          if (++seen === 3) throw new Error('disk full (the test)');
        }),
      ).rejects.toThrow('disk full (the test)');
      // No result reached the caller once it had failed, from either slot.
      expect(seen).toBe(3);
    } finally {
      await executor[Symbol.asyncDispose]();
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await containersOf(run)).toEqual([]);
  }, 300_000);

  it("a runner frozen past its job's budget: that job alone is reported, the other slot's jobs run again and pass", async () => {
    const run = `frozen-${randomBytes(4).toString('hex')}`;
    // timeout 1 s: a job's budget on the host is 1 + 30 s.
    const jobs = sleepers(8, 0.3, 1);
    const stopOne = async (id: string) => {
      const exec = await docker.getContainer(id).exec({ Cmd: ['sh', '-c', 'kill -STOP $(pgrep -f fl_runner.py | head -1)'], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({});
      await new Promise((resolve) => stream.on('end', resolve).resume());
    };
    const started = Date.now();
    const results = await execute(run, jobs, stopOne, 1);
    expect(results.map((r) => r.id).sort()).toEqual(jobs.map((j) => j.id).sort());
    const errors = results.filter((r) => r.runner_error);
    expect(errors.map((e) => e.runner_error)).toEqual(['the job ran past 31 s and its container was killed']);
    expect(results.filter(passed)).toHaveLength(7);
    expect(Date.now() - started).toBeGreaterThan(31_000);
    expect(await containersOf(run)).toEqual([]);
  }, 300_000);
});
