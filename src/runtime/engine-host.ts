import { HarnessError } from '../errors.js';

/** The address schemes dockerode (docker-modem) connects to. */
const SCHEMES = ['unix:', 'tcp:', 'http:', 'https:', 'ssh:', 'npipe:'];

/**
 * Points this process at a container engine: Docker's or Podman's socket, another host's
 * engine. The client honours DOCKER_HOST, so this sets it (and so do children the harness
 * starts). Call it before the runtime is first used; the first of `hosts` that is given wins
 * (a flag before a config key), and with none DOCKER_HOST stays as the environment has it.
 * Returns the address in use, if any was given.
 */
export function useDockerHost(...hosts: (string | null | undefined)[]): string | undefined {
  const host = hosts.find((h) => h !== undefined && h !== null && h !== '');
  if (host === undefined || host === null) return undefined;
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw badHost(host);
  }
  if (!SCHEMES.includes(url.protocol)) throw badHost(host);
  process.env.DOCKER_HOST = host;
  return host;
}

function badHost(host: string): HarnessError {
  return new HarnessError(
    'USAGE',
    `--docker-host ${JSON.stringify(host)} is not an engine address; give unix:///path/to/docker.sock ` +
      '(Podman: unix:///run/podman/podman.sock, rootless: unix://$XDG_RUNTIME_DIR/podman/podman.sock), tcp://HOST:2375 or ssh://USER@HOST',
  );
}
