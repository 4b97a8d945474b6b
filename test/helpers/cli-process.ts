import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { PROJECT_ROOT } from '../../src/config/harness-config.js';

export const CLI = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');

/**
 * How long the CLI may take to exit once it printed the line that ends its work. The bound
 * is on exit after output, not on the work: a process with nothing left to do exits in well
 * under a second; one kept alive by a leaked stream, socket or timer never does (issue 18).
 */
export const EXIT_BOUND_MS = 15_000;

export interface CliProcess {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves once `pattern` appeared on stdout or stderr. */
  printed(pattern: RegExp): Promise<void>;
  /**
   * Resolves with the exit code once the process exited. Rejects (and kills it) when it has
   * not exited EXIT_BOUND_MS after `doneWhen` appeared (or after `ended()` was called), or
   * after `overallMs` in all.
   */
  exit: Promise<number | null>;
  /** Starts the exit bound now (after a signal, or stdin closed). */
  ended(): void;
}

export interface CliOptions {
  /** The line that says the work is done: the exit bound starts when it appears. */
  doneWhen?: RegExp;
  /** A bound on the whole run, so a stuck test ends with a message rather than vitest's timeout. */
  overallMs?: number;
  stdin?: 'pipe' | 'ignore';
  env?: Record<string, string>;
}

export function startCli(args: string[], opts: CliOptions = {}): CliProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  // SWE_HARNESS_DEBUG_HANDLES makes a leak name itself on stderr, which the failure shows.
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, SWE_HARNESS_DEBUG_HANDLES: '1', ...opts.env },
  });
  const run = { stdout: '', stderr: '' };
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  let boundTimer: NodeJS.Timeout | undefined;
  let failBound: (why: string) => void = () => undefined;
  const startBound = (why: string): void => {
    boundTimer ??= setTimeout(() => failBound(`had not exited ${EXIT_BOUND_MS} ms after it ${why}`), EXIT_BOUND_MS);
  };
  const onOutput = (): void => {
    const all = run.stdout + run.stderr;
    for (const w of waiters.filter((w) => w.pattern.test(all))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    if (opts.doneWhen?.test(all)) startBound(`printed ${opts.doneWhen}`);
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    run.stdout += chunk.toString();
    onOutput();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    run.stderr += chunk.toString();
    onOutput();
  });
  const exit = new Promise<number | null>((resolve, reject) => {
    const overall = setTimeout(() => failBound(`was still running ${opts.overallMs ?? 600_000} ms after it started`), opts.overallMs ?? 600_000);
    failBound = (why) => {
      child.kill('SIGKILL');
      reject(new Error(`the CLI ${why}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`));
    };
    child.on('close', (code, signal) => {
      clearTimeout(overall);
      clearTimeout(boundTimer);
      resolve(code ?? (signal ? -1 : null));
    });
  });
  exit.catch(() => undefined);
  return {
    child,
    get stdout() {
      return run.stdout;
    },
    get stderr() {
      return run.stderr;
    },
    printed: (pattern) =>
      new Promise<void>((resolve) => {
        if (pattern.test(run.stdout + run.stderr)) resolve();
        else waiters.push({ pattern, resolve });
      }),
    exit,
    ended: () => startBound('was told its work ended (a signal, or stdin closed)'),
  };
}

/** Containers (any state) with this run id's label. */
export async function containersOfRun(runId: string): Promise<string[]> {
  const list = await new Docker().listContainers({ all: true, filters: JSON.stringify({ label: [`swe-harness.run=${runId}`] }) });
  return list.map((c) => c.Id.slice(0, 12));
}
