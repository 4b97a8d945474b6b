import Docker from 'dockerode';
import { HarnessError } from '../errors.js';

/** Labels on everything the harness makes, so leftovers can be found and removed. */
export const LABEL_PREFIX = 'swe-harness';
export const LABELS = {
  managed: `${LABEL_PREFIX}.managed`,
  kind: `${LABEL_PREFIX}.kind`,
  hash: `${LABEL_PREFIX}.hash`,
  instance: `${LABEL_PREFIX}.instance`,
  run: `${LABEL_PREFIX}.run`,
  session: `${LABEL_PREFIX}.session`,
  /** On an image made from a published one: the id of the image it was made from. */
  parent: `${LABEL_PREFIX}.parent`,
} as const;

let shared: Docker | undefined;

/** One client per process; dockerode honours DOCKER_HOST and friends. */
export function dockerClient(): Docker {
  shared ??= new Docker();
  return shared;
}

/** Fails early, with what to do, when no engine answers. */
export async function assertDockerAvailable(docker = dockerClient()): Promise<void> {
  try {
    await docker.ping();
  } catch (cause) {
    throw new HarnessError(
      'DOCKER_UNAVAILABLE',
      `no Docker engine answers (${(cause as Error).message}). Run scripts/ensure-docker.sh ` +
        '(as root on Debian it installs and starts one), or start your engine and check `docker info`.',
      {},
      { cause },
    );
  }
}
