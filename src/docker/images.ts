import { dockerClient, LABELS } from './client.js';

export interface ManagedImage {
  id: string;
  tags: string[];
  kind: string;
  hash: string;
  instance?: string;
  sizeBytes: number;
  created: Date;
}

/** The image id behind a tag, or undefined when there is none. */
export async function imageId(tag: string, docker = dockerClient()): Promise<string | undefined> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch (cause) {
    if ((cause as { statusCode?: number }).statusCode === 404) return undefined;
    throw cause;
  }
}

export async function imageLabels(idOrTag: string, docker = dockerClient()): Promise<Record<string, string>> {
  return (await docker.getImage(idOrTag).inspect()).Config?.Labels ?? {};
}

export async function listManagedImages(docker = dockerClient()): Promise<ManagedImage[]> {
  const images = await docker.listImages({ filters: JSON.stringify({ label: [`${LABELS.managed}=true`] }) });
  return images.map((img) => ({
    id: img.Id,
    tags: (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    kind: img.Labels?.[LABELS.kind] ?? '?',
    hash: img.Labels?.[LABELS.hash] ?? '',
    instance: img.Labels?.[LABELS.instance],
    sizeBytes: img.Size,
    created: new Date(img.Created * 1000),
  }));
}

export async function removeImage(id: string, docker = dockerClient()): Promise<void> {
  await docker.getImage(id).remove({ force: true });
}

/** Images we did not build but use (published instance images), by a reference pattern. */
export async function listImagesByReference(pattern: string, kind: string, docker = dockerClient()): Promise<ManagedImage[]> {
  const images = await docker.listImages({ filters: JSON.stringify({ reference: [pattern] }) });
  return images.map((img) => ({
    id: img.Id,
    tags: (img.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
    kind,
    hash: '',
    sizeBytes: img.Size,
    created: new Date(img.Created * 1000),
  }));
}
