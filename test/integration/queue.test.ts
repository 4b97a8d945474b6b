import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { OWNER_ENV } from '../../src/util/owner.js';
import { JobQueue } from '../../src/queue/job-queue.js';
import { Queue } from 'bullmq';
import { CLI, startCli, type CliProcess } from '../helpers/cli-process.js';

/**
 * The queue with everything real: a Redis of the test's own (so restarting it disturbs
 * nobody), worker processes on two Docker engines of this machine (scripts/ensure-second-docker.sh;
 * both on the first when a second cannot start), and the CLI as a user runs it.
 */
const ENGINE1 = 'unix:///var/run/docker.sock';
const ENGINE2 = 'unix:///run/swe-harness-docker2.sock';
const DEMO = path.join(PROJECT_ROOT, 'instances/demo');
const DEMO_SIZE = loadDataset(DEMO).instances.length;
const work = mkdtempSync(path.join(os.tmpdir(), 'queue-test-'));
const configFile = path.join(work, 'config.yaml');
writeFileSync(configFile, `run: {root: ${path.join(work, 'runs')}}\nrepo_cache: ${path.join(work, 'repos')}\n`);

let redisPort = 0;
let redis: ChildProcess | undefined;
let secondEngine = ENGINE1;
const workers: CliProcess[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', work, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('redis-cli', ['-p', String(redisPort), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the test Redis did not answer');
}

/** Redis stopped as a crash would not lose the queue (SHUTDOWN writes the append-only file), then started again. */
async function restartRedis(): Promise<void> {
  const exited = new Promise((r) => redis?.once('exit', r));
  spawnSync('redis-cli', ['-p', String(redisPort), 'shutdown']);
  await exited;
  await startRedis();
}

const queueUrl = () => `redis://127.0.0.1:${redisPort}`;
const evaluateArgs = (runId: string, queue = true) => ['evaluate', '--dataset', DEMO, '--predictions', 'gold', '--run-id', runId, '-j', '2', '--config', configFile, ...(queue ? ['--queue', queueUrl()] : [])];

function startWorker(engine: string): CliProcess {
  const worker = startCli(['worker', '--queue', queueUrl(), '-j', '1', '--docker-host', engine, '--stalled-ms', '5000'], { overallMs: 900_000 });
  workers.push(worker);
  return worker;
}

/** One live worker on each engine (a test run alone has none yet). */
async function twoWorkers(): Promise<void> {
  const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  const started = live.length >= 2 ? [] : [startWorker(ENGINE1), startWorker(secondEngine)];
  await Promise.all(started.map((w) => w.printed(/taking jobs/)));
}

function summary(runId: string, model = 'gold'): Record<string, unknown> {
  const s = JSON.parse(readFileSync(path.join(work, 'runs', runId, `${model}.${runId}.json`), 'utf8')) as Record<string, unknown>;
  delete s.run_id;
  // Where a run was graded, not what: a local run names its engine, a queue run has one per worker.
  delete s.engine;
  return s;
}

function reportCount(runId: string): number {
  const dir = path.join(work, 'runs', runId, 'gold');
  return existsSync(dir) ? readdirSync(dir).filter((id) => existsSync(path.join(dir, id, 'report.json'))).length : 0;
}

async function until(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Grading containers of a run on an engine, with the process that made each. */
async function gradingContainers(engine: string, runId: string): Promise<string[]> {
  const docker = new Docker({ socketPath: engine.replace('unix://', '') });
  const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`swe-harness.run=${runId}`, 'swe-harness.kind=grading'] }) });
  return list.map((c) => c.Labels['swe-harness.process'] ?? '');
}

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  if (spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts/ensure-second-docker.sh')], { stdio: 'ignore' }).status === 0) secondEngine = ENGINE2;
  // The local run: what the queue's runs must equal, and the images the workers need, warm.
  const local = spawnSync(process.execPath, [CLI, ...evaluateArgs('local', false)], { encoding: 'utf8' });
  expect(local.status, local.stderr).toBe(0);
  if (secondEngine === ENGINE2) {
    // How images reach another host; save | load here (two engines, one disk), a registry between machines.
    const dir = path.join(work, 'runs/local/gold');
    // The whole chain (OS, base, env, instance): a host builds only what it lacks, starting from the bottom.
    const images = readdirSync(dir).map((id) => (Object.values(JSON.parse(readFileSync(path.join(dir, id, 'report.json'), 'utf8')))[0] as { images: Record<string, string> }).images);
    const ids = [...new Set(images.flatMap((i) => [i.base, i.env, i.instance]).filter(Boolean))];
    const tags = ['swe-harness/os:bookworm', ...ids].flatMap((id) => spawnSync('docker', ['image', 'inspect', '--format', '{{join .RepoTags "\\n"}}', id], { encoding: 'utf8' }).stdout.split('\n').filter((t) => t.startsWith('swe-harness/')));
    const copied = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts/copy-images.sh'), ENGINE1, ENGINE2, '-', ...tags], { encoding: 'utf8' });
    expect(copied.status, copied.stderr).toBe(0);
  }
}, 1_800_000);

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  redis?.kill('SIGKILL');
  // The global teardown cleans the first engine; the second is this file's.
  if (secondEngine === ENGINE2) {
    const docker = new Docker({ socketPath: ENGINE2.replace('unix://', '') });
    const mine = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`swe-harness.owner=${process.env[OWNER_ENV] ?? ''}`] }) });
    await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  }
});

