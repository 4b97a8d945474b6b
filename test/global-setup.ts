import Docker from 'dockerode';
import { OWNER_ENV, processIdentity } from '../src/util/owner.js';

/**
 * Integration tests need a Docker engine; `npm test` prepares one (scripts/setup.sh runs as
 * pretest). The test process tree is one owner: every container and snapshot that a test (or
 * a CLI child of it) makes carries this process's id, so teardown removes exactly those and
 * nothing of another checkout's tests on the same engine.
 */
export async function setup(): Promise<void> {
  try {
    await new Docker().ping();
  } catch (err) {
    throw new Error(`no Docker engine answers (${(err as Error).message}); run bash scripts/setup.sh first`);
  }
  // Set before vitest starts its workers, which inherit it, and so do their CLI children.
  process.env[OWNER_ENV] ||= processIdentity();
}

export async function teardown(): Promise<void> {
  // Kept for looking at what the tests left (and for checkouts that predate owner labels).
  if (process.env.SWE_HARNESS_KEEP_TEST_CONTAINERS === '1') return;
  const owner = process.env[OWNER_ENV];
  if (!owner) return;
  const docker = new Docker();
  const mine = JSON.stringify({ label: ['swe-harness.managed=true', `swe-harness.owner=${owner}`] });
  const containers = await docker.listContainers({ all: true, filters: mine });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  const snapshots = await docker.listImages({ filters: JSON.stringify({ label: ['swe-harness.managed=true', 'swe-harness.kind=snapshot', `swe-harness.owner=${owner}`] }) });
  for (const image of snapshots) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
}
