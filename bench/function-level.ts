/**
 * Function-level executions per second: HumanEval's canonical solutions x N samples (N = 20:
 * 3,280 executions) through the harness (evaluate --samples: a runner per slot fed one job
 * per line, a process group and a user per sample, results and logs written), against the same programs run by
 * bare `python3 main.py` processes in one container of the same image and limits (the
 * physical limit here), as many at a time as the harness has slots (`xargs -P`), so both
 * sides have the same parallelism. The two alternate in rounds of 5 samples per problem, so
 * drift in the machine's load hits both alike. Prints both rates and the ratio of times
 * (target <= 1.2).
 *
 *   npm run bench:function-level              (N=20, the config's slots by default)
 *   npm run bench:function-level -- --n 5 --slots 2
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadHarnessConfig } from '../src/config/harness-config.js';
import { runnerContainerLimits } from '../src/function-level/executor.js';
import { loadProblems } from '../src/function-level/load-problems.js';
import type { Problem, Sample } from '../src/function-level/problem.js';
import { ensureRunnerImage } from '../src/function-level/runner-image.js';
import { LABELS } from '../src/runtime/labels.js';
import { containerRuntime } from '../src/runtime/registry.js';
import { runFunctionLevelEvaluation } from '../src/run/function-level-evaluate.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '20' }, slots: { type: 'string' }, round: { type: 'string', default: '5' } } });
const n = Number(values.n);
const round = Number(values.round);
const work = mkdtempSync(path.join(os.tmpdir(), 'bench-fl-'));
const config = loadHarnessConfig(undefined, { run: { root: path.join(work, 'runs') }, ...(values.slots ? { function_level: { slots: Number(values.slots) } } : {}) });
const slots = config.function_level.slots;

/** HumanEval's own check program: prompt + completion + test + check(entry_point). */
function program(p: Problem): string {
  const check = p.check as { test: string; call: string };
  return `${p.prompt}${p.canonical_solution}\n${check.test}\ncheck(${check.call})\n`;
}

async function harnessRound(problems: Problem[], samples: Sample[], id: number): Promise<number> {
  const started = process.hrtime.bigint();
  const run = await runFunctionLevelEvaluation({ config, runId: `bench-${id}`, problems, samples, force: true });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.summary.outcomes.passed !== samples.length) throw new Error(`harness: ${run.summary.outcomes.passed}/${samples.length} passed`);
  return seconds;
}

async function bareRound(problems: Problem[], image: string, reps: number): Promise<number> {
  await using container = await containerRuntime().start({ image, labels: { [LABELS.kind]: 'bench' }, limits: runnerContainerLimits(config, config.function_level.memory_mb) });
  await container.putFiles(Object.fromEntries(problems.map((p, i) => [`bare/${String(i).padStart(3, '0')}.py`, program(p)])), '/');
  // The list made first, so the timed part is the interpreters alone; xargs exits 123 when any failed.
  await container.exec(['bash', '-c', `for r in $(seq ${reps}); do ls /bare/*.py; done > /bare.list`], { timeoutMs: 60_000, outputCapBytes: 65536 });
  const loop = `xargs -P ${slots} -n 1 python3 < /bare.list >/dev/null 2>&1; echo "exit=$?"`;
  const started = process.hrtime.bigint();
  const res = await container.exec(['bash', '-c', loop], { timeoutMs: 3_600_000, outputCapBytes: 65536 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!res.output.includes('exit=0')) throw new Error(`bare loop: ${res.output.trim()}`);
  return seconds;
}

async function main(): Promise<void> {
  const { problems } = await loadProblems('humaneval', { cacheDir: config.dataset_cache });
  const image = await ensureRunnerImage(config);
  const load = os.loadavg();
  let harness = 0;
  let bare = 0;
  for (let first = 0, id = 0; first < n; first += round, id++) {
    const reps = Math.min(round, n - first);
    const samples = problems.flatMap((p) => Array.from({ length: reps }, (_, i) => ({ task_id: p.task_id, sample_index: first + i, completion: p.canonical_solution as string })));
    const b = await bareRound(problems, image, reps);
    const h = await harnessRound(problems, samples, id);
    bare += b;
    harness += h;
    process.stderr.write(`round ${id + 1}: ${first + reps}/${n} samples per problem: harness ${h.toFixed(1)} s, bare ${b.toFixed(1)} s\n`);
  }
  const executions = problems.length * n;
  process.stdout.write(`function-level: HumanEval canonical x ${n} = ${executions} executions, harness slots ${slots}, bare processes ${slots} at a time\n`);
  process.stdout.write(`harness   ${harness.toFixed(1).padStart(8)} s  ${(executions / harness).toFixed(2).padStart(7)} executions/s\n`);
  process.stdout.write(`bare loop ${bare.toFixed(1).padStart(8)} s  ${(executions / bare).toFixed(2).padStart(7)} executions/s\n`);
  process.stdout.write(`ratio harness/bare (time): ${(harness / bare).toFixed(3)}   target <= 1.2\n`);
  process.stdout.write(`load average (1 min) at the start ${load[0]?.toFixed(2)}, at the end ${os.loadavg()[0]?.toFixed(2)}\n`);
}

await main();
