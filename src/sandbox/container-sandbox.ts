import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { HarnessError } from '../errors.js';
import type { Container, ExecResult, ShellChannel } from '../runtime/container-runtime.js';
import { LABELS, managed } from '../runtime/labels.js';
import { containerRuntime } from '../runtime/registry.js';
import { safePathSegment } from '../util/safe-path.js';
import { heredocDelimiter, shellQuote } from '../util/shell.js';
import type { Sandbox, SandboxExecOptions, SessionStatus, SnapshotInfo, TaskInfo } from './sandbox.js';
import type { SessionState, SessionStore } from './session-store.js';

export interface SandboxDefaults {
  commandTimeoutSeconds: number;
  outputCapBytes: number;
}

/**
 * Labels that let `cleanup` and `session list` find a session's container and snapshots, and
 * tell whether the session is still live (its state file) whoever started it.
 */
export function sessionLabels(state: Pick<SessionState, 'runId' | 'instanceId' | 'sessionId'>, kind: string, store: SessionStore): Record<string, string> {
  return { [LABELS.kind]: kind, [LABELS.run]: state.runId, [LABELS.instance]: state.instanceId, [LABELS.session]: state.sessionId, [LABELS.sessionState]: store.file(state.sessionId) };
}

/** A snapshot's name goes into its image tag, which Docker caps at 128 characters. */
const SNAPSHOT_NAME_MAX = 100;

export function newSessionId(): string {
  return `s-${randomBytes(5).toString('hex')}`;
}

/**
 * A sandbox session backed by one container from the instance image. Its state is on disk,
 * so a later process can attach to it again; commands run through a long-lived shell.
 */
export class ContainerSandbox implements Sandbox, Disposable {
  private shell?: ShellChannel;
  /** The shell being opened, so calls that arrive together share one. */
  private opening?: Promise<ShellChannel>;
  /** Paused by this process: commands would wait on frozen processes, so they fail at once. */
  private paused = false;

  constructor(
    private state: SessionState,
    private readonly store: SessionStore,
    private readonly defaults: SandboxDefaults,
  ) {}

  get sessionId(): string {
    return this.state.sessionId;
  }

  get workdir(): string {
    return this.state.workdir;
  }

  get task(): TaskInfo {
    const { instanceId, testCommand, logParser } = this.state;
    return { instanceId, testCommand, logParser };
  }

  get info(): Readonly<SessionState> {
    return this.state;
  }

  private get container(): Container {
    return containerRuntime().attach(this.state.containerId);
  }

  /** Fails with SESSION_GONE, saying what is left, when the container no longer exists. */
  async assertAlive(): Promise<string> {
    const state = await this.container.state();
    if (state === undefined) {
      const snaps = this.state.snapshots.map((s) => s.name);
      const hint = snaps.length ? `; its snapshots (${snaps.join(', ')}) can be restored` : '';
      throw new HarnessError('SESSION_GONE', `session ${this.sessionId} is gone: container ${this.state.containerId.slice(0, 12)} no longer exists${hint}`, { instanceId: this.state.instanceId });
    }
    return state;
  }

