import type Docker from 'dockerode';
import { Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { setTimeout as sleep } from 'node:timers/promises';
import { extract, pack } from 'tar-stream';
import { HarnessError } from '../errors.js';
import type { Container, ContainerLimits, ContainerOptions, ContainerProcess, ExecOptions, ExecResult, ShellChannel, SpawnOptions, TmpfsMount } from '../runtime/container-runtime.js';
import { OutputCollector } from '../util/head-tail.js';
import { envList, startAttachedExec } from './attached-exec.js';
import { cannotPause, explainEngineFailure } from './engine.js';
import { createOwned, disown } from './owned-containers.js';
import { DockerShellChannel } from './shell-channel.js';

function hardening(limits: ContainerLimits): Record<string, unknown> {
  const ulimits = [];
  if (limits.nofile) ulimits.push({ Name: 'nofile', Soft: limits.nofile, Hard: limits.nofile });
  if (limits.nproc) ulimits.push({ Name: 'nproc', Soft: limits.nproc, Hard: limits.nproc });
  if (limits.fileSizeMb) ulimits.push({ Name: 'fsize', Soft: limits.fileSizeMb * 1024 * 1024, Hard: limits.fileSizeMb * 1024 * 1024 });
  return {
    Ulimits: ulimits,
    CapDrop: limits.capDrop ?? [],
    SecurityOpt: limits.noNewPrivileges ? ['no-new-privileges'] : [],
  };
}

/** HostConfig.Tmpfs: path -> mount options; the file count only where the engine takes it. */
function tmpfsOptions(mounts: Record<string, TmpfsMount>, fileCounts: boolean): Record<string, string> {
  return Object.fromEntries(
    Object.entries(mounts).map(([folder, m]) => {
      const files = fileCounts && m.maxFiles ? `,nr_inodes=${m.maxFiles}` : '';
      return [folder, `rw,exec,nosuid,nodev,size=${m.sizeMb}m${files},mode=0${m.mode.toString(8)}`];
    }),
  );
}

function streamEnded(stream: NodeJS.ReadableStream & { destroy(): void }, timedOut: () => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', (err) => (timedOut() ? resolve() : reject(err)));
  });
}

/**
 * The exec's stream stays open while any process holds its stdout, such as a daemon a test
 * left behind; the command itself has ended when the exec stops running. Then the output
 * still in flight gets a moment to arrive before the stream is cut. An exec the engine no
 * longer knows (404: its container was killed and removed) is not running either. The watch
 * ends with the exec call (`stop`): a watch that outlived it polled the engine every 500 ms
 * forever once the container was gone, and kept the CLI from exiting (issue 18).
 */
async function processExited(exec: Docker.Exec, stream: { destroy(): void; readableEnded?: boolean }, stop: AbortSignal): Promise<void> {
  for (let delay = 50; !stop.aborted; delay = Math.min(delay * 2, 500)) {
    if (!(await pause(delay, stop))) return;
    if (stream.readableEnded) return;
    const info = await exec.inspect().catch((cause: { statusCode?: number }) => (cause.statusCode === 404 ? { Running: false } : undefined));
    if (info && !info.Running) {
      if (await pause(200, stop)) stream.destroy();
      return;
    }
  }
}

/** Waits `ms`; false when `stop` ended the wait first. */
async function pause(ms: number, stop: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal: stop });
    return true;
  } catch {
    return false;
  }
}

/** Labels for what the runtime makes: fixed ones, and who made it (asked at each creation). */
export type Marks = () => Record<string, string>;

/**
 * A Docker container that is removed when disposed (`await using`), whatever happened.
 * It idles on `sleep infinity`; work runs in it through exec.
 */
export class RunningContainer implements Container {
  private constructor(
    readonly container: Docker.Container,
    readonly docker: Docker,
    private readonly marks: Marks,
  ) {}

  /** `marks`: labels on every container the harness makes (see runtime/labels.ts). */
  static async start(opts: ContainerOptions, docker: Docker, marks: Marks, tmpfsFileCounts = true): Promise<RunningContainer> {
    const container = await createOwned(() =>
      docker.createContainer({
        Image: opts.image,
        name: opts.name,
        Cmd: ['sleep', 'infinity'],
        Entrypoint: [],
        Labels: { ...marks(), ...opts.labels },
        User: opts.limits.user || undefined,
        Env: envList(opts.env),
        NetworkDisabled: !opts.limits.network,
        HostConfig: {
          NetworkMode: opts.limits.network ? 'bridge' : 'none',
          Memory: opts.limits.memoryMb * 1024 * 1024,
          MemorySwap: opts.limits.memoryMb * 1024 * 1024,
          NanoCpus: Math.round(opts.limits.cpus * 1e9),
          PidsLimit: opts.limits.pids,
          Init: true,
          ...(opts.tmpfs ? { Tmpfs: tmpfsOptions(opts.tmpfs, tmpfsFileCounts) } : {}),
          ...hardening(opts.limits),
        },
      }),
    );
    const running = new RunningContainer(container, docker, marks);
    try {
      await container.start();
    } catch (cause) {
      await running.remove();
      throw explainEngineFailure(cause);
    }
    return running;
  }

  /** A container made earlier (by this process or one before it), by id. */
  static attach(id: string, docker: Docker, marks: Marks): RunningContainer {
    return new RunningContainer(docker.getContainer(id), docker, marks);
  }

  get id(): string {
    return this.container.id;
  }

