import type Docker from 'dockerode';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    labelInDockerfile(req.contextDir, { ...marks, ...req.labels });
    const stream = await docker.buildImage(
      { context: req.contextDir, src: req.entries },
      { t: req.tag, buildargs: req.buildArgs, rm: true, forcerm: true, abortSignal: abort.signal },
    );
    let lastOutput = '';
    const events = await new Promise<BuildEvent[]>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, out: BuildEvent[]) => (err ? reject(err) : resolve(out)),
        (event: BuildEvent) => {
          if (event.stream?.trim() && !DOCKER_CHATTER.test(event.stream.trim())) lastOutput = lastLine(event.stream);
          log.write(event.stream ?? (event.status ? `${event.status}\n` : ''));
        },
      );
    });
    const failure = events.find((e) => e.error);
    if (failure) {
      log.write(`\nERROR: ${failure.error}\n`);
      throw new HarnessError('IMAGE_BUILD', `building ${req.tag} failed: ${buildFailure(failure.error, lastOutput)}`, context);
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

/**
 * The labels as one LABEL line at the end of the context's Dockerfile: the engine's `labels`
 * build option adds one step (a container made and committed) per label, about two seconds
 * per image on a loaded machine, as much as the rest of a small instance image's build.
 */
function labelInDockerfile(contextDir: string, labels: Record<string, string>): void {
  if (Object.keys(labels).length === 0) return;
  const file = path.join(contextDir, 'Dockerfile');
  const pairs = Object.entries(labels).map(([key, value]) => `${JSON.stringify(key)}=${JSON.stringify(value)}`);
  writeFileSync(file, `${readFileSync(file, 'utf8').replace(/\n?$/, '\n')}LABEL ${pairs.join(' ')}\n`);
}

/** The engine's own lines in a build stream, as opposed to what a step printed. */
const DOCKER_CHATTER = /^(Step \d+\/\d+ :|---> |Removing intermediate container|Successfully )/;

/**
 * Why a build failed, in a line: a failed RUN step's own last words (a REFUSED line, a pip
 * error) and its exit code, not the engine's echo of the whole command.
 */
function buildFailure(error: string | undefined, lastOutput: string): string {
  const exit = /returned a non-zero code: (\d+)/.exec(error ?? '');
  if (exit && lastOutput) return `a step exited ${exit[1]}: ${lastOutput}`;
  return lastLine(error);
}

function lastLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n').pop() ?? '';
}
