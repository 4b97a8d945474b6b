import type { InstanceResult } from './instance-result.js';
import type { TransferProgress } from '../util/transfer-progress.js';
import type { RunSummary } from './summary.js';

/** Progress of a run, as lifecycle hooks; all optional. The CLI draws; the library never prints. */
export interface Reporter {
  onRunStart?(info: { runId: string; total: number }): void;
  onInstanceStart?(instanceId: string, phase: 'image' | 'pull' | 'grading'): void;
  onInstanceDone?(result: InstanceResult, info: { reused: boolean }): void;
  onRunEnd?(summary: RunSummary): void;
  /** Something the user should know that is no result (a stale run lock taken over). */
  onNotice?(message: string): void;
  /** A download in progress: a dataset's files, or a prebuilt image being pulled. */
  onTransfer?(progress: TransferProgress): void;
}

export const silentReporter: Reporter = {};
