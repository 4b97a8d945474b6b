import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { containerRuntime } from '../../src/runtime/registry.js';
import { lockFile } from '../../src/util/run-lock.js';
import { makeCliTask, runCli, type CliTask } from '../helpers/cli-task.js';
import { startScopedDockerProxy } from '../helpers/scoped-docker-proxy.js';

const docker = new Docker();
// One prefix per test process: the cleanup under test sees only this file's runs (see the proxy).
const prefix = `ownertest-${randomBytes(3).toString('hex')}-`;
const slowTests = (seconds: number) => (yaml: string) => yaml.replace('test_cmd: "', `test_cmd: "sleep ${seconds}; `).replace('test: 60', 'test: 900');

async function containersOf(runId: string, kind?: string): Promise<Docker.ContainerInfo[]> {
  const label = [`swe-harness.run=${runId}`, ...(kind ? [`swe-harness.kind=${kind}`] : [])];
  return docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, exited?: () => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (exited?.()) throw new Error(`the process ended before ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `evaluate --predictions gold` in a child process, held until its grading container runs. */
async function gradingInProgress(task: CliTask, runId: string) {
  const child = runCli(['evaluate', '--dataset', task.dataset, '--predictions', 'gold', '--run-id', runId, '--config', task.configFile]);
  let ended = false;
  void child.then(() => (ended = true));
  const container = await until('its grading container ran', async () => (await containersOf(runId, 'grading')).find((c) => c.State === 'running'), () => ended);
  return { child, container };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
});

describe('cleanup touches nobody else\'s work (real CLI, real Docker)', () => {
  it('cleanup beside a live session of another process: the session survives, a killed process\'s grading container goes', async () => {
    const task = makeCliTask(slowTests(600));
    const proxy = await startScopedDockerProxy(prefix);
    cleanups.push(() => proxy.close());

    // A session started by one process (`session start` returns at once: the session lives on).
    const started = await runCli(['session', 'start', '--dataset', task.dataset, '--instance', 'test__calc-1', '--run-id', `${prefix}session`, '--config', task.configFile]);
    expect(started.status, started.stderr).toBe(0);
    const sessionId = started.stdout.trim();
    cleanups.push(() => runCli(['cleanup', '--run-id', `${prefix}session`, '--force', '--config', task.configFile]));

    // A grading container whose process is SIGKILLed: nobody works on it any more.
    const killed = await gradingInProgress(task, `${prefix}killed`);
    process.kill(killed.child.pid, 'SIGKILL');
    await killed.child;

    // A container of a process still running (this one), and one from before owner labels.
    const image = (await containersOf(`${prefix}session`, 'session'))[0]!.Image;
    const live = await containerRuntime().start({ image, labels: { 'swe-harness.kind': 'grading', 'swe-harness.run': `${prefix}live` }, limits: { memoryMb: 256, cpus: 0.5, pids: 64, network: false } });
    cleanups.push(() => live.remove());
    const old = await docker.createContainer({ Image: image, Cmd: ['true'], Labels: { 'swe-harness.managed': 'true', 'swe-harness.run': `${prefix}old`, 'swe-harness.kind': 'grading' } });
    cleanups.push(() => old.remove({ force: true }));

    const cleanup = await runCli(['cleanup', '--config', task.configFile], { ...process.env, DOCKER_HOST: proxy.dockerHost });
    expect(cleanup.status, cleanup.stderr).toBe(0);
    expect(cleanup.stdout).toMatch(/^removed 2 container\(s\), 0 snapshot image\(s\), 0 session state file\(s\); kept 2 container\(s\)/);
    expect(await containersOf(`${prefix}killed`)).toHaveLength(0);
    expect(await containersOf(`${prefix}old`)).toHaveLength(0);
    expect(await live.state()).toBe('running');
    const exec = await runCli(['session', 'exec', sessionId, '--config', task.configFile, '--', 'echo still here']);
    expect(exec.stdout).toBe('still here\n');

    // Named by its run, the session goes: its process is gone, and the user asked for that run.
    const byRun = await runCli(['cleanup', '--run-id', `${prefix}session`, '--config', task.configFile]);
    expect(byRun.status, byRun.stderr).toBe(0);
    expect(byRun.stdout).toMatch(/^removed 1 container\(s\), 0 snapshot image\(s\), 1 session state file\(s\) of run/);
    expect(await containersOf(`${prefix}session`)).toHaveLength(0);
  });
});

describe('one live process per run id (real CLI, real Docker)', () => {
  it('two processes on one run id: the second is refused, cleanup too; after the first is SIGKILLed a new one takes over and finishes', async () => {
    const task = makeCliTask(slowTests(15));
    const runId = `${prefix}shared`;
    const first = await gradingInProgress(task, runId);
    const runDir = path.join(task.workDir, 'runs', runId);
    expect(JSON.parse(readFileSync(lockFile(runDir), 'utf8'))).toMatchObject({ command: expect.stringContaining(`evaluate --dataset ${task.dataset}`) as unknown });

    const second = await runCli(['evaluate', '--dataset', task.dataset, '--predictions', 'gold', '--run-id', runId, '--config', task.configFile]);
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`error \\[RUN_LOCKED\\]: run ${runId} is in use by pid ${first.child.pid} on host \\S+, since \\S+ \\(swe-harness evaluate`));
    const refused = await runCli(['cleanup', '--run-id', runId, '--config', task.configFile]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`error \\[RUN_LOCKED\\]: run ${runId} is in use by pid ${first.child.pid} on host`));
    expect(await containersOf(runId, 'grading')).toHaveLength(1);

    process.kill(first.child.pid, 'SIGKILL');
    await first.child;
    const third = await runCli(['evaluate', '--dataset', task.dataset, '--predictions', 'gold', '--run-id', runId, '--config', task.configFile]);
    expect(third.status, third.stderr).toBe(0);
    expect(third.stderr).toContain(`note: run ${runId}: took over the lock left by pid ${first.child.pid} on host`);
    const report = JSON.parse(readFileSync(path.join(runDir, 'gold/test__calc-1/report.json'), 'utf8')) as Record<string, { resolved: boolean }>;
    expect(report['test__calc-1']?.resolved).toBe(true);
    expect(await containersOf(runId)).toHaveLength(0);
    expect(existsSync(lockFile(runDir))).toBe(false);
  });
});
