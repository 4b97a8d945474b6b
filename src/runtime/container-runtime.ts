import type { TransferListener } from '../util/transfer-progress.js';

/**
 * The container backend interface: what the harness needs of a container engine. The Docker
 * implementation is in src/docker/; another backend (another host's engine, Podman's
 * Docker-compatible socket, Kubernetes) is one new folder registered in registry.ts.
 */

export interface ContainerLimits {
  memoryMb: number;
  cpus: number;
  pids: number;
  network: boolean;
  /** Open files per process (RLIMIT_NOFILE). */
  nofile?: number;
  /**
   * Processes per user (RLIMIT_NPROC); unset: the engine's default. Podman's rootful default
   * (1048576) cannot be set where its service lacks CAP_SYS_RESOURCE (containers in containers).
   */
  nproc?: number;
  /** The largest file a process may write (RLIMIT_FSIZE), in MiB. */
  fileSizeMb?: number;
  /** Linux capabilities dropped ('ALL' for all). */
  capDrop?: string[];
  noNewPrivileges?: boolean;
  /** The user commands run as; empty: the image's own (root in SWE-bench's images). */
  user?: string;
}

export interface ContainerOptions {
  image: string;
  /** Every label the container gets (see labels.ts: `managed()` adds the harness's own). */
  labels: Record<string, string>;
  limits: ContainerLimits;
  env?: Record<string, string>;
  name?: string;
  /** Folders that are in-memory filesystems (tmpfs), by path: what is written there counts in the container's memory. */
  tmpfs?: Record<string, TmpfsMount>;
}

/** An in-memory folder: writable, programs may run from it, no setuid or devices. */
export interface TmpfsMount {
  sizeMb: number;
  /** The folder's mode, e.g. 0o711. */
  mode: number;
  /** The most files and folders it may hold (nr_inodes), where the engine can set it (Podman 4.3 cannot). */
  maxFiles?: number;
}

export interface ExecOptions {
  timeoutMs: number;
  outputCapBytes: number;
  workdir?: string;
  env?: Record<string, string>;
}

/** The result of a command, wherever it ran (exec, a sandbox's shell): one type for all. */
export interface ExecResult {
  /** null when the command was killed by its timeout (or a signal of the caller). */
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  truncated: boolean;
  durationMs: number;
}

export interface SpawnOptions {
  /** Each chunk of the process's stdout as it comes. */
  onStdout: (chunk: Buffer) => void;
  /** Bytes of stderr kept (head and tail). */
  stderrCapBytes: number;
  workdir?: string;
  env?: Record<string, string>;
}

/**
 * A long-lived process in a container that the caller feeds on its stdin and reads as it
 * writes (a worker taking one job per line): one process start for many jobs, where an exec
 * per job costs a runc start each.
 */
export interface ContainerProcess {
  /** Writes to its stdin. */
  write(data: string): void;
  /** Closes its stdin: a worker that reads to the end of its input then finishes. */
  end(): void;
  /** Settles when its output has ended: the exit code (null when the engine no longer knows it) and stderr. */
  readonly exited: Promise<{ exitCode: number | null; stderr: string }>;
}

/** One command for a long-lived shell in the container (see ShellChannel). */
export interface ShellCommand {
  command: string;
  cwd: string;
  env?: Record<string, string>;
  timeoutSeconds: number;
  outputCapBytes: number;
  signal?: AbortSignal;
}

/** A shell that stays open in the container, so a command costs a line, not a process start. */
export interface ShellChannel {
  readonly isOpen: boolean;
  /** Runs one command; commands on one channel run one after another. */
  run(cmd: ShellCommand): Promise<ExecResult>;
  close(): void;
}

/** 'running' | 'paused' | 'exited' | ..., or undefined when the container no longer exists. */
export type ContainerState = string | undefined;

/** A container that idles until work is sent through exec; removed when disposed (`await using`). */
export interface Container extends AsyncDisposable {
  readonly id: string;
  state(): Promise<ContainerState>;
  /** Runs a command; on timeout the whole container is killed, so nothing it started lives on. */
  exec(cmd: string[], opts: ExecOptions): Promise<ExecResult>;
  /** Starts a command fed on its stdin and read as it writes (see ContainerProcess). */
  spawn(cmd: string[], opts: SpawnOptions): Promise<ContainerProcess>;
  openShell(): Promise<ShellChannel>;
  /** Writes files (path -> content) into `dir`, which must exist or be made by the archive. */
  putFiles(files: Record<string, string | Buffer>, dir?: string): Promise<void>;
  /** A file's bytes, or undefined when there is no such file. */
  getFile(file: string): Promise<Buffer | undefined>;
  /** Freezes every process; unpause lets them go on where they were. */
  pause(): Promise<void>;
  unpause(): Promise<void>;
  /** Saves the filesystem as an image (processes are not saved); returns its id. */
  commit(repo: string, tag: string, labels: Record<string, string>): Promise<string>;
  remove(): Promise<void>;
}

