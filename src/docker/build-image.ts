import type Docker from 'dockerode';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import type { BuildRequest } from '../runtime/container-runtime.js';

interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/** Builds one image, writing the whole build output to its log; returns the image id. */
export async function buildImage(req: BuildRequest, docker: Docker, marks: Record<string, string>): Promise<string> {
  mkdirSync(path.dirname(req.logPath), { recursive: true });
  const log = createWriteStream(req.logPath);
  const context = { instanceId: req.instanceId, logPath: req.logPath };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), req.timeoutSeconds * 1000);
  try {
    const stream = await docker.buildImage(
      { context: req.contextDir, src: req.entries },
      { t: req.tag, labels: { ...marks, ...req.labels }, buildargs: req.buildArgs, rm: true, forcerm: true, abortSignal: abort.signal },
    );
    const events = await new Promise<BuildEvent[]>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, out: BuildEvent[]) => (err ? reject(err) : resolve(out)),
        (event: BuildEvent) => log.write(event.stream ?? (event.status ? `${event.status}\n` : '')),
      );
    });
    const failure = events.find((e) => e.error);
    if (failure) {
      log.write(`\nERROR: ${failure.error}\n`);
      throw new HarnessError('IMAGE_BUILD', `building ${req.tag} failed: ${lastLine(failure.error)}`, context);
    }
    const image = await docker.getImage(req.tag).inspect();
    return image.Id;
  } catch (cause) {
    if (cause instanceof HarnessError) throw cause;
    const reason = abort.signal.aborted ? `timed out after ${req.timeoutSeconds} s` : (cause as Error).message;
    log.write(`\nERROR: ${reason}\n`);
    throw new HarnessError('IMAGE_BUILD', `building ${req.tag} failed: ${reason}`, context, { cause });
  } finally {
    clearTimeout(timer);
    await new Promise((resolve) => log.end(resolve));
  }
}

function lastLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n').pop() ?? '';
}
