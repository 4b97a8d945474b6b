import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { LABELS } from '../runtime/labels.js';
import { cleanupByLabel, liveProcessesOfRun, runContainerLabels, madeByDeadProcess, type CleanupReport, type Labels } from '../runtime/cleanup.js';
import { HarnessError } from '../errors.js';
import { describeOwner } from '../util/owner.js';
import { describeHolder, runLockHolder } from '../util/run-lock.js';
import { SessionStore } from './session-store.js';

export interface LeftoverReport extends CleanupReport {
  sessionStates: number;
}

/**
 * Whether the session a container or snapshot belongs to is live: its state file (wherever
 * the process that started it keeps state) exists and does not say stopped. A session outlives
 * the process that started it on purpose (`session start` returns at once).
 */
export function sessionIsLive(labels: Labels, store: SessionStore): boolean {
  const sessionId = labels[LABELS.session];
  if (!sessionId) return false;
  const file = labels[LABELS.sessionState] ?? store.file(sessionId);
  if (!existsSync(file)) return false;
  try {
    return !(JSON.parse(readFileSync(file, 'utf8')) as { stoppedAt?: string }).stoppedAt;
  } catch {
    return true; // unreadable (another user's, or being written): not ours to judge
  }
}

/**
 * `cleanup` without a run: what nobody uses any more. A container or snapshot goes when the
 * process that made it is dead and no live session claims it; session state files go when
 * their session was stopped.
 */
export async function removeDeadLeftovers(config: HarnessConfig): Promise<LeftoverReport> {
  const store = new SessionStore(config.state_dir);
  const removed = await cleanupByLabel({ keep: (labels) => sessionIsLive(labels, store) || !madeByDeadProcess(labels) });
  const stopped = store.list().filter((s) => s.stoppedAt);
  for (const s of stopped) store.remove(s.sessionId);
  return { ...removed, sessionStates: stopped.length };
}

/**
 * `cleanup --run-id R`: everything of run R, sessions included, unless a live process still
 * works on it (the run's lock, a container a live process made, a live session kept in another
 * state folder): then it refuses and says who, unless forced.
 */
export async function removeRunLeftovers(config: HarnessConfig, runId: string, force = false): Promise<LeftoverReport> {
  const store = new SessionStore(config.state_dir);
  if (!force) {
    const users = await runUsers(config, runId, store);
    if (users.length > 0) {
      throw new HarnessError('RUN_LOCKED', `run ${runId} is in use by ${users.join('; ')}. Removing its containers would break that work; wait for it to end, or pass --force.`);
    }
  }
  const removed = await cleanupByLabel({ runId });
  const sessions = store.list().filter((s) => s.runId === runId);
  for (const s of sessions) store.remove(s.sessionId);
  return { ...removed, sessionStates: sessions.length };
}

async function runUsers(config: HarnessConfig, runId: string, store: SessionStore): Promise<string[]> {
  const users: string[] = [];
  const holder = runLockHolder(path.resolve(config.run.root, runId));
  if (holder) users.push(describeHolder(holder));
  for (const owner of await liveProcessesOfRun(runId)) if (owner !== holder?.process) users.push(describeOwner(owner));
  for (const labels of await runContainerLabels(runId, 'session')) {
    const stateFile = labels[LABELS.sessionState];
    if (stateFile && path.dirname(stateFile) !== store.dir && sessionIsLive(labels, store)) users.push(`session ${labels[LABELS.session]} (state in ${stateFile})`);
  }
  return users;
}
