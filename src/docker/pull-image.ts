import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import { abortableSleep, backoffDelay } from '../model/backoff.js';
import type { PullRequest } from '../runtime/container-runtime.js';
import { dockerClient } from './client.js';

interface PullEvent {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * What a registry under load or restarting answers (429, 5xx), and a connection lost or
 * timed out: worth another attempt. "not found", "unauthorized" and "denied" are not.
 */
export function isRetryablePullError(message: string): boolean {
  if (/manifest unknown|not found|unauthorized|denied|invalid reference/i.test(message)) return false;
  return /\b(429|5\d\d)\b|toomanyrequests|too many requests|service unavailable|bad gateway|gateway time-?out|internal server error|timed? ?out|timeout|connection (reset|refused)|EOF|aborted/i.test(message);
}

/**
 * Pulls an image, retrying what a registry answers when busy with back-off, each attempt
 * under a timeout; the daemon's progress goes to the log and to `onProgress`. Returns the
 * image id. A failure names the image and the registry's reason.
 */
export async function pullImage(req: PullRequest, docker = dockerClient()): Promise<string> {
  mkdirSync(path.dirname(req.logPath), { recursive: true });
  const log = createWriteStream(req.logPath, { flags: 'a' });
  const context = { instanceId: req.instanceId, logPath: req.logPath };
  try {
    for (let attempt = 1; ; attempt++) {
      req.onProgress?.({ kind: 'image', name: req.ref, phase: 'start' });
      const reason = await pullOnce(req, docker, (line) => log.write(line));
      if (reason === undefined) {
        req.onProgress?.({ kind: 'image', name: req.ref, phase: 'done' });
        return (await docker.getImage(req.ref).inspect()).Id;
      }
      log.write(`attempt ${attempt} failed: ${reason}\n`);
      if (attempt >= req.attempts || !isRetryablePullError(reason)) {
        req.onProgress?.({ kind: 'image', name: req.ref, phase: 'failed', detail: reason });
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        throw new HarnessError('IMAGE_PULL', `pulling ${req.ref} failed${tries}: ${reason}`, context);
      }
      const delayMs = backoffDelay(attempt, { baseDelayMs: req.baseDelayMs ?? 2000, maxDelayMs: 60_000 }, undefined);
      req.onProgress?.({ kind: 'image', name: req.ref, phase: 'retry', detail: `${reason}; again in ${(delayMs / 1000).toFixed(1)} s` });
      await abortableSleep(delayMs);
    }
  } finally {
    await new Promise((resolve) => log.end(resolve));
  }
}

/** One attempt: undefined when the image arrived, else why not. */
async function pullOnce(req: PullRequest, docker: ReturnType<typeof dockerClient>, write: (line: string) => void): Promise<string | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), req.timeoutSeconds * 1000);
  const layers = new Map<string, { current: number; total: number }>();
  try {
    const stream = await docker.pull(req.ref, { abortSignal: abort.signal });
    const events = await new Promise<PullEvent[]>((resolve, reject) => {
      abort.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      docker.modem.followProgress(
        stream,
        (err: Error | null, out: PullEvent[]) => (err ? reject(err) : resolve(out)),
        (event: PullEvent) => {
          if (event.status && event.status !== 'Downloading') write(`${event.id ? `${event.id}: ` : ''}${event.status}\n`);
          if (event.id && event.progressDetail?.total) {
            layers.set(event.id, { current: event.progressDetail.current ?? 0, total: event.progressDetail.total });
            const sum = [...layers.values()].reduce((a, l) => ({ current: a.current + l.current, total: a.total + l.total }), { current: 0, total: 0 });
            req.onProgress?.({ kind: 'image', name: req.ref, phase: 'progress', doneBytes: sum.current, totalBytes: sum.total });
          }
        },
      );
    });
    const failure = events.find((e) => e.error);
    return failure ? (failure.errorDetail?.message ?? failure.error) : undefined;
  } catch (cause) {
    if (abort.signal.aborted) return `timed out after ${req.timeoutSeconds} s`;
    const e = cause as { json?: { message?: string }; message?: string };
    return e.json?.message ?? e.message ?? String(cause);
  } finally {
    clearTimeout(timer);
  }
}

/** Tags a local image as `remoteRef` and pushes it (filling a mirror, or a test's registry). */
export async function pushImage(localRef: string, remoteRef: string, docker = dockerClient()): Promise<void> {
  const at = remoteRef.lastIndexOf(':');
  const [repo, tag] = at > remoteRef.lastIndexOf('/') ? [remoteRef.slice(0, at), remoteRef.slice(at + 1)] : [remoteRef, 'latest'];
  await docker.getImage(localRef).tag({ repo, tag });
  // The engine wants an X-Registry-Auth header even for a registry without auth.
  const stream = await docker.getImage(remoteRef).push({ authconfig: {} } as object);
  const events = await new Promise<PullEvent[]>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null, out: PullEvent[]) => (err ? reject(err) : resolve(out))));
  const failure = events.find((e) => e.error);
  if (failure) throw new HarnessError('DOCKER', `pushing ${remoteRef} failed: ${failure.error}`);
}