  /** 'running' | 'paused' | 'exited' | ..., or undefined when the container no longer exists. */
  async state(): Promise<string | undefined> {
    try {
      const info = await this.container.inspect();
      return info.State.Paused ? 'paused' : info.State.Status;
    } catch (cause) {
      if ((cause as { statusCode?: number }).statusCode === 404) return undefined;
      throw cause;
    }
  }

  /** Freezes every process (cgroup freezer); unpause lets them go on where they were. */
  async pause(): Promise<void> {
    await this.container.pause().catch((cause: unknown) => {
      throw explainEngineFailure(cause);
    });
  }

  async unpause(): Promise<void> {
    await this.container.unpause();
  }

  /** Saves the container's filesystem as an image (processes are not saved); returns its id. */
  async commit(repo: string, tag: string, labels: Record<string, string>): Promise<string> {
    const changes = Object.entries({ ...this.marks(), ...labels }).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`);
    const commit = (pause: boolean) => this.container.commit({ repo, tag, pause, changes }) as Promise<{ Id: string }>;
    // Rootless Podman on cgroup v1 cannot freeze a container: it commits without the pause.
    const result = await commit(true).catch((cause: unknown) => (cannotPause(cause) ? commit(false) : Promise.reject(cause)));
    return result.Id;
  }

  /** Writes files (path -> content) into `dir`, which must exist or be made by the archive. */
  async putFiles(files: Record<string, string | Buffer>, dir = '/'): Promise<void> {
    const archive = pack();
    const dirs = new Set(Object.keys(files).flatMap((name) => name.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
    for (const name of dirs) archive.entry({ name, type: 'directory', mode: 0o755 });
    for (const [name, content] of Object.entries(files)) archive.entry({ name, mode: 0o644 }, content);
    archive.finalize();
    await this.container.putArchive(await buffer(archive), { path: dir });
  }

  async getFile(file: string): Promise<Buffer | undefined> {
    let archive: NodeJS.ReadableStream;
    try {
      archive = await this.container.getArchive({ path: file });
    } catch (cause) {
      if ((cause as { statusCode?: number }).statusCode === 404) return undefined;
      throw cause;
    }
    return firstFileOf(archive);
  }

  async spawn(cmd: string[], opts: SpawnOptions): Promise<ContainerProcess> {
    const { exec, stream } = await startAttachedExec(this.container, cmd, opts);
    const stderr = new OutputCollector(opts.stderrCapBytes);
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        opts.onStdout(chunk);
        done();
      },
    });
    this.docker.modem.demuxStream(stream, stdout, stderr);
    const ended = new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
    });
    const exited = ended.then(async () => {
      stream.destroy();
      const info = await exec.inspect().catch(() => undefined);
      return { exitCode: info && !info.Running ? (info.ExitCode ?? null) : null, stderr: stderr.text() };
    });
    return {
      write: (data) => {
        if (!stream.destroyed && !stream.writableEnded) stream.write(data);
      },
      end: () => {
        if (!stream.destroyed && !stream.writableEnded) stream.end();
      },
      exited,
    };
  }

  openShell(): Promise<ShellChannel> {
    return DockerShellChannel.open(this.container, this.docker);
  }

  /** Runs a command; on timeout the whole container is killed, so nothing it started lives on. */
  async exec(cmd: string[], opts: ExecOptions): Promise<ExecResult> {
    const started = Date.now();
    const exec = await this.container.exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      WorkingDir: opts.workdir,
      Env: envList(opts.env),
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const collector = new OutputCollector(opts.outputCapBytes);
    this.docker.modem.demuxStream(stream, collector, collector);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.container.kill().catch(() => undefined);
      stream.destroy();
    }, opts.timeoutMs);
    // This call owns the stream, the timer and the watch: all end when it returns, however.
    const done = new AbortController();
    let exitCode: number | null = null;
    try {
      await Promise.race([streamEnded(stream, () => timedOut), processExited(exec, stream, done.signal)]);
      if (!timedOut) exitCode = (await exec.inspect()).ExitCode ?? null;
    } finally {
      clearTimeout(timer);
      done.abort();
      stream.destroy();
    }
    return { exitCode, output: collector.text(), timedOut, truncated: collector.truncated, durationMs: Date.now() - started };
  }

  async remove(): Promise<void> {
    try {
      await this.container.remove({ force: true, v: true });
      disown(this.id);
    } catch (cause) {
      const status = (cause as { statusCode?: number }).statusCode;
      if (status === 404) disown(this.id);
      if (status !== 404 && status !== 409) {
        throw new HarnessError('DOCKER', `cannot remove container ${this.id}: ${(cause as Error).message}`, {}, { cause });
      }
    }
  }

  /**
   * Never throws: a failure here must not hide the error that ended the body (an engine that
   * went away fails both). What is left is removed by the next run of the same id or `cleanup`.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.remove().catch(() => undefined);
  }
}

/** The bytes of the first file in a tar stream (getArchive of one file holds just it). */
function firstFileOf(archive: NodeJS.ReadableStream): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const tar = extract();
    let found: Buffer | undefined;
    tar.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => void chunks.push(c as Buffer));
      stream.on('end', () => {
        if (!found && header.type === 'file') found = Buffer.concat(chunks);
        next();
      });
      stream.resume();
    });
    tar.on('finish', () => resolve(found));
    tar.on('error', reject);
    archive.pipe(tar);
  });
}
