import { existsSync, readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { expect } from 'vitest';
import { containerRuntime } from '../../src/runtime/registry.js';
import type { ContainerSandbox } from '../../src/sandbox/container-sandbox.js';
import { LABELS, managed } from '../../src/runtime/labels.js';

/** The root Podman socket scripts/ensure-podman.sh starts (SWE_HARNESS_PODMAN_HOST: another). */
export const PODMAN_HOST = process.env.SWE_HARNESS_PODMAN_HOST ?? 'unix:///run/podman/podman.sock';

/** A client of the engine at a DOCKER_HOST-style address (unix:// only, as the tests use). */
export function clientAt(host: string): Docker {
  return new Docker({ socketPath: new URL(host).pathname });
}

/** Why Podman cannot be used here, or undefined when its socket answers as Podman. */
export async function podmanProblem(host = PODMAN_HOST): Promise<string | undefined> {
  try {
    const version = await clientAt(host).version();
    const podman = (version.Components ?? []).some((c) => /podman/i.test(c.Name));
    return podman ? undefined : `${host} answers, but not as Podman`;
  } catch (err) {
    return `no Podman answers on ${host} (${(err as Error).message}); run scripts/ensure-podman.sh as root`;
  }
}

/**
 * Copies images the Docker engine has and Podman lacks (the OS and base images, which take
 * minutes to build), through both engines' APIs: `docker save | podman load`. Env and
 * instance images are left for Podman to build.
 */
export async function seedFromDocker(podman: Docker, tags: string[]): Promise<string[]> {
  const docker = new Docker();
  const seeded: string[] = [];
  for (const tag of tags) {
    const present = await podman.getImage(tag).inspect().then(() => true, () => false);
    const inDocker = await docker.getImage(tag).inspect().then(() => true, () => false);
    if (present || !inDocker) continue;
    const saved = await docker.getImage(tag).get();
    const loading = await podman.loadImage(saved);
    await new Promise<void>((resolve, reject) => podman.modem.followProgress(loading, (err: Error | null) => (err ? reject(err) : resolve())));
    seeded.push(tag);
  }
  return seeded;
}

/** Removes what this test run (its owner label) left on an engine: containers, snapshots. */
export async function removeOwned(engine: Docker): Promise<void> {
  const owner = process.env.SWE_HARNESS_OWNER;
  if (!owner) return;
  const mine = JSON.stringify({ label: Object.entries(managed({ [LABELS.owner]: owner })).map(([k, v]) => `${k}=${v}`) });
  const containers = await engine.listContainers({ all: true, filters: mine });
  await Promise.all(containers.map((c) => engine.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  // One label filter for images: Podman 4.3 lists none for two (see DockerRuntime.listImages).
  const owned = await engine.listImages({ filters: JSON.stringify({ label: [`${LABELS.owner}=${owner}`] }) });
  for (const image of owned.filter((i) => i.Labels?.[LABELS.kind] === 'snapshot')) await engine.getImage(image.Id).remove({ force: true }).catch(() => undefined);
}

/** The rootless socket of ensure-podman.sh's user (SWE_HARNESS_PODMAN_ROOTLESS_HOST: another). */
export function rootlessPodmanHost(): string | undefined {
  if (process.env.SWE_HARNESS_PODMAN_ROOTLESS_HOST) return process.env.SWE_HARNESS_PODMAN_ROOTLESS_HOST;
  const user = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('swe-podman:'));
  const uid = user?.split(':')[2];
  return uid ? `unix:///run/user/${uid}/podman/podman.sock` : undefined;
}

/** Whether this machine has the unified cgroup hierarchy (v2): rootless pause and limits need it. */
export function cgroupV2(): boolean {
  return existsSync('/sys/fs/cgroup/cgroup.controllers');
}

/** A snapshot keeps what was written before it; a restore drops what came after. */
export async function expectSnapshotRestores(box: ContainerSandbox): Promise<void> {
  await box.writeFile('kept.txt', 'kept\n');
  const snapshot = await box.snapshot('one');
  expect((await containerRuntime().imageLabels(snapshot.image))[LABELS.kind]).toBe('snapshot');
  await box.writeFile('lost.txt', 'lost\n');
  await box.restore('one');
  expect((await box.readFile('kept.txt'))?.toString()).toBe('kept\n');
  expect(await box.readFile('lost.txt')).toBeNull();
}
