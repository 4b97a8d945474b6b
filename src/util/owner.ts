import { readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * Who made a container, a snapshot or a lock: `<host>:<pid>:<start>`, where start is the
 * process's start time in clock ticks after boot (/proc/<pid>/stat field 22). A pid is reused
 * by the kernel; a pid with the same start time is the same process.
 */
export interface Owner {
  host: string;
  pid: number;
  start: string;
}

/** Set by a parent (the test runner) so every child process's work counts as the parent's. */
export const OWNER_ENV = 'SWE_HARNESS_OWNER';

/** The start time of a process, or undefined when no such process exists here. */
export function processStartTime(pid: number | 'self'): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (the command) is in parentheses and may hold spaces and parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[22 - 3];
}

/** This very process, whatever the environment says: what a run lock records. */
export function processIdentity(): string {
  return formatOwner({ host: os.hostname(), pid: process.pid, start: processStartTime('self') ?? '0' });
}

/** The owner label of what this process makes: the parent's when it set SWE_HARNESS_OWNER. */
export function ownerId(): string {
  return process.env[OWNER_ENV] || processIdentity();
}

export function formatOwner(owner: Owner): string {
  return `${owner.host}:${owner.pid}:${owner.start}`;
}

export function parseOwner(id: string): Owner | undefined {
  const parts = id.split(':');
  if (parts.length < 3) return undefined;
  const start = parts.pop() as string;
  const pid = Number(parts.pop());
  const host = parts.join(':');
  if (!host || !Number.isInteger(pid) || pid <= 0 || !/^\d+$/.test(start)) return undefined;
  return { host, pid, start };
}

/**
 * 'dead' only when that is known: a process of this host that no longer runs (or a pid now
 * used by another process), or no owner at all (made by a version before owners). A process
 * of another host, or an id of another shape, cannot be checked from here: 'unknown', which
 * callers treat as alive, so nobody else's work is removed on a guess.
 */
export function ownerState(id: string | undefined): 'alive' | 'dead' | 'unknown' {
  if (id === undefined || id === '') return 'dead';
  const owner = parseOwner(id);
  if (!owner || owner.host !== os.hostname()) return 'unknown';
  return processStartTime(owner.pid) === owner.start ? 'alive' : 'dead';
}

export function ownerIsDead(id: string | undefined): boolean {
  return ownerState(id) === 'dead';
}

/** "pid 123 on host h" for messages. */
export function describeOwner(id: string): string {
  const owner = parseOwner(id);
  return owner ? `pid ${owner.pid} on host ${owner.host}` : `owner ${id}`;
}