  private async channel(): Promise<ShellChannel> {
    if (this.paused) throw new HarnessError('SANDBOX', `session ${this.sessionId} is paused; resume it first`, { instanceId: this.state.instanceId });
    if (this.shell?.isOpen) return this.shell;
    this.opening ??= this.openShell().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async openShell(): Promise<ShellChannel> {
    if (this.state.stoppedAt) throw new HarnessError('SANDBOX', `session ${this.sessionId} was stopped at ${this.state.stoppedAt}`, { instanceId: this.state.instanceId });
    const state = await this.assertAlive();
    if (state === 'paused') throw new HarnessError('SANDBOX', `session ${this.sessionId} is paused; resume it first`, { instanceId: this.state.instanceId });
    if (state !== 'running') throw new HarnessError('SANDBOX', `session ${this.sessionId} is ${state}, not running`, { instanceId: this.state.instanceId });
    this.shell = await this.container.openShell();
    return this.shell;
  }

  async exec(command: string, opts: SandboxExecOptions = {}): Promise<ExecResult> {
    const shell = await this.channel();
    return shell.run({
      command,
      cwd: opts.cwd ? path.posix.resolve(this.workdir, opts.cwd) : this.workdir,
      env: opts.env,
      timeoutSeconds: opts.timeoutSeconds ?? this.defaults.commandTimeoutSeconds,
      outputCapBytes: opts.outputCapBytes ?? this.defaults.outputCapBytes,
      signal: opts.signal,
    });
  }

  private resolvePath(file: string): string {
    return path.posix.resolve(this.workdir, file);
  }

  async readFile(file: string): Promise<Buffer | null> {
    const target = shellQuote(this.resolvePath(file));
    const result = await this.exec(`if [ -f ${target} ]; then base64 -w0 ${target}; else echo __swe_harness_no_file__; fi`, { outputCapBytes: 512 * 1024 * 1024 });
    if (result.output.trim() === '__swe_harness_no_file__') return null;
    if (result.exitCode !== 0) throw new HarnessError('SANDBOX', `cannot read ${file}: ${result.output.slice(0, 500)}`);
    return Buffer.from(result.output.trim(), 'base64');
  }

  async writeFile(file: string, content: string | Buffer): Promise<void> {
    const target = this.resolvePath(file);
    const encoded = Buffer.from(content).toString('base64').replace(/(.{76})/g, '$1\n');
    const delimiter = heredocDelimiter(encoded);
    const script = `mkdir -p ${shellQuote(path.posix.dirname(target))} && base64 -d > ${shellQuote(target)} <<'${delimiter}'\n${encoded}\n${delimiter}`;
    const result = await this.exec(script);
    if (result.exitCode !== 0) throw new HarnessError('SANDBOX', `cannot write ${file}: ${result.output.slice(0, 500)}`);
  }

  async diff(): Promise<string> {
    // A private index, so the diff includes untracked files without touching the agent's index.
    const index = '/tmp/.swe-harness-diff-index';
    const script = [`cp .git/index ${index} 2>/dev/null || rm -f ${index}`, `GIT_INDEX_FILE=${index} git add -A >/dev/null 2>&1`, `GIT_INDEX_FILE=${index} git diff --cached --binary ${this.state.baseCommit}`, 'rc=$?', `rm -f ${index}`, 'exit $rc'].join('\n');
    const result = await this.exec(script, { outputCapBytes: 512 * 1024 * 1024 });
    // Not an empty patch: an unknown one (the agent removed or broke .git), which is never graded.
    if (result.exitCode !== 0) throw new HarnessError('PATCH_UNREADABLE', `git diff failed: ${result.output.slice(0, 500)}`, { instanceId: this.state.instanceId });
    return result.output;
  }

  async status(): Promise<SessionStatus> {
    if (this.state.stoppedAt) return 'stopped';
    const state = await this.container.state();
    if (state === undefined) return 'gone';
    return state === 'paused' ? 'paused' : state === 'running' ? 'running' : 'stopped';
  }

  async pause(): Promise<void> {
    await this.assertAlive();
    await this.container.pause();
    this.paused = true;
  }

  async resume(): Promise<void> {
    await this.assertAlive();
    await this.container.unpause();
    this.paused = false;
  }

  async snapshot(name = `snap-${this.state.snapshots.length + 1}`): Promise<SnapshotInfo> {
    // Part of an image tag (at most 128 characters with the session id) and printed back.
    safePathSegment(name, 'snapshot name', SNAPSHOT_NAME_MAX);
    await this.assertAlive();
    const tag = `${this.sessionId}-${name}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
    await this.container.commit('swe-harness/snapshot', tag, managed(sessionLabels(this.state, 'snapshot', this.store)));
    const info = { name, image: `swe-harness/snapshot:${tag}`, createdAt: new Date().toISOString() };
    this.state = { ...this.state, snapshots: [...this.state.snapshots.filter((s) => s.name !== name), info] };
    this.store.save(this.state);
    return info;
  }

  async restore(name: string): Promise<void> {
    safePathSegment(name, 'snapshot name', SNAPSHOT_NAME_MAX);
    const snapshot = this.state.snapshots.find((s) => s.name === name);
    if (!snapshot) throw new HarnessError('SANDBOX', `session ${this.sessionId} has no snapshot ${name} (has: ${this.state.snapshots.map((s) => s.name).join(', ') || 'none'})`);
    this.shell?.close();
    this.shell = undefined;
    const fresh = await containerRuntime().start({ image: snapshot.image, labels: sessionLabels(this.state, 'session', this.store), limits: this.state.limits });
    await this.container.remove();
    this.state = { ...this.state, containerId: fresh.id, stoppedAt: undefined };
    this.store.save(this.state);
  }

  async stop(): Promise<void> {
    this.shell?.close();
    this.shell = undefined;
    await this.container.remove();
    this.state = { ...this.state, stoppedAt: new Date().toISOString() };
    this.store.save(this.state);
  }

  /** Removes the session's snapshot images too; its state file goes. */
  async destroy(): Promise<void> {
    await this.stop();
    for (const snap of this.state.snapshots) await containerRuntime().removeImage(snap.image).catch(() => undefined);
    this.store.remove(this.sessionId);
  }

  /** Lets go of the shell (its socket would keep the process alive); the container lives on. */
  close(): void {
    this.shell?.close();
    this.shell = undefined;
    // A shell still opening is closed when it arrives.
    void this.opening?.then((shell) => shell.close(), () => undefined);
  }

  /** `using box = attachSession(...)`: the shell is let go whatever happened. */
  [Symbol.dispose](): void {
    this.close();
  }
}
