import { randomInt } from 'node:crypto';
import { containerLimits, type HarnessConfig } from '../config/harness-config.js';
import type { Container, ContainerLimits } from '../runtime/container-runtime.js';
import { containerRuntime } from '../runtime/registry.js';
import type { RunnerJob, RunnerResult } from './runner-protocol.js';

const RUNNER = '/opt/swe-harness/fl_runner.py';
const BATCH_DIR = 'fl-batches';
/**
 * Where each slot's runner makes the samples' folders and files (fl_runner.py's SCRATCH): an
 * in-memory filesystem per slot. On the container's overlay filesystem, making and removing a
 * folder and its files for every sample cost more kernel time than the runner's own work
 * (HumanEval's 164 programs one after another: 1.3x bare `python3` there, 1.06x here).
 */
const SCRATCH = '/opt/swe-harness/work';

/**
 * Docker's default capabilities, all dropped but the three the runner needs: KILL and
 * SETUID/SETGID, to run each sample as its slot's own user and kill everything that user
 * left. Samples themselves run with none (a user that is not root has no capabilities).
 */
const DEFAULT_CAPABILITIES = ['CHOWN', 'DAC_OVERRIDE', 'FSETID', 'FOWNER', 'MKNOD', 'NET_RAW', 'SETGID', 'SETUID', 'SETFCAP', 'SETPCAP', 'NET_BIND_SERVICE', 'SYS_CHROOT', 'KILL', 'AUDIT_WRITE'];
const RUNNER_CAPABILITIES = new Set(['KILL', 'SETUID', 'SETGID']);

export interface ExecutorOptions {
  config: HarnessConfig;
  image: string;
  labels: Record<string, string>;
  /** Samples run at once in the container, each slot with its own user. */
  slots: number;
  /** Jobs sent to the runner per exec. */
  batchSize: number;
  memoryMb: number;
  /** The size of the in-memory folder the samples' files live in (part of memoryMb). */
  scratchMb: number;
}

/**
 * Runs jobs in one sandbox container (no network, the harness's memory, pids and file-size
 * limits): `slots` runners at a time, each taking a batch of jobs per exec and running them
 * one process (group) after another. A container that died (its exec timed out, the engine
 * killed it) is replaced, and the jobs it took are reported as runner errors.
 */
export class SampleExecutor implements AsyncDisposable {
  private container: Container | undefined;
  private starting: Promise<Container> | undefined;
  private batches = 0;
  /** A random base, so slots of two runs on one host are never the same user (RLIMIT_NPROC is per user). */
  private readonly baseUid = 200_000 + randomInt(0, 1_000_000) * 16;

  constructor(private readonly opts: ExecutorOptions) {}

  /** Runs every job; `onBatch` gets each batch's results as soon as they are in. */
  async run(jobs: RunnerJob[], onBatch: (results: RunnerResult[]) => void): Promise<void> {
    const batches: RunnerJob[][] = [];
    for (let i = 0; i < jobs.length; i += this.opts.batchSize) batches.push(jobs.slice(i, i + this.opts.batchSize));
    let next = 0;
    const slot = async (n: number): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++] as RunnerJob[];
        onBatch(await this.runBatch(n, batch));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.opts.slots, batches.length)) }, (_, n) => slot(n)));
  }

  private async runBatch(slot: number, jobs: RunnerJob[]): Promise<RunnerResult[]> {
    const container = await this.alive();
    const name = `b${slot}-${this.batches++}.jsonl`;
    await container.putFiles({ [`${BATCH_DIR}/${name}`]: `${jobs.map((j) => JSON.stringify(j)).join('\n')}\n` }, '/');
    const nproc = Math.max(16, Math.floor(this.opts.config.sandbox.pids / this.opts.slots) - 8);
    const budgetS = jobs.reduce((sum, j) => sum + j.steps.reduce((s, step) => s + step.timeout_s, 0) + 5, 30);
    const argv = ['python3', RUNNER, `/${BATCH_DIR}/${name}`, String(this.baseUid + slot), String(nproc), scratchOf(slot)];
    const res = await container.exec(argv, { timeoutMs: budgetS * 1000, outputCapBytes: 1024 * 1024 * 1024 });
    const byId = new Map<string, RunnerResult>();
    for (const line of res.output.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const result = JSON.parse(line) as RunnerResult;
        byId.set(result.id, result);
      } catch {
        // A cut line (the output cap): its job is reported missing below.
      }
    }
    const why = res.timedOut ? `the batch ran past ${budgetS} s and its container was killed` : `the runner ended (exit ${res.exitCode}) first: ${res.output.trim().split('\n').at(-1)?.slice(0, 300) ?? ''}`;
    return jobs.map((j) => byId.get(j.id) ?? missing(j.id, why));
  }

  /** The container, started or replaced when it is not running. */
  private async alive(): Promise<Container> {
    if (this.starting) return this.starting;
    const current = this.container;
    if (current && (await current.state()) === 'running') return current;
    this.starting = (async () => {
      await current?.remove().catch(() => undefined);
      this.container = await containerRuntime().start({ image: this.opts.image, labels: this.opts.labels, limits: this.limits(), tmpfs: runnerScratch(this.opts.scratchMb, this.opts.slots) });
      return this.container;
    })();
    try {
      return await this.starting;
    } finally {
      this.starting = undefined;
    }
  }

  private limits(): ContainerLimits {
    return runnerContainerLimits(this.opts.config, this.opts.memoryMb);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.container?.remove().catch(() => undefined);
    this.container = undefined;
  }
}

/** The sandbox's limits (no network), the function-level memory, root with only the runner's capabilities. */
export function runnerContainerLimits(config: HarnessConfig, memoryMb: number): ContainerLimits {
  const base = containerLimits(config, false);
  return { ...base, memoryMb, capDrop: DEFAULT_CAPABILITIES.filter((c) => !RUNNER_CAPABILITIES.has(c)), user: '' };
}

function scratchOf(slot: number): string {
  return `${SCRATCH}/slot-${slot}`;
}

/**
 * The slots' scratch folders, `scratchMb` shared out: in memory, root's, others may pass
 * through but not list them. The number of files is bounded too: a tmpfs's inodes are kernel
 * memory its `size` does not count (by default, millions of them).
 */
export function runnerScratch(scratchMb: number, slots: number): Record<string, string> {
  const each = Math.max(1, Math.floor(scratchMb / slots));
  const files = Math.max(1024, each * 256);
  return Object.fromEntries(Array.from({ length: slots }, (_, n) => [scratchOf(n), `rw,exec,nosuid,nodev,size=${each}m,nr_inodes=${files},mode=0711`]));
}

function missing(id: string, why: string): RunnerResult {
  return { id, steps: [], stdout: '', stderr: '', output_bytes: 0, report: null, oom_kills: 0, leftover_rounds: 0, duration_s: 0, runner_error: why };
}
