import Docker from 'dockerode';

/**
 * Integration tests need a Docker engine; `npm test` prepares one (scripts/setup.sh runs as
 * pretest). Afterwards nothing of the tests' may be left running.
 */
export async function setup(): Promise<void> {
  try {
    await new Docker().ping();
  } catch (err) {
    throw new Error(`no Docker engine answers (${(err as Error).message}); run bash scripts/setup.sh first`);
  }
}

export async function teardown(): Promise<void> {
  const docker = new Docker();
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: ['swe-harness.managed=true'] }) });
  await Promise.all(
    containers
      .filter((c) => (c.Labels['swe-harness.run'] ?? '').startsWith('test-'))
      .map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)),
  );
}
