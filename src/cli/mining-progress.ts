import type { MiningReporter } from '../run/mine-tasks.js';
import type { InstanceValidation } from '../run/validate-tasks.js';
import { barLine } from './progress.js';

/**
 * Mining's progress on stderr: a live bar with counts and ETA on a terminal, a line per
 * candidate otherwise (as ProgressReporter does for evaluations).
 */
export class MiningProgress implements MiningReporter {
  private total = 0;
  private done = 0;
  private kept = 0;
  private started = Date.now();
  private readonly running = new Map<string, string>();
  private readonly tty = process.stderr.isTTY === true;

  onCandidates(info: { commits: number; candidates: number; specFile: string; drafted: boolean }): void {
    this.start(info.candidates);
    process.stderr.write(`${info.commits} commit(s), ${info.candidates} candidate(s) touching code and tests; spec ${info.specFile}${info.drafted ? ' (drafted: review it)' : ''}\n`);
  }

  start(total: number): void {
    this.total = total;
    this.started = Date.now();
    this.draw();
  }

  onCandidateStart(id: string, phase: string): void {
    this.running.set(id, phase);
    this.draw();
  }

  onCandidateDone(id: string, outcome: { kept: boolean; reason?: string; detail?: string }, info: { reused: boolean }): void {
    const word = outcome.kept ? 'kept' : `rejected: ${outcome.reason}${outcome.detail ? ` (${outcome.detail.split('\n')[0]?.slice(0, 160)})` : ''}`;
    this.finish(id, outcome.kept, `${word}${info.reused ? ' (earlier run)' : ''}`);
  }

  onValidated(result: InstanceValidation): void {
    const flaky = result.flaky_tests.length > 0 ? ` flaky: ${result.flaky_tests.slice(0, 3).join(', ')}` : '';
    this.finish(result.instance_id, result.status === 'ok', `${result.status}${result.detail ? ` (${result.detail.split('\n')[0]?.slice(0, 160)})` : ''}${flaky}`);
  }

  private finish(id: string, good: boolean, line: string): void {
    this.running.delete(id);
    this.done++;
    if (good) this.kept++;
    if (this.tty) process.stderr.write(`\r\x1b[K${id}: ${line}\n`);
    else process.stderr.write(`[${this.done}/${this.total}] ${id}: ${line}\n`);
    this.draw();
  }

  end(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }

  private draw(): void {
    if (!this.tty || this.total === 0) return;
    process.stderr.write(barLine({ done: this.done, total: this.total, started: this.started, counts: `ok ${this.kept}`, running: this.running }));
  }
}
