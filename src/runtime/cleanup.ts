import type { ContainerRuntime } from './container-runtime.js';
import { LABELS, managed } from './labels.js';
import { containerRuntime } from './registry.js';

export interface CleanupReport {
  containers: number;
  images: number;
}

/**
 * Removes what the harness left by label: containers (grading and sessions) and snapshot
 * images, of one run or of all runs. Base, env and instance images are the cache and stay
 * (`images prune` removes those).
 */
export async function cleanupByLabel(runId?: string, runtime: ContainerRuntime = containerRuntime()): Promise<CleanupReport> {
  const labels = managed(runId ? { [LABELS.run]: runId } : {});
  const containers = await runtime.listContainers(labels);
  await Promise.all(containers.map((c) => runtime.removeContainer(c.id).catch(() => undefined)));
  const snapshots = await runtime.listImages({ ...labels, [LABELS.kind]: 'snapshot' });
  let images = 0;
  for (const image of snapshots) {
    try {
      await runtime.removeImage(image.id);
      images++;
    } catch {
      // in use by a container of another run: left for its own cleanup
    }
  }
  return { containers: containers.length, images };
}

/** Grading containers of a run (or of one instance in it): leftovers of a killed process or a lost engine. */
export async function removeOrphanGradingContainers(runId: string, instanceId?: string, runtime: ContainerRuntime = containerRuntime()): Promise<number> {
  const labels = managed({ [LABELS.run]: runId, [LABELS.kind]: 'grading', ...(instanceId ? { [LABELS.instance]: instanceId } : {}) });
  const containers = await runtime.listContainers(labels);
  await Promise.all(containers.map((c) => runtime.removeContainer(c.id).catch(() => undefined)));
  return containers.length;
}

export interface ManagedImage {
  id: string;
  tags: string[];
  kind: string;
  hash: string;
  instance?: string;
  sizeBytes: number;
  created: Date;
}

export async function listManagedImages(runtime: ContainerRuntime = containerRuntime()): Promise<ManagedImage[]> {
  const images = await runtime.listImages(managed());
  return images.map((img) => ({
    id: img.id,
    tags: img.tags,
    kind: img.labels[LABELS.kind] ?? '?',
    hash: img.labels[LABELS.hash] ?? '',
    instance: img.labels[LABELS.instance],
    sizeBytes: img.sizeBytes,
    created: img.created,
  }));
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
