/**
 * A live sandbox session's latencies: exec and read_file (p50, p95), pause -> resume, and
 * snapshot -> restore. Targets: exec p50 <= 50 ms, resume <= 100 ms.
 *
 *   npm run bench:sandbox      (N=200 to change the number of execs and reads)
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadHarnessConfig, PROJECT_ROOT } from '../src/config/harness-config.js';
import { loadDataset } from '../src/instance/load-dataset.js';
import { startSession } from '../src/sandbox/sessions.js';
import { runTool } from '../src/tools/tool.js';
import { makeToolset } from '../src/tools/toolset.js';

const n = Number(process.env.N ?? 100);
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-sandbox-'));
const config = loadHarnessConfig(undefined, { state_dir: path.join(work, 'state') });
const instance = loadDataset(path.join(PROJECT_ROOT, 'instances/demo')).instances.find((i) => i.instance_id === 'demo__textkit-1');
if (!instance) throw new Error('demo__textkit-1 is missing');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function series(fn: () => Promise<unknown>, count: number): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await timeIt(fn));
  return times;
}

function row(name: string, times: number[]): string {
  return `${name.padEnd(28)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms   (n=${times.length})`;
}

async function main(): Promise<void> {
  const box = await startSession({ config, instance: instance!, runId: 'bench-sandbox' });
  try {
    const tools = makeToolset({ bash: true });
    const ctx = { sandbox: box, task: { instanceId: instance!.instance_id, testCommand: box.info.testCommand, logParser: box.info.logParser }, signal: new AbortController().signal, outputCapBytes: 30_000 };
    const exec = await series(() => box.exec('true'), n);
    const execOut = await series(() => box.exec('ls -la'), n);
    const read = await series(() => box.readFile('textkit/slugify.py'), n);
    const readTool = await series(() => runTool(tools, 'read_file', { path: 'textkit/slugify.py' }, ctx), n);
    const pauseResume: number[] = [];
    const resume: number[] = [];
    for (let i = 0; i < 10; i++) {
      pauseResume.push(await timeIt(async () => {
        await box.pause();
        resume.push(await timeIt(() => box.resume()));
      }));
    }
    const snapshot: number[] = [];
    const restore: number[] = [];
    for (let i = 0; i < 5; i++) {
      snapshot.push(await timeIt(() => box.snapshot(`bench-${i}`)));
      restore.push(await timeIt(() => box.restore(`bench-${i}`)));
    }
    const firstExecAfterRestore = await timeIt(() => box.exec('true'));
    process.stdout.write(`sandbox latency: demo__textkit-1, ${os.cpus().length} cores\n`);
    for (const [name, times] of [['exec `true`', exec], ['exec `ls -la`', execOut], ['readFile (sandbox)', read], ['read_file (tool)', readTool], ['pause -> resume (round trip)', pauseResume], ['resume', resume], ['snapshot', snapshot], ['restore', restore]] as const) {
      process.stdout.write(`${row(name, [...times])}\n`);
    }
    process.stdout.write(`first exec after restore      ${firstExecAfterRestore.toFixed(1)} ms (opens the shell)\n`);
    process.stdout.write('targets: exec p50 <= 50 ms, resume <= 100 ms\n');
  } finally {
    await box.destroy();
  }
}

await main();
