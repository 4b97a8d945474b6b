import { dockerClient, LABELS } from './client.js';

export interface CleanupReport {
  containers: number;
  images: number;
}

/**
 * Removes what the harness left by label: containers (grading and sessions) and snapshot
 * images, of one run or of all runs. Base, env and instance images are the cache and stay
 * (`images prune` removes those).
 */
export async function cleanupByLabel(runId?: string, docker = dockerClient()): Promise<CleanupReport> {
  const label = runId ? [`${LABELS.managed}=true`, `${LABELS.run}=${runId}`] : [`${LABELS.managed}=true`];
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  const snapshots = await docker.listImages({ filters: JSON.stringify({ label: [...label, `${LABELS.kind}=snapshot`] }) });
  let images = 0;
  for (const image of snapshots) {
    try {
      await docker.getImage(image.Id).remove({ force: true });
      images++;
    } catch {
      // in use by a container of another run: left for its own cleanup
    }
  }
  return { containers: containers.length, images };
}

/** Grading containers of a run (or of one instance in it): leftovers of a killed process or a lost engine. */
export async function removeOrphanGradingContainers(runId: string, instanceId?: string, docker = dockerClient()): Promise<number> {
  const label = [`${LABELS.managed}=true`, `${LABELS.run}=${runId}`, `${LABELS.kind}=grading`];
  if (instanceId) label.push(`${LABELS.instance}=${instanceId}`);
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  return containers.length;
}
