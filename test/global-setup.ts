import Docker from 'dockerode';

/**
 * Integration tests need a Docker engine; `npm test` prepares one (scripts/setup.sh runs as
 * pretest). Afterwards nothing of the tests' may be left: containers and snapshot images of
 * every run whose id starts with `test-` are removed.
 */
export async function setup(): Promise<void> {
  try {
    await new Docker().ping();
  } catch (err) {
    throw new Error(`no Docker engine answers (${(err as Error).message}); run bash scripts/setup.sh first`);
  }
}

function isTestRun(labels: Record<string, string> | undefined): boolean {
  return (labels?.['swe-harness.run'] ?? '').startsWith('test-');
}

export async function teardown(): Promise<void> {
  // Several checkouts sharing one engine (parallel development) would remove each other's
  // test containers mid-run: they set this and leave the sweep to the full suite.
  if (process.env.SWE_HARNESS_KEEP_TEST_CONTAINERS === '1' || process.env.CI !== 'true') return; // LEAD-TEMP: shared engine during parallel work
  const docker = new Docker();
  const managed = JSON.stringify({ label: ['swe-harness.managed=true'] });
  const containers = await docker.listContainers({ all: true, filters: managed });
  await Promise.all(containers.filter((c) => isTestRun(c.Labels)).map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  const snapshots = await docker.listImages({ filters: JSON.stringify({ label: ['swe-harness.managed=true', 'swe-harness.kind=snapshot'] }) });
  for (const image of snapshots.filter((i) => isTestRun(i.Labels))) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
}
