import type { InstanceResult } from '../report/instance-result.js';
import type { Reporter } from '../report/reporter.js';
import { isEvaluationError } from '../report/summary.js';
import type { TransferProgress } from '../util/transfer-progress.js';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function formatBytes(n: number | undefined): string {
  if (n === undefined) return '?';
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
}

function verdictWord(r: InstanceResult): string {
  if (r.error && isEvaluationError(r)) return `error ${r.error.code}`;
  return r.resolved ? 'resolved' : r.resolution === 'PARTIAL' ? 'partial' : 'unresolved';
}

/** The bar both reporters draw on a terminal: [####....] done/total, then their own words. */
function drawBar(done: number, total: number, words: string): void {
  const width = 24;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${words}`.slice(0, (process.stderr.columns ?? 120) + 4));
}

/**
 * A live bar on a terminal (counts, ETA), a line per instance otherwise; written to stderr
 * so stdout stays for the report.
 */
export class ProgressReporter implements Reporter {
  private total = 0;
  private done = 0;
  private resolved = 0;
  private errors = 0;
  private started = Date.now();
  private readonly running = new Map<string, string>();
  private readonly tty = process.stderr.isTTY === true;
  private lastTransferDraw = 0;

  onRunStart(info: { runId: string; total: number }): void {
    this.total = info.total;
    this.started = Date.now();
    process.stderr.write(`run ${info.runId}: ${info.total} instance(s)\n`);
    this.draw();
  }

  onInstanceStart(id: string, phase: 'image' | 'pull' | 'grading'): void {
    this.running.set(id, phase);
    this.draw();
  }

  onInstanceDone(result: InstanceResult, info: { reused: boolean }): void {
    this.running.delete(result.instance_id);
    this.done++;
    if (result.resolved) this.resolved++;
    if (isEvaluationError(result)) this.errors++;
    const why = result.error && verdictWord(result).startsWith('error') ? `\n    ${result.error.message.split('\n').join('\n    ')}` : '';
    const line = `${result.instance_id}: ${verdictWord(result)}${info.reused ? ' (reused)' : ''}${why}`;
    if (this.tty) process.stderr.write(`\r\x1b[K${line}\n`);
    else process.stderr.write(`[${this.done}/${this.total}] ${line}\n`);
    this.draw();
  }

  onNotice(message: string): void {
    process.stderr.write(`${this.tty ? '\r\x1b[K' : ''}note: ${message}\n`);
  }

  /** Downloads: a line when one starts, retries or ends; the byte count live on a terminal. */
  onTransfer(p: TransferProgress): void {
    if (p.phase === 'progress') {
      const now = Date.now();
      if (!this.tty || now - this.lastTransferDraw < 200) return;
      this.lastTransferDraw = now;
      process.stderr.write(`\r\x1b[K${p.kind} ${p.name}: ${formatBytes(p.doneBytes)}${p.totalBytes ? ` of ${formatBytes(p.totalBytes)}` : ''}`);
      return;
    }
    const words = { start: 'downloading', retry: 'retrying', done: 'downloaded', failed: 'failed' } as const;
    const size = p.phase === 'start' && p.totalBytes ? ` (${formatBytes(p.totalBytes)})` : '';
    process.stderr.write(`${this.tty ? '\r\x1b[K' : ''}${p.kind} ${p.name}: ${words[p.phase]}${size}${p.detail ? `: ${p.detail}` : ''}\n`);
    this.draw();
  }

  onRunEnd(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }

  private draw(): void {
    if (!this.tty || this.total === 0) return;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = this.done > 0 ? (elapsed / this.done) * (this.total - this.done) : Number.NaN;
    const now = [...this.running.entries()].map(([id, phase]) => `${id} (${phase})`).slice(0, 2).join(', ');
    drawBar(this.done, this.total, `resolved ${this.resolved} errors ${this.errors} elapsed ${formatDuration(elapsed)} eta ${formatDuration(eta)} ${now}`);
  }
}

/**
 * Progress of a count of units that are not instances (samples generated, samples executed):
 * the same bar on a terminal, a line per unit otherwise, on stderr.
 */
export class CountProgress {
  private total = 0;
  private done = 0;
  private failed = 0;
  /** Units done before this run (a resumed generation): not counted in the rate. */
  private already = 0;
  private started = Date.now();
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly noun: string) {}

  start(total: number, already = 0): void {
    this.total = total;
    this.done = already;
    this.already = already;
    this.started = Date.now();
    process.stderr.write(`${total} ${this.noun}(s)${already ? `, ${already} already done` : ''}\n`);
    this.draw();
  }

  step(line: string, ok = true): void {
    this.done++;
    if (!ok) this.failed++;
    if (this.tty) {
      if (!ok) process.stderr.write(`\r\x1b[K${line}\n`);
    } else process.stderr.write(`[${this.done}/${this.total}] ${line}\n`);
    this.draw();
  }

  notice(message: string): void {
    process.stderr.write(`${this.tty ? '\r\x1b[K' : ''}note: ${message}\n`);
    this.draw();
  }

  end(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }

  private draw(): void {
    if (!this.tty || this.total === 0) return;
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = (this.done - this.already) / elapsed;
    const eta = rate > 0 ? (this.total - this.done) / rate : Number.NaN;
    drawBar(this.done, this.total, `${this.noun}s, failed ${this.failed}, elapsed ${formatDuration(elapsed)} eta ${formatDuration(eta)}`);
  }
}
