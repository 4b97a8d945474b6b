import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import { HarnessError } from '../errors.js';
import { shutdownSignal } from '../util/shutdown.js';

/**
 * The containers this process started and has not removed yet: what an interrupted process
 * removes on its way out. Other processes' containers (another run, a session started
 * earlier and attached to here) are not in it, so they are never touched.
 */
const owned = new Map<string, Docker.Container>();
/** Creations in flight: their containers exist before their ids are known here. */
const creating = new Set<Promise<unknown>>();

/** Creates a container through `create` and owns it; one made during a shutdown is removed at once. */
export async function createOwned(create: () => Promise<Docker.Container>): Promise<Docker.Container> {
  assertNotStopping();
  const pending = create();
  creating.add(pending);
  try {
    const container = await pending;
    own(container);
    if (shutdownSignal.aborted) {
      await container.remove({ force: true, v: true }).catch(() => undefined);
      disown(container.id);
      assertNotStopping();
    }
    return container;
  } finally {
    creating.delete(pending);
  }
}

function own(container: Docker.Container): void {
  owned.set(container.id, container);
}

export function disown(id: string): void {
  owned.delete(id);
}

/** Fails once the process is stopping: a container started then would outlive the cleanup. */
export function assertNotStopping(): void {
  if (shutdownSignal.aborted) throw new HarnessError('INTERRUPTED', 'interrupted: no new container is started');
}

/** Removes every container this process still owns; returns how many. Never throws. */
export async function removeOwnedContainers(): Promise<number> {
  await Promise.allSettled([...creating]);
  const all = [...owned.values()];
  await Promise.all(all.map((c) => removeAndWait(c)));
  for (const c of all) owned.delete(c.id);
  return all.length;
}

/** How long a removal that another caller started (409: in progress) is waited for. */
const REMOVAL_WAIT_MS = 15_000;

/**
 * A removal already in progress (the container's own disposal, racing this one) answers 409
 * at once: wait until the container is really gone, so the process does not exit before it.
 */
async function removeAndWait(container: Docker.Container): Promise<void> {
  await container.remove({ force: true, v: true }).catch(() => undefined);
  for (const until = Date.now() + REMOVAL_WAIT_MS; Date.now() < until; ) {
    const gone = await container.inspect().then(
      () => false,
      (cause: { statusCode?: number }) => cause.statusCode === 404,
    );
    if (gone) return;
    await sleep(200);
    await container.remove({ force: true, v: true }).catch(() => undefined);
  }
}
