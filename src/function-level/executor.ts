import { randomInt } from 'node:crypto';
import { containerLimits, type HarnessConfig } from '../config/harness-config.js';
import type { Container, ContainerLimits, ContainerProcess, TmpfsMount } from '../runtime/container-runtime.js';
import { containerRuntime } from '../runtime/registry.js';
import { LineSplitter } from '../util/lines.js';
import type { RunnerJob, RunnerResult } from './runner-protocol.js';

const RUNNER = '/opt/swe-harness/fl_runner.py';
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
  /** Samples a slot's runner runs between two removals of their folders. */
  batchSize: number;
  memoryMb: number;
  /** The size of the in-memory folders the samples' files live in (part of memoryMb). */
  scratchMb: number;
}

/** Jobs a slot's runner holds at once: the one it runs and the next, so it never waits for the host. */
const AHEAD = 2;
/** Seconds a job may take past its steps' own timeouts (the runner's start, its kills, clean-ups). */
const JOB_GRACE_S = 30;
/** Runs of a job that its runner did not outlive before the job is reported (a runner error). */
const RUNNER_TRIES = 2;
/** Runners that may fail to start one after another before the run fails. */
const START_TRIES = 3;

/**
 * Runs jobs in one sandbox container (no network, the harness's memory, pids and file-size
 * limits): one long-lived runner per slot, fed jobs on its stdin and answering one line per
 * job, so a job costs a line, not an exec. When a runner is lost, the container is replaced
 * and only the job it was running can be blamed: a job past its budget (the runner stuck) is
 * reported at once, a job during which the runner ended is run again and reported the second
 * time; the jobs held but not started, and the other slots' (ended with the container), go
 * back in the queue.
 */
export class SampleExecutor implements AsyncDisposable {
  private container: Container | undefined;
  private starting: Promise<Container> | undefined;
  /** Containers this executor gave up, each with the slot whose runner was lost first. */
  private readonly retired = new Map<Container, number>();
  /** Runs of a job that its runner did not outlive, by job id. */
  private readonly losses = new Map<string, number>();
  /** Runners that could not be started, one after another (an engine that fails every exec). */
  private failedStarts = 0;
  /** Set when the run fails (the caller's own error): no slot starts another runner. */
  private stopped = false;
  /** A random base, so slots of two runs on one host are never the same user (RLIMIT_NPROC is per user). */
  private readonly baseUid = 200_000 + randomInt(0, 1_000_000) * 16;

  private readonly scratch: Record<string, TmpfsMount>;

  constructor(private readonly opts: ExecutorOptions) {
    this.scratch = runnerScratch(opts.scratchMb, opts.slots);
  }

