import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { HarnessError } from '../errors.js';
import type { ExecResult, ShellChannel, ShellCommand } from '../runtime/container-runtime.js';
import { shellQuote } from '../util/shell.js';
import { startAttachedExec } from './attached-exec.js';
import { OutputCollector } from '../util/head-tail.js';

interface Pending {
  id: number;
  collector: OutputCollector;
  resolve: (exit: number) => void;
}

const CHANNEL_CLOSED = -1;
const NO_ANSWER = -2;
const WATCHDOG_GRACE_SECONDS = 15;

/** Exit codes of coreutils' `timeout`: 124 when it fired, 137 when it had to KILL. */
const TIMEOUT_EXITS = new Set([124, 137]);

/**
 * One long-lived bash in the container that runs commands sent on its stdin, each in a
 * subshell with its own cwd, env and timeout. A `docker exec` per command costs ~50 ms of
 * runc start-up; a line to a shell that is already running costs a few. Each command's end
 * is a sentinel line with a per-channel nonce and the command's exit code.
 */
export class DockerShellChannel implements ShellChannel {
  private readonly nonce = randomBytes(8).toString('hex');
  private next = 0;
  private pending?: Pending;
  private carry = '';
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly container: Docker.Container,
    private readonly stream: Duplex,
  ) {}

  static async open(container: Docker.Container, docker: Docker): Promise<DockerShellChannel> {
    const { stream } = await startAttachedExec(container, ['bash', '--noprofile', '--norc']);
    const out = new PassThrough();
    docker.modem.demuxStream(stream, out, out);
    const channel = new DockerShellChannel(container, stream);
    out.on('data', (chunk: Buffer) => channel.onData(chunk));
    stream.on('close', () => channel.onClose());
    stream.on('end', () => channel.onClose());
    stream.on('error', () => channel.onClose());
    return channel;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Runs one command; commands on one channel run one after another. */
  run(cmd: ShellCommand): Promise<ExecResult> {
    const result = this.queue.then(() => this.runNow(cmd));
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.closed = true;
    this.stream.end();
    this.stream.destroy();
  }

  private marker(id: number): string {
    return `__swe_harness_${this.nonce}_${id}`;
  }

  private async runNow(cmd: ShellCommand): Promise<ExecResult> {
    if (this.closed) throw new HarnessError('SANDBOX', 'the sandbox shell is closed');
    const id = this.next++;
    const started = Date.now();
    const collector = new OutputCollector(cmd.outputCapBytes);
    const exitCode = new Promise<number>((resolve) => {
      this.pending = { id, collector, resolve };
    });
    const onAbort = () => void this.killCommand(id);
    cmd.signal?.addEventListener('abort', onAbort, { once: true });
    this.stream.write(`${this.script(id, cmd)}\n`);
    // The command's own timeout ends it; silence past that means the container is frozen or
    // gone, and a caller must not wait forever on it.
    let watchdog: NodeJS.Timeout | undefined;
    const silence = new Promise<number>((resolve) => {
      watchdog = setTimeout(() => resolve(NO_ANSWER), (cmd.timeoutSeconds + WATCHDOG_GRACE_SECONDS) * 1000);
    });
    try {
      const code = await Promise.race([exitCode, silence]);
      if (code === NO_ANSWER) {
        this.close();
        throw new HarnessError('SANDBOX', `the sandbox did not answer within ${cmd.timeoutSeconds + WATCHDOG_GRACE_SECONDS} s (paused, or hung?)`);
      }
      if (code === CHANNEL_CLOSED) throw new HarnessError('SANDBOX', 'the sandbox shell ended during the command (was the container stopped, paused too long or restarted?)');
      const durationMs = Date.now() - started;
      const timedOut = TIMEOUT_EXITS.has(code) && durationMs >= cmd.timeoutSeconds * 1000;
      const killed = timedOut || (cmd.signal?.aborted ?? false);
      return { exitCode: killed ? null : code, output: collector.text(), timedOut, truncated: collector.truncated, durationMs };
    } finally {
      clearTimeout(watchdog);
      cmd.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The line sent to bash: `$0` of the inner bash carries the marker so it can be killed by name. */
  private script(id: number, cmd: ShellCommand): string {
    const env = Object.entries(cmd.env ?? {}).map(([k, v]) => `export ${k}=${shellQuote(v)}; `).join('');
    const inner = `cd ${shellQuote(cmd.cwd)} && ${env}timeout -k 2 ${cmd.timeoutSeconds} bash -c ${shellQuote(cmd.command)} ${this.marker(id)}`;
    return `( ${inner} ) </dev/null 2>&1; printf '\\n${this.marker(id)}_end %d\\n' $?`;
  }

  private async killCommand(id: number): Promise<void> {
    const exec = await this.container.exec({ Cmd: ['pkill', '-KILL', '-f', this.marker(id)], AttachStdout: false, AttachStderr: false });
    await exec.start({ Detach: true });
  }

  private onData(chunk: Buffer): void {
    const pending = this.pending;
    if (!pending) return; // output of a background process between commands
    const text = this.carry + chunk.toString('latin1');
    const end = `\n${this.marker(pending.id)}_end `;
    const at = text.indexOf(end);
    if (at < 0) {
      // Keep enough of the end to find a sentinel split across chunks.
      const keep = Math.max(0, text.length - end.length - 12);
      pending.collector.append(Buffer.from(text.slice(0, keep), 'latin1'));
      this.carry = text.slice(keep);
      return;
    }
    const newline = text.indexOf('\n', at + end.length);
    if (newline < 0) {
      this.carry = text;
      return;
    }
    pending.collector.append(Buffer.from(text.slice(0, at), 'latin1'));
    this.carry = '';
    this.pending = undefined;
    pending.resolve(Number.parseInt(text.slice(at + end.length, newline), 10));
  }

  private onClose(): void {
    this.closed = true;
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(CHANNEL_CLOSED);
  }
}
