import type { ExecResult } from '../runtime/container-runtime.js';

/**
 * What agent tools see of the machine they work on. Tools talk to this interface, never to
 * Docker; the implementation in container-sandbox.ts runs on any container runtime (runtime/).
 */
export interface SandboxExecOptions {
  /** Seconds before the command is killed (the sandbox itself lives on). */
  timeoutSeconds?: number;
  /** Working directory; default the repository root. */
  cwd?: string;
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Bytes of output kept (head and tail); default from config. */
  outputCapBytes?: number;
}

/** What the tools may know of the task besides the sandbox; built once, by the sandbox. */
export interface TaskInfo {
  instanceId: string;
  /** The spec's test command with `{tests}` where the test files go. */
  testCommand: string;
  logParser: string;
}

export type SessionStatus = 'running' | 'paused' | 'stopped' | 'gone';

export interface SnapshotInfo {
  name: string;
  image: string;
  createdAt: string;
}

/** Disposing lets go of this process's connection (close), never of the sandbox. */
export interface Sandbox extends Disposable {
  readonly sessionId: string;
  /** The repository root inside the sandbox. */
  readonly workdir: string;
  readonly task: TaskInfo;
  exec(command: string, opts?: SandboxExecOptions): Promise<ExecResult>;
  /** A file's bytes, or null when there is no such file. Paths are relative to workdir or absolute. */
  readFile(path: string): Promise<Buffer | null>;
  writeFile(path: string, content: string | Buffer): Promise<void>;
  /** The change so far: `git diff` against base_commit, binary-safe, untracked files included. */
  diff(): Promise<string>;
  status(): Promise<SessionStatus>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  snapshot(name?: string): Promise<SnapshotInfo>;
  /** Replaces the session's container with one from the snapshot; the session id stays. */
  restore(name: string): Promise<void>;
  /** Removes the container (snapshots stay until cleanup). */
  stop(): Promise<void>;
  /** Stops it and removes its snapshots and state: nothing of the session is left. */
  destroy(): Promise<void>;
  /** Fails with SESSION_GONE, saying what is left, when the sandbox no longer exists; else its state. */
  assertAlive(): Promise<string>;
  /** Lets go of this process's connection; the sandbox lives on. */
  close(): void;
}