  /** Runs every job; `onResult` gets each job's result as soon as it is in. */
  async run(jobs: RunnerJob[], onResult: (result: RunnerResult) => void): Promise<void> {
    const queue = [...jobs];
    const slot = async (n: number): Promise<void> => {
      try {
        while (queue.length > 0 && !this.stopped) await this.runnerSession(n, queue, onResult);
      } catch (cause) {
        this.stopped = true;
        throw cause;
      }
    };
    // Every slot ends before the run does: none starts a container after the caller disposed of this.
    const ended = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(this.opts.slots, jobs.length)) }, (_, n) => slot(n)));
    const failed = ended.find((e) => e.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** One runner process for slot `n`, fed from `queue` until it is empty or the runner ends. */
  private async runnerSession(n: number, queue: RunnerJob[], onResult: (result: RunnerResult) => void): Promise<void> {
    const container = await this.alive();
    if (this.stopped) return; // the run failed while this slot waited for a container
    const inFlight: RunnerJob[] = [];
    let headSince = Date.now();
    const lines = new LineSplitter();
    let failure: unknown;
    const nproc = Math.max(16, Math.floor(this.opts.config.sandbox.pids / this.opts.slots) - 8);
    const maxFiles = this.scratch[scratchOf(n)]?.maxFiles ?? 0;
    const argv = ['python3', RUNNER, String(this.baseUid + n), String(nproc), scratchOf(n), String(this.opts.batchSize), String(maxFiles)];
    const onLine = (line: Buffer) => {
      if (line[0] !== 0x7b) return; // '{': anything else is not a result
      let result: RunnerResult;
      try {
        result = JSON.parse(line.toString('utf8')) as RunnerResult;
      } catch {
        return;
      }
      const at = inFlight.findIndex((j) => j.id === result.id);
      if (at < 0) return;
      inFlight.splice(at, 1);
      headSince = Date.now();
      onResult(result);
      feed();
    };
    let proc: ContainerProcess;
    try {
      proc = await container.spawn(argv, {
        stderrCapBytes: 64 * 1024,
        onStdout: (chunk) => {
          // Once a caller failed (this slot's or another's), nothing more is recorded.
          if (this.stopped) return;
          try {
            for (const line of lines.push(chunk)) onLine(line);
          } catch (cause) {
            // The caller's own failure (writing a result): the run stops with it, at once for
            // every slot (not when this runner has ended: another slot's could end first).
            failure = cause;
            this.stopped = true;
            void this.retire(container, n);
          }
        },
      });
    } catch (cause) {
      // The container went between the check and the exec: another one is started.
      if (++this.failedStarts > START_TRIES) throw cause;
      await this.retire(container, n);
      return;
    }
    this.failedStarts = 0;
    const feed = () => {
      while (inFlight.length < AHEAD && queue.length > 0 && !this.stopped) {
        const job = queue.shift() as RunnerJob;
        if (inFlight.length === 0) headSince = Date.now();
        inFlight.push(job);
        proc.write(`${JSON.stringify(job)}\n`);
      }
      if (inFlight.length === 0) proc.end();
    };
    feed();
    let overdue: { job: RunnerJob; budgetS: number } | undefined;
    const watchdog = setInterval(() => {
      const head = inFlight[0];
      if (!head || overdue) return;
      const budgetS = jobBudgetS(head);
      if (Date.now() - headSince <= budgetS * 1000) return;
      overdue = { job: head, budgetS };
      void this.retire(container, n);
    }, 1000);
    let ended: { exitCode: number | null; stderr: string };
    try {
      ended = await proc.exited;
    } finally {
      clearInterval(watchdog);
    }
    if (failure !== undefined) throw failure;
    if (this.stopped || inFlight.length === 0) return;
    const first = this.retired.get(container);
    if (first !== undefined && first !== n) {
      queue.unshift(...inFlight); // the container went with another slot's runner: none of these is to blame
      return;
    }
    await this.retire(container, n);
    const [head, ...rest] = inFlight as [RunnerJob, ...RunnerJob[]];
    queue.unshift(...rest);
    if (overdue) {
      onResult(missing(head.id, `the job ran past ${overdue.budgetS} s and its container was killed`));
      return;
    }
    const losses = (this.losses.get(head.id) ?? 0) + 1;
    this.losses.set(head.id, losses);
    if (losses < RUNNER_TRIES) {
      queue.unshift(head);
      return;
    }
    const stderr = ended.stderr.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
    onResult(missing(head.id, `the runner ended (exit ${ended.exitCode ?? 'unknown: its container was killed or removed'}) during this job, ${losses} times${stderr ? `: ${stderr}` : ''}`));
  }

  /** Gives the container up (removed, so every runner in it ends); `n`: the slot whose runner was lost. */
  private async retire(container: Container, n: number): Promise<void> {
    if (!this.retired.has(container)) this.retired.set(container, n);
    if (this.container === container) this.container = undefined;
    await container.remove().catch(() => undefined);
  }

  /** The container, started or replaced when it is not running. */
  private async alive(): Promise<Container> {
    if (this.starting) return this.starting;
    const current = this.container;
    if (current && (await current.state()) === 'running') return current;
    this.starting = (async () => {
      await current?.remove().catch(() => undefined);
      this.container = await containerRuntime().start({ image: this.opts.image, labels: this.opts.labels, limits: this.limits(), tmpfs: this.scratch });
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

/** Seconds the host waits for a job's result: its steps' timeouts and a grace. */
function jobBudgetS(job: RunnerJob): number {
  return job.steps.reduce((sum, step) => sum + step.timeout_s, 0) + JOB_GRACE_S;
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
 * through but not list them. The number of files is bounded too (where the engine can): a
 * tmpfs's inodes are kernel memory its `size` does not count (by default, millions of them).
 */
export function runnerScratch(scratchMb: number, slots: number): Record<string, TmpfsMount> {
  const sizeMb = Math.max(1, Math.floor(scratchMb / slots));
  const mount = { sizeMb, mode: 0o711, maxFiles: scratchFiles(sizeMb) };
  return Object.fromEntries(Array.from({ length: slots }, (_, n) => [scratchOf(n), mount]));
}

/** The most files a slot's scratch holds: 256 per MB, at least 1,024. */
function scratchFiles(sizeMb: number): number {
  return Math.max(1024, sizeMb * 256);
}

function missing(id: string, why: string): RunnerResult {
  return { id, steps: [], stdout: '', stderr: '', output_bytes: 0, report: null, oom_kills: 0, leftover_rounds: 0, duration_s: 0, runner_error: why };
}
