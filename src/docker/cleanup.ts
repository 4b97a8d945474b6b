import { ownerIsDead, processIdentity } from '../util/owner.js';
import { dockerClient, LABELS } from './client.js';

export interface CleanupReport {
  containers: number;
  images: number;
  /** Left alone: a live process (or a live session) still uses them. */
  keptContainers: number;
  keptImages: number;
}

export type Labels = Record<string, string>;

/**
 * Whether the process that made it is known to be gone. Things made before owner labels
 * existed count as gone; a process of another host cannot be checked and counts as alive.
 */
export function madeByDeadProcess(labels: Labels | undefined): boolean {
  return ownerIsDead(labels?.[LABELS.process] ?? labels?.[LABELS.owner]);
}

export interface CleanupOptions {
  /** Only what belongs to this run; without it, what belongs to every run. */
  runId?: string;
  /** What to spare among the matches (by default nothing: the caller decided). */
  keep?: (labels: Labels) => boolean;
}

/**
 * Removes what the harness left by label: containers (grading and sessions) and snapshot
 * images. Base, env and instance images are the cache and stay (`images prune` removes those).
 */
export async function cleanupByLabel(opts: CleanupOptions = {}, docker = dockerClient()): Promise<CleanupReport> {
  const label = opts.runId ? [`${LABELS.managed}=true`, `${LABELS.run}=${opts.runId}`] : [`${LABELS.managed}=true`];
  const keep = opts.keep ?? (() => false);
  const found = await docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
  const containers = found.filter((c) => !keep(c.Labels ?? {}));
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  const snapshots = await docker.listImages({ filters: JSON.stringify({ label: [...label, `${LABELS.kind}=snapshot`] }) });
  let images = 0;
  const doomed = snapshots.filter((i) => !keep(i.Labels ?? {}));
  for (const image of doomed) {
    try {
      await docker.getImage(image.Id).remove({ force: true });
      images++;
    } catch {
      // in use by a container of another run: left for its own cleanup
    }
  }
  return { containers: containers.length, images, keptContainers: found.length - containers.length, keptImages: snapshots.length - doomed.length };
}

/** The labels of a run's containers (of one kind: grading, session). */
export async function runContainerLabels(runId: string, kind?: string, docker = dockerClient()): Promise<Labels[]> {
  const label = [`${LABELS.managed}=true`, `${LABELS.run}=${runId}`, ...(kind ? [`${LABELS.kind}=${kind}`] : [])];
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
  return containers.map((c) => c.Labels ?? {});
}

/** The processes other than this one, still alive (or not checkable), that made containers of a run. */
export async function liveProcessesOfRun(runId: string, docker = dockerClient()): Promise<string[]> {
  const me = processIdentity();
  const live = (await runContainerLabels(runId, undefined, docker)).filter((l) => !madeByDeadProcess(l)).map((l) => l[LABELS.process] ?? l[LABELS.owner] ?? '');
  return [...new Set(live.filter((p) => p !== me))];
}

/**
 * Grading containers of a run (or of one instance in it) that a dead process left: a killed
 * run, or, with `includeOwn`, this process's own after the engine went away mid-attempt.
 * Those of a live process are its work in progress and stay.
 */
export async function removeOrphanGradingContainers(runId: string, instanceId?: string, opts: { includeOwn?: boolean } = {}, docker = dockerClient()): Promise<number> {
  const label = [`${LABELS.managed}=true`, `${LABELS.run}=${runId}`, `${LABELS.kind}=grading`];
  if (instanceId) label.push(`${LABELS.instance}=${instanceId}`);
  const me = processIdentity();
  const found = await docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
  const orphans = found.filter((c) => madeByDeadProcess(c.Labels) || (opts.includeOwn === true && c.Labels?.[LABELS.process] === me));
  await Promise.all(orphans.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  return orphans.length;
}
