import type Docker from 'dockerode';
import { HarnessError } from '../errors.js';
import type { BuildRequest, Container, ContainerInfo, ContainerOptions, ContainerRuntime, ImageInfo } from '../runtime/container-runtime.js';
import { buildImage } from './build-image.js';
import { dockerClient } from './client.js';
import { RunningContainer } from './container.js';

function labelFilter(labels: Record<string, string>): string {
  return JSON.stringify({ label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
}

function notFound(cause: unknown): boolean {
  return (cause as { statusCode?: number }).statusCode === 404;
}

/**
 * The Docker engine (dockerode honours DOCKER_HOST and friends, so another host's engine or
 * Podman's Docker-compatible socket is this backend with another address).
 */
export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker';

  /** `marks`: labels put on every container and image made (the harness's own mark). */
  constructor(
    private readonly marks: Record<string, string> = {},
    private readonly docker: Docker = dockerClient(),
  ) {}

  async assertAvailable(): Promise<void> {
    try {
      await this.docker.ping();
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

  async answers(): Promise<boolean> {
    try {
      await this.docker.ping();
      return true;
    } catch {
      return false;
    }
  }

  start(opts: ContainerOptions): Promise<Container> {
    return RunningContainer.start(opts, this.docker, this.marks);
  }

  attach(id: string): Container {
    return RunningContainer.attach(id, this.docker);
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    const containers = await this.docker.listContainers({ all: true, filters: labelFilter(labels) });
    return containers.map((c) => ({ id: c.Id, labels: c.Labels ?? {} }));
  }

  async removeContainer(id: string): Promise<void> {
    await RunningContainer.attach(id, this.docker).remove();
  }

  buildImage(req: BuildRequest): Promise<string> {
    return buildImage(req, this.docker, this.marks);
  }

  async imageId(tag: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(tag).inspect()).Id;
    } catch (cause) {
      if (notFound(cause)) return undefined;
      throw cause;
    }
  }

  async listImages(labels: Record<string, string>): Promise<ImageInfo[]> {
    const images = await this.docker.listImages({ filters: labelFilter(labels) });
    return images.map((img) => ({
      id: img.Id,
      tags: (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      labels: img.Labels ?? {},
      sizeBytes: img.Size,
      created: new Date(img.Created * 1000),
    }));
  }

  async removeImage(idOrTag: string): Promise<void> {
    await this.docker.getImage(idOrTag).remove({ force: true });
  }
}
