import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import { describeOwner, ownerId, ownerState, processIdentity } from './owner.js';

/** What `runs/<run_id>/.lock` says: who works on the run, since when, doing what. */
export interface RunLockInfo {
  /** The process holding the run (`host:pid:start`); its liveness decides whether the lock holds. */
  process: string;
  /** Its owner label (SWE_HARNESS_OWNER when a parent grouped it). */
  owner: string;
  command: string;
  started_at: string;
}

export interface RunLock {
  /** Gives the lock back; the file goes when the outermost holder in this process releases. */
  release(): void;
  /** The dead process whose stale lock was taken over, if there was one. */
  tookOverFrom?: RunLockInfo;
}

export const lockFile = (runDir: string) => path.join(runDir, '.lock');

/** Locks this process holds, by file, with how many times each was entered. */
const held = new Map<string, number>();

export function readRunLock(runDir: string): RunLockInfo | undefined {
  try {
    return JSON.parse(readFileSync(lockFile(runDir), 'utf8')) as RunLockInfo;
  } catch {
    return undefined;
  }
}

/** The live process, other than this one, that holds the run, if any. */
export function runLockHolder(runDir: string): RunLockInfo | undefined {
  const info = readRunLock(runDir);
  if (!info || info.process === processIdentity()) return undefined;
  return ownerState(info.process) === 'dead' ? undefined : info;
}

export function describeHolder(info: RunLockInfo): string {
  return `${describeOwner(info.process)}, since ${info.started_at} (${info.command})`;
}

/**
 * Takes `runs/<run_id>/.lock` for this process. Two processes on one run id would remove each
 * other's grading containers and overwrite each other's reports, so a live holder is refused
 * (RUN_LOCKED); a holder that died (SIGKILL, a lost machine) left a stale lock, which is taken
 * over. The same process may enter again (`run` grades under the lock it took).
 */
export function acquireRunLock(runDir: string, runId: string, command = commandLine()): RunLock {
  const file = lockFile(runDir);
  const release = () => releaseLock(file);
  const entered = held.get(file);
  if (entered !== undefined) {
    held.set(file, entered + 1);
    return { release };
  }
  mkdirSync(runDir, { recursive: true });
  const mine: RunLockInfo = { process: processIdentity(), owner: ownerId(), command, started_at: new Date().toISOString() };
  let tookOverFrom: RunLockInfo | undefined;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (createExclusive(file, JSON.stringify(mine, null, 2))) {
      held.set(file, 1);
      return { release, tookOverFrom };
    }
    const holder = readRunLock(runDir);
    if (holder === undefined) {
      sleepSync(20); // being written or removed: look again
      continue;
    }
    if (holder.process !== mine.process && ownerState(holder.process) !== 'dead') {
      const unknown = ownerState(holder.process) === 'unknown' ? ` It cannot be checked from ${os.hostname()}; if that process is gone, remove ${file}.` : '';
      throw new HarnessError(
        'RUN_LOCKED',
        `run ${runId} is in use by ${describeHolder(holder)}. A second process on the same run id would remove its grading containers and overwrite its reports: wait for it to end, or use another --run-id.${unknown}`,
      );
    }
    if (removeStale(file, holder)) tookOverFrom = holder.process === mine.process ? tookOverFrom : holder;
  }
  throw new HarnessError('RUN_LOCKED', `could not take the lock of run ${runId} (${file}): other processes keep changing it`, { file });
}

function releaseLock(file: string): void {
  const entered = held.get(file);
  if (entered === undefined) return;
  if (entered > 1) {
    held.set(file, entered - 1);
    return;
  }
  held.delete(file);
  // Only our own lock goes: one taken over after we were thought dead is not ours any more.
  const info = readRunLock(path.dirname(file));
  if (info?.process === processIdentity()) unlinkQuietly(file);
}

/** A file that appears whole or not at all: written aside, then hard-linked into place. */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, file);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cause;
  } finally {
    unlinkQuietly(tmp);
  }
}

/**
 * Removes a lock whose holder is dead, under a guard file, so two processes that both found it
 * stale do not both take it: the second finds the first's fresh lock when it looks again.
 */
function removeStale(file: string, stale: RunLockInfo): boolean {
  const guard = `${file}.takeover`;
  if (!createExclusive(guard, processIdentity())) {
    const guardHolder = readFileSafe(guard);
    if (guardHolder !== undefined && ownerState(guardHolder) === 'dead') unlinkQuietly(guard);
    else sleepSync(50);
    return false;
  }
  try {
    const now = readRunLock(path.dirname(file));
    if (now?.process !== stale.process || now.started_at !== stale.started_at) return false;
    unlinkQuietly(file);
    return true;
  } finally {
    unlinkQuietly(guard);
  }
}

function readFileSafe(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function commandLine(): string {
  return ['swe-harness', ...process.argv.slice(2)].join(' ');
}

// A process that exits on its own (process.exit, an uncaught error) gives its locks back.
process.once('exit', () => {
  for (const file of held.keys()) {
    held.set(file, 1);
    releaseLock(file);
  }
});
