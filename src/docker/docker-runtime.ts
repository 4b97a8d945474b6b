import type Docker from 'dockerode';
import { HarnessError } from '../errors.js';
import type { BuildRequest, Container, ContainerInfo, ContainerOptions, ContainerRuntime, EngineInfo, ImageInfo, ImportRequest, PullRequest } from '../runtime/container-runtime.js';
import { buildImage } from './build-image.js';
import { dockerClient } from './client.js';
import { RunningContainer, type Marks } from './container.js';
import { dockerStyleTag, engineInfo } from './engine.js';
import { importImage } from './import-image.js';
import { removeOwnedContainers } from './owned-containers.js';
import { pullImage } from './pull-image.js';

/** What the runtime labels: built images with `images`, containers and snapshots with `containers`. */
export interface DockerMarks {
  images: Record<string, string>;
  containers: Marks;
}

function labelFilter(labels: Record<string, string>): string {
  return JSON.stringify({ label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) });
}

function imageInfo(img: Docker.ImageInfo, podman: boolean): ImageInfo {
  return {
    id: img.Id,
    tags: (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>').map((t) => (podman ? dockerStyleTag(t) : t)),
    labels: img.Labels ?? {},
    sizeBytes: img.Size,
    created: new Date(img.Created * 1000),
  };
}

function notFound(cause: unknown): boolean {
  return (cause as { statusCode?: number }).statusCode === 404;
}

/**
 * The Docker engine (dockerode honours DOCKER_HOST and friends, so another host's engine or
 * Podman's Docker-compatible socket is this backend with another address). Where Podman
 * answers differently (see engine.ts and README, Podman), this class evens it out.
 */
export class DockerRuntime implements ContainerRuntime {
  readonly name = 'docker';
  private engineAsked?: Promise<EngineInfo>;

  constructor(
    private readonly marks: DockerMarks = { images: {}, containers: () => ({}) },
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

  engine(): Promise<EngineInfo> {
    this.engineAsked ??= engineInfo(this.docker);
    // A failed question is asked again next time (the engine may be starting).
    this.engineAsked.catch(() => (this.engineAsked = undefined));
    return this.engineAsked;
  }

  private async isPodman(): Promise<boolean> {
    return (await this.engine()).name === 'podman';
  }

  async start(opts: ContainerOptions): Promise<Container> {
    // Podman 4.3 refuses nr_inodes ("unknown mount option"): its tmpfs folders go without.
    const withFileCounts = !(opts.tmpfs && (await this.isPodman()));
    return RunningContainer.start(opts, this.docker, this.marks.containers, withFileCounts);
  }

  attach(id: string): Container {
    return RunningContainer.attach(id, this.docker, this.marks.containers);
  }

  async listContainers(labels: Record<string, string>): Promise<ContainerInfo[]> {
    const containers = await this.docker.listContainers({ all: true, filters: labelFilter(labels) });
    return containers.map((c) => ({ id: c.Id, labels: c.Labels ?? {} }));
  }

  async removeContainer(id: string): Promise<void> {
    await this.attach(id).remove();
  }

  buildImage(req: BuildRequest): Promise<string> {
    return buildImage(req, this.docker, this.marks.images);
  }

  async imageId(tag: string): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(tag).inspect()).Id;
    } catch (cause) {
      if (notFound(cause)) return undefined;
      throw cause;
    }
  }

  /**
   * Podman 4.3 lists no image for two or more label filters (one works, and containers'
   * lists are right): it gets the first, and the others are matched here.
   */
  async listImages(labels: Record<string, string>): Promise<ImageInfo[]> {
    const podman = await this.isPodman();
    const asked = podman ? Object.fromEntries(Object.entries(labels).slice(0, 1)) : labels;
    const images = (await this.docker.listImages({ filters: labelFilter(asked) })).map((img) => imageInfo(img, podman));
    return images.filter((img) => Object.entries(labels).every(([k, v]) => img.labels[k] === v));
  }

  async listImagesByReference(pattern: string): Promise<ImageInfo[]> {
    const podman = await this.isPodman();
    return (await this.docker.listImages({ filters: JSON.stringify({ reference: [pattern] }) })).map((img) => imageInfo(img, podman));
  }

  importImage(req: ImportRequest): Promise<string> {
    return importImage(req, this.docker);
  }

  async imageLabels(idOrTag: string): Promise<Record<string, string>> {
    return (await this.docker.getImage(idOrTag).inspect()).Config?.Labels ?? {};
  }

  pullImage(req: PullRequest): Promise<string> {
    return pullImage(req, this.docker);
  }

  removeOwnedContainers(): Promise<number> {
    return removeOwnedContainers();
  }

  async removeImage(idOrTag: string): Promise<void> {
    await this.docker.getImage(idOrTag).remove({ force: true });
  }
}
