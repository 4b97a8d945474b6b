import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.js';
import { formatOwner, ownerState, parseOwner, processIdentity, processStartTime } from '../../src/util/owner.js';
import { acquireRunLock, lockFile, readRunLock } from '../../src/util/run-lock.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'run-lock-'));

/** A process of this host that has ended: its pid and start time, as a label would carry them. */
function deadProcess(): string {
  const child = spawnSync('sh', ['-c', 'cut -d" " -f22 /proc/$$/stat; echo $$'], { encoding: 'utf8' });
  const [start, pid] = child.stdout.trim().split('\n');
  return formatOwner({ host: os.hostname(), pid: Number(pid), start: start! });
}

const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
afterAll(() => {
  sleeper.kill('SIGKILL');
});

function liveOther(): string {
  return formatOwner({ host: os.hostname(), pid: sleeper.pid!, start: processStartTime(sleeper.pid!)! });
}

function writeLock(runDir: string, processId: string): void {
  writeFileSync(lockFile(runDir), JSON.stringify({ process: processId, owner: processId, command: 'swe-harness run --run-id r', started_at: '2026-01-01T00:00:00.000Z' }));
}

describe('owners: who made a container, and whether it still runs', () => {
  it('this process is alive, with the start time of /proc/self/stat field 22', () => {
    const field22 = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[19];
    expect(processStartTime('self')).toBe(field22);
    expect(ownerState(processIdentity())).toBe('alive');
    expect(parseOwner(processIdentity())).toEqual({ host: os.hostname(), pid: process.pid, start: field22 });
  });

  it('a process that ended is dead, and so is its pid reused by another process (another start time)', () => {
    expect(ownerState(deadProcess())).toBe('dead');
    const reused = formatOwner({ host: os.hostname(), pid: sleeper.pid!, start: String(Number(processStartTime(sleeper.pid!)) - 1) });
    expect(ownerState(reused)).toBe('dead');
    expect(ownerState(liveOther())).toBe('alive');
  });

  it('no owner (made by an older version) is dead; another host or another shape cannot be checked: unknown', () => {
    expect(ownerState(undefined)).toBe('dead');
    expect(ownerState(`elsewhere-${os.hostname()}:1:1`)).toBe('unknown');
    expect(ownerState('ci-job-42')).toBe('unknown');
  });
});

describe('the run lock (runs/<run_id>/.lock)', () => {
  it('is entered again by the process that holds it, and removed when the outermost holder releases', () => {
    const runDir = path.join(work, 'reenter');
    const outer = acquireRunLock(runDir, 'reenter');
    const inner = acquireRunLock(runDir, 'reenter');
    expect(readRunLock(runDir)?.process).toBe(processIdentity());
    inner.release();
    expect(existsSync(lockFile(runDir))).toBe(true);
    outer.release();
    expect(existsSync(lockFile(runDir))).toBe(false);
  });

  it('refuses a run held by another live process, saying who and since when (RUN_LOCKED)', () => {
    const runDir = path.join(work, 'held');
    acquireRunLock(runDir, 'held').release();
    writeLock(runDir, liveOther());
    let error: unknown;
    try {
      acquireRunLock(runDir, 'held');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('RUN_LOCKED');
    expect((error as HarnessError).message).toContain(`run held is in use by pid ${sleeper.pid} on host ${os.hostname()}, since 2026-01-01T00:00:00.000Z (swe-harness run --run-id r)`);
    expect(readRunLock(runDir)?.process).toBe(liveOther());
  });

  it('takes over the stale lock of a dead process and says whose it was', () => {
    const runDir = path.join(work, 'stale');
    acquireRunLock(runDir, 'stale').release();
    const dead = deadProcess();
    writeLock(runDir, dead);
    const lock = acquireRunLock(runDir, 'stale');
    expect(lock.tookOverFrom?.process).toBe(dead);
    expect(readRunLock(runDir)?.process).toBe(processIdentity());
    lock.release();
    expect(existsSync(lockFile(runDir))).toBe(false);
  });
});
