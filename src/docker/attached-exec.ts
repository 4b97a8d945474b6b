import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';

/** Docker's `Env` list (`NAME=value`) from a record. */
export function envList(env: Record<string, string> | undefined): string[] {
  return Object.entries(env ?? {}).map(([k, v]) => `${k}=${v}`);
}

/**
 * An exec with its stdin attached, started: the hijacked stream carries what the caller writes
 * to the process and its multiplexed stdout and stderr back (a long-lived shell, a worker).
 */
export async function startAttachedExec(container: Docker.Container, cmd: string[], opts: { workdir?: string; env?: Record<string, string> } = {}): Promise<{ exec: Docker.Exec; stream: Duplex }> {
  const exec = await container.exec({ Cmd: cmd, AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: false, WorkingDir: opts.workdir, Env: envList(opts.env) });
  const stream = (await exec.start({ hijack: true, stdin: true })) as Duplex;
  return { exec, stream };
}