export interface BuildRequest {
  /**
   * A scratch folder of the caller's holding the Dockerfile and whatever it COPYs. The build
   * appends the labels to its Dockerfile (one LABEL line: see docker/build-image.ts), so it is
   * never a folder of the project's own.
   */
  contextDir: string;
  /** Top-level entries of contextDir to send (Dockerfile included). */
  entries: string[];
  tag: string;
  labels: Record<string, string>;
  buildArgs: Record<string, string>;
  logPath: string;
  timeoutSeconds: number;
  instanceId?: string;
}

export interface ImageInfo {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  sizeBytes: number;
  created: Date;
}

export interface ContainerInfo {
  id: string;
  labels: Record<string, string>;
}

/** A pull from a registry: retried when the registry is busy, each attempt under a timeout. */
export interface PullRequest {
  /** registry/namespace/name:tag */
  ref: string;
  /** Limit on one attempt; a pull that takes longer is cancelled (and retried if attempts remain). */
  timeoutSeconds: number;
  /** Attempts in all, the first included. */
  attempts: number;
  /** The first back-off wait; it doubles per retry (with jitter), capped at a minute. */
  baseDelayMs?: number;
  logPath: string;
  instanceId?: string;
  onProgress?: TransferListener;
}

/** Which engine answers (Docker, or Podman through its Docker-compatible socket). */
export interface EngineInfo {
  /** 'docker' | 'podman' */
  name: string;
  version: string;
  /** The Docker API version it speaks. */
  apiVersion: string;
  /** Whether the engine runs as an ordinary user (rootless Podman or Docker). */
  rootless: boolean;
  /** '1' or '2': the cgroup hierarchy, which rootless limits and pause depend on. */
  cgroupVersion: string;
}

/** A root filesystem made into an image (the offline OS image: debootstrap's tarball). */
export interface ImportRequest {
  /** A tar of the root filesystem. */
  tarPath: string;
  tag: string;
  /** Dockerfile instructions applied to the image (ENV, CMD, LABEL). */
  changes: string[];
}

/** A container engine. Lists filter by labels: every `key=value` given must match. */
export interface ContainerRuntime {
  readonly name: string;
  /** Fails early with HarnessError DOCKER_UNAVAILABLE, saying what to do, when no engine answers. */
  assertAvailable(): Promise<void>;
  /** Whether the engine answers right now. */
  answers(): Promise<boolean>;
  start(opts: ContainerOptions): Promise<Container>;
  /** A container made earlier (by this process or one before it), by id. */
  attach(id: string): Container;
  listContainers(labels: Record<string, string>): Promise<ContainerInfo[]>;
  /** Removes a container and its volumes; one that is already gone is not an error. */
  removeContainer(id: string): Promise<void>;
  /** Builds one image, writing the whole build output to its log; returns the image id. */
  buildImage(req: BuildRequest): Promise<string>;
  /** The image id behind a tag, or undefined when there is none. */
  imageId(tag: string): Promise<string | undefined>;
  listImages(labels: Record<string, string>): Promise<ImageInfo[]>;
  removeImage(idOrTag: string): Promise<void>;
  imageLabels(idOrTag: string): Promise<Record<string, string>>;
  /** Images by a reference pattern (published images we use but did not build). */
  listImagesByReference(pattern: string): Promise<ImageInfo[]>;
  /** Pulls an image; returns its id. Fails with IMAGE_PULL naming the image and the reason. */
  pullImage(req: PullRequest): Promise<string>;
  /** The engine's name and version, asked once (for run summaries and engine differences). */
  engine(): Promise<EngineInfo>;
  /** Imports a root filesystem tarball as an image; returns its id. */
  importImage(req: ImportRequest): Promise<string>;
  /** Removes every container this process started and has not removed yet; never throws. */
  removeOwnedContainers(): Promise<number>;
}
