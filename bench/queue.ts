/**
 * The queue against a local run, on the demo dataset (gold patches, warm images, every
 * instance graded again): instances per minute locally (-j J), through the queue with one
 * worker (-j J) and with two workers (-j J each; on the second Docker engine when
 * scripts/ensure-second-docker.sh runs one). Then the queue's own latency per job, with idle
 * workers and results reused (no grading): enqueue -> start, finish -> result written, p50/p95.
 * Target: p50 <= 50 ms on loopback.
 *
 *   npm run bench:queue     (QUEUE=redis://HOST:PORT, J=2, ROUNDS=6 to change them)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHarnessConfig, PROJECT_ROOT } from '../src/config/harness-config.js';
import { loadDataset } from '../src/instance/load-dataset.js';
import { loadPredictions } from '../src/instance/predictions.js';
import { runEvaluation, type EvaluationRequest } from '../src/run/evaluate-batch.js';
import { runEvaluationOnQueue } from '../src/run/queue-coordinator.js';

const queueUrl = process.env.QUEUE ?? 'redis://127.0.0.1:6379';
const jobs = Number(process.env.J ?? 2);
const rounds = Number(process.env.ROUNDS ?? 6);
const queueName = `bench-${process.pid}`;
const ENGINE2 = 'unix:///run/swe-harness-docker2.sock';
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-queue-'));
const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs'), concurrency: jobs } });
const dataset = loadDataset(path.join(PROJECT_ROOT, 'instances/demo'));
const gold = loadPredictions('gold', dataset.instances).byId;
const cli = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

function request(runId: string, force: boolean): EvaluationRequest {
  return { config, runId, instances: dataset.instances, predictions: gold, concurrency: jobs, force };
}

async function timed(label: string, body: () => Promise<{ results: { resolved: boolean }[] }>): Promise<void> {
  const started = process.hrtime.bigint();
  const outcome = await body();
  const minutes = Number(process.hrtime.bigint() - started) / 6e10;
  const resolved = outcome.results.filter((r) => r.resolved).length;
  if (resolved !== dataset.instances.length) throw new Error(`${label}: ${resolved}/${dataset.instances.length} resolved`);
  console.log(`${label.padEnd(34)} ${(dataset.instances.length / minutes).toFixed(1).padStart(6)} instances/min  (${(minutes * 60).toFixed(1)} s)`);
}

function startWorker(dockerHost?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, 'worker', '--queue', queueUrl, '--queue-name', queueName, '-j', String(jobs), ...(dockerHost ? ['--docker-host', dockerHost] : [])], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (/taking jobs/.test(err)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
}

async function main(): Promise<void> {
  const second = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts/ensure-second-docker.sh')], { stdio: 'ignore' }).status === 0 ? ENGINE2 : undefined;
  await runEvaluation(request('warm', false)); // images built, not timed
  console.log(`demo dataset: ${dataset.instances.length} instances, gold, warm images, -j ${jobs}; queue ${queueUrl}`);
  await timed(`local (-j ${jobs})`, () => runEvaluation(request('local', true)));
  const workers = [await startWorker()];
  try {
    const target = { url: queueUrl, name: queueName };
    await timed(`queue, 1 worker (-j ${jobs})`, () => runEvaluationOnQueue(request('one-worker', true), target));
    workers.push(await startWorker(second));
    await timed(`queue, 2 workers (-j ${jobs} each${second ? ', 2 engines' : ''})`, () => runEvaluationOnQueue(request('two-workers', true), target));

    // The queue alone: one job at a time to idle workers, each result reused (no container work).
    const toStart: number[] = [];
    const toWritten: number[] = [];
    const onJobTimes = (_id: string, t: { enqueuedAt: number; startedAt?: number; finishedAt?: number; writtenAt: number }) => {
      if (t.startedAt !== undefined) toStart.push(t.startedAt - t.enqueuedAt);
      if (t.finishedAt !== undefined) toWritten.push(t.writtenAt - t.finishedAt);
    };
    for (let round = 0; round < rounds; round++) {
      for (const instance of dataset.instances) {
        await runEvaluationOnQueue({ ...request('two-workers', false), instances: [instance] }, { ...target, onJobTimes });
      }
    }
    const line = (label: string, values: number[]) => console.log(`${label.padEnd(34)} p50 ${percentile(values, 50).toFixed(0).padStart(4)} ms  p95 ${percentile(values, 95).toFixed(0).padStart(4)} ms  (n=${values.length})`);
    line('queue latency: enqueue -> start', toStart);
    line('queue latency: finish -> written', toWritten);
  } finally {
    for (const w of workers) w.kill('SIGINT');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