describe('evaluate --queue on workers over Redis (real Redis, two engines, the real CLI)', () => {
  it('a worker SIGKILLed mid-job loses no instance: its job is taken over, its container removed when it comes back, and the summary equals a local run', async () => {
    const first = startWorker(ENGINE1);
    const second = startWorker(secondEngine);
    await Promise.all([first.printed(/taking jobs/), second.printed(/taking jobs/)]);
    const coordinator = startCli(evaluateArgs('q-killed-worker'), { doneWhen: /reports: /, overallMs: 900_000 });
    const firstPid = String(first.child.pid);
    await until('a grading container of the first worker', async () => (await gradingContainers(ENGINE1, 'q-killed-worker')).some((p) => p.split(':')[1] === firstPid));
    first.child.kill('SIGKILL');
    await first.exit;
    const back = startWorker(ENGINE1);
    expect(await coordinator.exit, coordinator.stderr).toBe(0);
    expect(summary('q-killed-worker')).toEqual(summary('local'));
    expect(reportCount('q-killed-worker')).toBe(DEMO_SIZE);
    expect(readdirSync(path.join(work, 'runs/q-killed-worker/gold', 'demo__ledger-1')).sort()).toEqual(readdirSync(path.join(work, 'runs/local/gold', 'demo__ledger-1')).sort());
    await back.printed(/taking jobs/);
    expect((await gradingContainers(ENGINE1, 'q-killed-worker')).filter((p) => p.split(':')[1] === firstPid)).toEqual([]);
    expect(second.stderr).toMatch(/q-killed-worker\/gold\/.*: resolved/);
  });

  it('a rerun of the run id reuses every result through the resume key, whichever engine graded it', async () => {
    await twoWorkers();
    const again = startCli(evaluateArgs('q-killed-worker'), { doneWhen: /reports: /, overallMs: 900_000 });
    expect(await again.exit, again.stderr).toBe(0);
    expect(again.stderr.match(/\(reused\)/g)).toHaveLength(DEMO_SIZE);
    expect(summary('q-killed-worker')).toEqual(summary('local'));
  });

  it('a coordinator SIGKILLed mid-run and started again with the same run id attaches and finishes', async () => {
    await twoWorkers();
    const killed = startCli(evaluateArgs('q-coordinator'), { overallMs: 900_000 });
    await until('a first result', () => reportCount('q-coordinator') >= 1);
    killed.child.kill('SIGKILL');
    await killed.exit;
    const again = startCli(evaluateArgs('q-coordinator'), { doneWhen: /reports: /, overallMs: 900_000 });
    expect(await again.exit, again.stderr).toBe(0);
    expect(summary('q-coordinator')).toEqual(summary('local'));
    const status = JSON.parse(spawnSync(process.execPath, [CLI, 'queue', 'status', '--queue', queueUrl(), '--json'], { encoding: 'utf8' }).stdout) as { active: Array<{ id: string }>; uncollected: Array<{ id: string }> };
    // Collected jobs are removed: Redis holds nothing of this run once its results are written.
    const left = [...status.active, ...status.uncollected].filter((j) => j.id.startsWith('q-coordinator/'));
    expect(left, `${JSON.stringify(status)}\n${again.stderr}`).toEqual([]);
  });

  it("a run's stray jobs are removed when it ends, in every state and however many; other runs' are kept", async () => {
    const raw = new Queue('strays', { connection: { host: '127.0.0.1', port: redisPort } });
    const ids = [...Array.from({ length: 30 }, (_, k) => `q-strays/gold/i${k}/abc`), 'q-other/gold/i0/abc'];
    for (const id of ids) await raw.add('job', {}, { jobId: id, delay: id.endsWith('i1/abc') ? 60_000 : 0 });
    const jobs = await JobQueue.open(queueUrl(), { name: 'strays' });
    try {
      expect((await jobs.forgetUnawaited('q-strays/')).sort()).toEqual(ids.filter((id) => id.startsWith('q-strays/')).sort());
      expect(await raw.getRanges(['wait', 'delayed'], 0, -1)).toEqual(['q-other/gold/i0/abc']);
    } finally {
      await jobs.close();
      await raw.obliterate({ force: true });
      await raw.close();
    }
  });

  it('Redis restarted mid-run: the run ends with the same summary', async () => {
    await twoWorkers();
    const coordinator = startCli(evaluateArgs('q-redis-restart'), { doneWhen: /reports: /, overallMs: 900_000 });
    await until('a first result', () => reportCount('q-redis-restart') >= 1);
    await restartRedis();
    expect(await coordinator.exit, coordinator.stderr).toBe(0);
    expect(summary('q-redis-restart')).toEqual(summary('local'));
  });

  it('Redis gone for good mid-run: the coordinator exits 1 with QUEUE_UNREACHABLE after its patience (it used to hang, or exit 0 silently)', async () => {
    const port = await freePort();
    const lone = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until('the lone Redis', () => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG');
    // A queue no worker takes from: the run waits on Redis alone.
    const args = ['evaluate', '--dataset', DEMO, '--predictions', 'gold', '--run-id', 'q-redis-gone', '--config', configFile, '--queue', `redis://127.0.0.1:${port}`, '--queue-name', 'nobody'];
    const coordinator = startCli(args, { env: { SWE_HARNESS_QUEUE_PATIENCE_S: '3' }, doneWhen: /QUEUE_UNREACHABLE/, overallMs: 120_000 });
    await coordinator.printed(/5 instance\(s\)/);
    lone.kill('SIGKILL');
    expect(await coordinator.exit).toBe(1);
    expect(coordinator.stderr).toMatch(/QUEUE_UNREACHABLE.*has not answered for 3 s.*same run id to resume/);
  });

  it('an unreachable Redis and a bad URL are clear errors, not a hang', () => {
    const down = spawnSync(process.execPath, [CLI, 'queue', 'status', '--queue', 'redis://127.0.0.1:1'], { encoding: 'utf8', timeout: 60_000 });
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(/QUEUE_UNREACHABLE.*127\.0\.0\.1:1/);
    const bad = spawnSync(process.execPath, [CLI, 'worker', '--queue', 'localhost:6379'], { encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/USAGE.*redis:\/\//);
  });
});

describe('run --queue: agent episodes as jobs (real Redis, two engines)', () => {
  it('plays the gold agent on the workers, brings the trajectories back and grades the same as a local evaluation', async () => {
    await twoWorkers();
    const run = startCli(['run', '--dataset', DEMO, '--agent', 'gold', '--run-id', 'q-agent', '-j', '2', '--config', configFile, '--queue', queueUrl()], { doneWhen: /predictions: /, overallMs: 900_000 });
    expect(await run.exit, run.stderr).toBe(0);
    expect(summary('q-agent')).toEqual(summary('local'));
    for (const id of readdirSync(path.join(work, 'runs/local/gold'))) {
      expect(existsSync(path.join(work, 'runs/q-agent/agent', id, '0', 'trajectory.jsonl'))).toBe(true);
      expect(existsSync(path.join(work, 'runs/q-agent/agent', id, '0', 'result.json'))).toBe(true);
    }
  });

  it('a worker needs no spec file and no copy of --replay-from: the episode job carries the spec and the trajectory to replay', async () => {
    // The spec files and the replayed run exist only until the jobs are queued; the one worker
    // of this queue starts after they are gone (an agent session on a worker read both from disk).
    const specs = mkdtempSync(path.join(work, 'specs-'));
    for (const file of readdirSync(path.join(PROJECT_ROOT, 'config/specs')).filter((f) => f.startsWith('demo__'))) copyFileSync(path.join(PROJECT_ROOT, 'config/specs', file), path.join(specs, file));
    const replayFrom = path.join(work, 'replay-from');
    cpSync(path.join(work, 'runs/q-agent/agent'), replayFrom, { recursive: true });
    const lateConfig = path.join(work, 'late.yaml');
    writeFileSync(lateConfig, `run: {root: ${path.join(work, 'runs')}}\nrepo_cache: ${path.join(work, 'repos')}\nspec_dirs: [${specs}]\n`);
    const run = startCli(['run', '--dataset', DEMO, '--agent', 'replay', '--replay-from', replayFrom, '--run-id', 'q-replay', '-j', '2', '--config', lateConfig, '--queue', queueUrl(), '--queue-name', 'late'], { doneWhen: /predictions: /, overallMs: 900_000 });
    await until('every episode queued', () => {
      const status = spawnSync(process.execPath, [CLI, 'queue', 'status', '--queue', queueUrl(), '--queue-name', 'late', '--json'], { encoding: 'utf8' });
      return status.status === 0 && (JSON.parse(status.stdout) as { counts: { waiting: number } }).counts.waiting === DEMO_SIZE;
    });
    rmSync(specs, { recursive: true });
    rmSync(replayFrom, { recursive: true });
    const worker = startCli(['worker', '--queue', queueUrl(), '--queue-name', 'late', '-j', '2'], { overallMs: 900_000 });
    workers.push(worker);
    expect(await run.exit, `${run.stderr}\n${worker.stderr}`).toBe(0);
    expect({ ...summary('q-replay', 'replay'), model_name_or_path: 'gold' }).toEqual(summary('local'));
  });
});
