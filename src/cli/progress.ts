import type { InstanceResult } from '../report/instance-result.js';
import type { Reporter } from '../report/reporter.js';
import { isEvaluationError } from '../report/summary.js';
import type { TransferProgress } from '../util/transfer-progress.js';

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The live line: a bar, counts, elapsed time and ETA, and what is running now. */
export function barLine(p: { done: number; total: number; started: number; counts: string; running: Map<string, string> }): string {
  const width = 24;
  const filled = Math.round((p.done / p.total) * width);
  const elapsed = (Date.now() - p.started) / 1000;
  const eta = p.done > 0 ? (elapsed / p.done) * (p.total - p.done) : Number.NaN;
  const now = [...p.running.entries()].map(([id, phase]) => `${id} (${phase})`).slice(0, 2).join(', ');
  return (
    `\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ` +
    `${p.counts} elapsed ${formatDuration(elapsed)} eta ${formatDuration(eta)} ${now}`.slice(0, (process.stderr.columns ?? 120) - 30)
  );
}

function formatBytes(n: number | undefined): string {
  if (n === undefined) return '?';
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(0)} kB`;
}

function verdictWord(r: InstanceResult): string {
  if (r.error && isEvaluationError(r)) return `error ${r.error.code}`;
  return r.resolved ? 'resolved' : r.resolution === 'PARTIAL' ? 'partial' : 'unresolved';
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
    process.stderr.write(barLine({ done: this.done, total: this.total, started: this.started, counts: `resolved ${this.resolved} errors ${this.errors}`, running: this.running }));
  }
}
