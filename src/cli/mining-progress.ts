import type { MiningReporter } from '../run/mine-tasks.js';
import type { InstanceValidation } from '../run/validate-tasks.js';
import { CountProgress } from './progress.js';

function firstLine(detail: string | undefined): string {
  return detail ? ` (${detail.split('\n')[0]?.slice(0, 160)})` : '';
}

/** Mining's progress on stderr: the shared count bar (counts, ETA), a line per candidate. */
export class MiningProgress implements MiningReporter {
  private readonly bar = new CountProgress('candidate');

  onCandidates(info: { commits: number; candidates: number; specFile: string; drafted: boolean }): void {
    process.stderr.write(`${info.commits} commit(s), ${info.candidates} candidate(s) touching code and tests; spec ${info.specFile}${info.drafted ? ' (drafted: review it)' : ''}\n`);
    this.bar.start(info.candidates);
  }

  onCandidateDone(id: string, outcome: { kept: boolean; reason?: string; detail?: string }, info: { reused: boolean }): void {
    const word = outcome.kept ? 'kept' : `rejected: ${outcome.reason}${firstLine(outcome.detail)}`;
    this.bar.step(`${id}: ${word}${info.reused ? ' (earlier run)' : ''}`, outcome.kept);
  }

  end(): void {
    this.bar.end();
  }
}

/** `tasks validate`'s progress: a line per instance that is not ok (every line off a terminal). */
export class ValidationProgress {
  private readonly bar = new CountProgress('instance');

  start(total: number): void {
    this.bar.start(total);
  }

  onValidated(result: InstanceValidation): void {
    const flaky = result.flaky_tests.length > 0 ? ` flaky: ${result.flaky_tests.slice(0, 3).join(', ')}` : '';
    this.bar.step(`${result.instance_id}: ${result.status}${firstLine(result.detail)}${flaky}`, result.status === 'ok');
  }

  end(): void {
    this.bar.end();
  }
}
