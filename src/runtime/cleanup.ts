import { ownerIsDead, processIdentity } from '../util/owner.js';
import type { ContainerRuntime, ImageInfo } from './container-runtime.js';
import { LABELS, managed } from './labels.js';
import { containerRuntime } from './registry.js';

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
export async function cleanupByLabel(opts: CleanupOptions = {}, runtime: ContainerRuntime = containerRuntime()): Promise<CleanupReport> {
  const labels = managed(opts.runId ? { [LABELS.run]: opts.runId } : {});
  const keep = opts.keep ?? (() => false);
  const found = await runtime.listContainers(labels);
  const containers = found.filter((c) => !keep(c.labels));
  await Promise.all(containers.map((c) => runtime.removeContainer(c.id).catch(() => undefined)));
  const snapshots = await runtime.listImages({ ...labels, [LABELS.kind]: 'snapshot' });
  let images = 0;
  const doomed = snapshots.filter((i) => !keep(i.labels));
  for (const image of doomed) {
    try {
      await runtime.removeImage(image.id);
      images++;
    } catch {
      // in use by a container of another run: left for its own cleanup
    }
  }
  return { containers: containers.length, images, keptContainers: found.length - containers.length, keptImages: snapshots.length - doomed.length };
}

/** The labels of a run's containers (of one kind: grading, session). */
export async function runContainerLabels(runId: string, kind?: string, runtime: ContainerRuntime = containerRuntime()): Promise<Labels[]> {
  const containers = await runtime.listContainers(managed({ [LABELS.run]: runId, ...(kind ? { [LABELS.kind]: kind } : {}) }));
  return containers.map((c) => c.labels);
}

/** The processes other than this one, still alive (or not checkable), that made containers of a run. */
export async function liveProcessesOfRun(runId: string, runtime: ContainerRuntime = containerRuntime()): Promise<string[]> {
  const me = processIdentity();
  const live = (await runContainerLabels(runId, undefined, runtime)).filter((l) => !madeByDeadProcess(l)).map((l) => l[LABELS.process] ?? l[LABELS.owner] ?? '');
  return [...new Set(live.filter((p) => p !== me))];
}

/**
 * Grading containers of a run (or of one instance in it) that a dead process left: a killed
 * run, or, with `includeOwn`, this process's own after the engine went away mid-attempt.
 * Those of a live process are its work in progress and stay.
 */
export async function removeOrphanGradingContainers(runId: string, instanceId?: string, opts: { includeOwn?: boolean } = {}, runtime: ContainerRuntime = containerRuntime()): Promise<number> {
  const labels = managed({ [LABELS.run]: runId, [LABELS.kind]: 'grading', ...(instanceId ? { [LABELS.instance]: instanceId } : {}) });
  const me = processIdentity();
  const found = await runtime.listContainers(labels);
  const orphans = found.filter((c) => madeByDeadProcess(c.labels) || (opts.includeOwn === true && c.labels[LABELS.process] === me));
  await Promise.all(orphans.map((c) => runtime.removeContainer(c.id).catch(() => undefined)));
  return orphans.length;
}

export interface ManagedImage {
  id: string;
  tags: string[];
  kind: string;
  hash: string;
  instance?: string;
  /** The image it was made from, where its tag does not say (a shared repository layer). */
  parent?: string;
  sizeBytes: number;
  created: Date;
}

function managedImage(img: ImageInfo, kind = img.labels[LABELS.kind] ?? '?'): ManagedImage {
  return {
    id: img.id, tags: img.tags, kind, hash: img.labels[LABELS.hash] ?? '', instance: img.labels[LABELS.instance], parent: img.labels[LABELS.parent],
    sizeBytes: img.sizeBytes, created: img.created,
  };
}

export async function listManagedImages(runtime: ContainerRuntime = containerRuntime()): Promise<ManagedImage[]> {
  return (await runtime.listImages(managed())).map((img) => managedImage(img));
}

/** Images we did not build but use (published instance images), by a reference pattern. */
export async function listImagesByReference(pattern: string, kind: string, runtime: ContainerRuntime = containerRuntime()): Promise<ManagedImage[]> {
  return (await runtime.listImagesByReference(pattern)).map((img) => ({ ...managedImage(img, kind), hash: '', instance: undefined }));
}

/** Waits for the engine to answer again, for up to `timeoutMs`. */
export async function waitForEngine(timeoutMs: number, runtime: ContainerRuntime = containerRuntime()): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await runtime.answers()) return true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}
