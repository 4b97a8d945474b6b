import Docker from 'dockerode';

let shared: Docker | undefined;

/** One client per process; dockerode honours DOCKER_HOST and friends. */
export function dockerClient(): Docker {
  shared ??= new Docker();
  return shared;
}
