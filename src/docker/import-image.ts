import { createReadStream } from 'node:fs';
import type Docker from 'dockerode';
import { HarnessError } from '../errors.js';
import type { ImportRequest } from '../runtime/container-runtime.js';

/**
 * `docker import` through the API, so the OS image is made on whichever engine answers
 * (Docker, or Podman's socket, where no `docker` CLI may exist). The tag goes inside `repo`:
 * Podman 4.3 ignores the separate `tag` parameter and would name the image `:latest`.
 */
export async function importImage(req: ImportRequest, docker: Docker): Promise<string> {
  try {
    const stream = await docker.importImage(createReadStream(req.tarPath), { repo: req.tag, changes: req.changes } as object);
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
    return (await docker.getImage(req.tag).inspect()).Id;
  } catch (cause) {
    throw new HarnessError('IMAGE_BUILD', `importing ${req.tarPath} as ${req.tag} failed: ${(cause as Error).message}`, {}, { cause });
  }
}
