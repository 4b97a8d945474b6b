import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { loadHarnessConfig, type HarnessConfig } from '../../src/config/harness-config.js';
import { runEvaluation } from '../../src/run/evaluate-batch.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import type { Prediction } from '../../src/instance/predictions.js';
import type { InstanceResult } from '../../src/report/instance-result.js';
import { makePythonTask, type PythonTask } from './python-task.js';

/**
 * The calc task of python-task.ts under tight limits, for patches that attack the grader:
 * a short test timeout, little memory, few processes, 1 GB files at most. Beside it a twin instance (same repo,
 * another id, so its own prediction in the same batch) that is graded with its gold patch
 * in every batch, to show that a hostile neighbour leaves the next instance unaffected.
 */
export const HOSTILE_TEST_TIMEOUT_S = 12;
export const HOSTILE_LIMITS = { memory_mb: 256, pids: 128, file_size_mb: 1024, output_cap_bytes: 4 * 1024 * 1024 };

export interface HostileTask {
  task: PythonTask;
  config: HarnessConfig;
  twin: Instance;
  base: string;
  /** tests/test_calc.py as the test patch leaves it. */
  testsAfter: string;
}

export function makeHostileTask(): HostileTask {
  const task = makePythonTask({ testTimeout: HOSTILE_TEST_TIMEOUT_S });
  const config = loadHarnessConfig(undefined, { ...task.config, sandbox: { ...task.config.sandbox, ...HOSTILE_LIMITS } });
  const twin: Instance = { ...task.instance, instance_id: 'test__calc-2' };
  const testsAfter = task.repo.git('show', 'HEAD:tests/test_calc.py') + '\n';
  return { task, config, twin, base: task.instance.base_commit, testsAfter };
}

/** The calc.py the hostile patches write: `add` as given (still wrong unless it says so), `mul` intact. */
export function calcSource(addBody: string, prelude = ''): string {
  const body = addBody.trim().split('\n').map((line) => `    ${line}`).join('\n');
  return `${prelude.trim() ? `${prelude.trim()}\n\n\n` : ''}def add(a, b):\n${body}\n\n\ndef mul(a, b):\n    return a * b\n`;
}

/**
 * A real `git diff` of any change to the base tree (files, symlinks, deletions), made in a
 * throwaway worktree of the task's repository.
 */
export function realPatch(h: HostileTask, change: { files?: Record<string, string>; links?: Record<string, string>; remove?: string[] }): string {
  const tree = mkdtempSync(path.join(os.tmpdir(), 'hostile-worktree-'));
  h.task.repo.git('worktree', 'add', '--quiet', '--detach', tree, h.base);
  try {
    for (const name of change.remove ?? []) rmSync(path.join(tree, name), { recursive: true, force: true });
    for (const [name, content] of Object.entries(change.files ?? {})) {
      mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
      writeFileSync(path.join(tree, name), content);
    }
    for (const [name, target] of Object.entries(change.links ?? {})) {
      mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
      rmSync(path.join(tree, name), { force: true });
      symlinkSync(target, path.join(tree, name));
    }
    execFileSync('git', ['add', '-A'], { cwd: tree });
    return execFileSync('git', ['diff', '--cached'], { cwd: tree, encoding: 'utf8' });
  } finally {
    h.task.repo.git('worktree', 'remove', '--force', tree);
  }
}

export interface Leftovers {
  /** Containers still labelled with the batch's run id. */
  containers: number;
  /** Host processes still in a cgroup of a container the batch used. */
  processes: string[];
  /** The containers (12-character ids, from the harness logs) whose processes were looked for. */
  watched: string[];
}

export interface HostileOutcome {
  runId: string;
  result: InstanceResult;
  gold: InstanceResult;
  /** test_output.txt of the hostile prediction ('' when none was written). */
  output: string;
  outDir: string;
  leftovers: Leftovers;
}

function predictionFor(instance: Instance, model: string, patch: string | null): Prediction {
  return { instance_id: instance.instance_id, model_name_or_path: model, model_patch: patch };
}

function readIfExists(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Container ids (12 characters) the harness logged for this instance. */
function containerIds(outDir: string): string[] {
  return [...readIfExists(path.join(outDir, 'harness.log')).matchAll(/container ([0-9a-f]{12}) from/g)].map((m) => m[1] as string);
}

/** Host processes whose cgroup names one of these containers: what a container left running. */
export function processesOf(ids: string[]): string[] {
  if (ids.length === 0) return [];
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cgroup = '';
    try {
      cgroup = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
    } catch {
      continue; // gone while we looked
    }
    if (!ids.some((id) => cgroup.includes(id))) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      // gone
    }
    found.push(`${pid} ${cmd}`);
  }
  return found;
}

/** Host processes whose command line contains `marker` (a unique argument a patch used). */
export function hostProcessesWith(marker: string): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && d !== String(process.pid))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        return cmd.includes(marker) ? [`${pid} ${cmd.trim()}`] : [];
      } catch {
        return [];
      }
    });
}

export async function labelledContainers(runId: string): Promise<number> {
  const list = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: [`swe-harness.run=${runId}`] }) });
  return list.length;
}

/**
 * One batch through the normal path: the hostile patch on `instance` and the gold patch on
 * the twin, concurrency 2. Returns both results, the hostile log, and what was left behind.
 */
export async function evaluateHostile(h: HostileTask, name: string, patch: string, instance: Instance = h.task.instance): Promise<HostileOutcome> {
  const runId = `test-hostile-${name}`;
  const predictions = new Map([
    [instance.instance_id, predictionFor(instance, 'hostile', patch)],
    [h.twin.instance_id, predictionFor(h.twin, 'gold', h.twin.patch)],
  ]);
  const outcome = await runEvaluation({ config: h.config, runId, instances: [instance, h.twin], predictions, concurrency: 2, force: true });
  const result = outcome.results.find((r) => r.instance_id === instance.instance_id) as InstanceResult;
  const gold = outcome.results.find((r) => r.instance_id === h.twin.instance_id) as InstanceResult;
  const outDir = path.join(outcome.runDir, 'hostile', instance.instance_id);
  const ids = [...containerIds(outDir), ...containerIds(path.join(outcome.runDir, 'gold', h.twin.instance_id))];
  const leftovers = { containers: await labelledContainers(runId), processes: processesOf(ids), watched: ids };
  const run = { runId, result, gold, output: readIfExists(path.join(outDir, 'test_output.txt')), outDir, leftovers };
  recordOutcome(name, run);
  return run;
}

/**
 * With HOSTILE_REPORT=file, one JSON line per case (verdict, error, statuses, time,
 * leftovers), for the table in the hardening report. Written before any assertion.
 */
function recordOutcome(name: string, run: HostileOutcome): void {
  const file = process.env.HOSTILE_REPORT;
  if (!file) return;
  const r = run.result;
  const line = {
    case: name,
    resolved: r.resolved,
    resolution: r.resolution,
    error: r.error?.code,
    reason: r.verdict_reason?.code,
    apply: r.patch_apply_method,
    exit: r.test_exit_code,
    truncated: r.test_output_truncated,
    f2p: r.tests_status?.FAIL_TO_PASS,
    p2p: r.tests_status?.PASS_TO_PASS,
    total_s: r.timings.total_s,
    eval_s: r.timings.eval_s,
    gold_resolved: run.gold.resolved,
    leftovers: run.leftovers,
    outDir: run.outDir,
  };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** Every file of a run folder, for a secret that must appear in none. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}
