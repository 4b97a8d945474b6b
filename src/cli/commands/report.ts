import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HarnessError } from '../../errors.js';
import { loadDataset } from '../../instance/load-dataset.js';
import { compareRuns, comparisonMarkdown, leaderboard, leaderboardMarkdown } from '../../report/compare.js';
import { renderComparison, renderLeaderboard } from '../../report/html/render-compare.js';
import { renderRunReport } from '../../report/html/render-report.js';
import { loadRun, type InstanceInfo, type RunData } from '../../report/run-data.js';
import { runStats } from '../../report/run-stats.js';
import { FAILURE_MODE_LABELS, FAILURE_MODES } from '../../report/failure-mode.js';
import { readFunctionLevelSummary } from '../../report/function-level-summary.js';
import { compareFunctionLevel, functionLevelLeaderboardRow } from '../../report/function-level-compare.js';
import { cutoffOption } from '../load-selection.js';
import { renderTimeSplit } from '../time-split-table.js';

function runDirOf(dir: string): string {
  if (!existsSync(dir)) throw new HarnessError('USAGE', `no run folder ${dir}`);
  return path.resolve(dir);
}

function datasetInfo(dataset: unknown): InstanceInfo[] {
  return typeof dataset === 'string' ? loadDataset(dataset).instances : [];
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text);
}

/** Writes RUN_DIR's HTML report (default RUN_DIR/report.html); used by evaluate and run too. */
export function writeRunReport(runDir: string, instances: InstanceInfo[], out?: string, cutoff?: string): string {
  const data = loadRun(runDir, instances);
  const file = out ?? path.join(runDir, 'report.html');
  write(file, renderRunReport(data, cutoff));
  return file;
}

export interface ReportOptions {
  out?: string;
  dataset?: string;
  cutoff?: string;
}

/** compare and leaderboard: an HTML file beside the table. */
export interface RunsOptions {
  html?: string;
  dataset?: string;
  cutoff?: string;
}

/** --cutoff on a run folder: the dates are the dataset's, as report.json does not keep them. */
function readCutoff(values: { cutoff?: string; dataset?: string }): string | undefined {
  const cutoff = cutoffOption(values.cutoff);
  if (cutoff !== undefined && typeof values.dataset !== 'string') throw new HarnessError('USAGE', '--cutoff needs --dataset: the instances\' created_at come from the dataset');
  return cutoff;
}

export async function reportCommand(values: ReportOptions, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new HarnessError('USAGE', 'report takes one RUN_DIR');
  const runDir = runDirOf(positionals[0]!);
  const functionLevel = readFunctionLevelSummary(runDir);
  if (functionLevel) {
    const { printFunctionLevelSummary, writeFunctionLevelReport } = await import('./score.js');
    printFunctionLevelSummary(functionLevel);
    process.stdout.write(`report: ${writeFunctionLevelReport(runDir, functionLevel, values.out)}\n`);
    return 0;
  }
  const cutoff = readCutoff(values);
  const info = datasetInfo(values.dataset);
  const file = writeRunReport(runDir, info, values.out, cutoff);
  const s = runStats(loadRun(runDir, info), cutoff);
  const modes = FAILURE_MODES.filter((m) => s.failure_modes[m] > 0).map((m) => `${FAILURE_MODE_LABELS[m]}: ${s.failure_modes[m]}`);
  process.stdout.write(
    `${s.run_id}: ${s.resolved_rate.resolved}/${s.resolved_rate.total} resolved (${(100 * s.resolved_rate.rate).toFixed(1)}%, 95% CI ${(100 * s.resolved_rate.low).toFixed(1)}–${(100 * s.resolved_rate.high).toFixed(1)}%)\n` +
      `cost per resolved task: ${s.cost.usd_per_resolved === null ? 'unknown' : `$${s.cost.usd_per_resolved.toFixed(4)}`}\n` +
      (modes.length ? `failure modes: ${modes.join(', ')}\n` : '') +
      `security: ${s.security.patches_with_findings} patch(es) with findings; resolved and clean: ${s.security.resolved_and_clean}\n` +
      (s.time_split ? `${renderTimeSplit(s.time_split)}\n` : '') +
      `report: ${file}\n`,
  );
  return 0;
}

function loadRuns(positionals: string[], values: RunsOptions): RunData[] {
  const info = datasetInfo(values.dataset);
  return positionals.map((p) => loadRun(runDirOf(p), info));
}

function compareRepositoryRuns(positionals: string[], values: RunsOptions) {
  const [first, ...others] = loadRuns(positionals, values);
  return others.map((b) => compareRuns(first!, b));
}

/** Function-level runs pair on tasks (their summaries); undefined unless every run is one. */
function functionLevelComparisons(positionals: string[]) {
  const summaries = positionals.map((p) => readFunctionLevelSummary(runDirOf(p)));
  if (summaries.some((s) => s === undefined)) return undefined;
  const [first, ...others] = summaries;
  return others.map((b) => compareFunctionLevel(first!, b!));
}

export async function compareCommand(values: RunsOptions, positionals: string[]): Promise<number> {
  if (positionals.length < 2) throw new HarnessError('USAGE', 'compare takes two or more run folders: RUN_A RUN_B [...]');
  const comparisons = functionLevelComparisons(positionals) ?? compareRepositoryRuns(positionals, values);
  process.stdout.write(comparisons.map(comparisonMarkdown).join('\n'));
  if (typeof values.html === 'string') {
    write(values.html, renderComparison(comparisons));
    process.stdout.write(`\nhtml: ${values.html}\n`);
  }
  return 0;
}

export async function leaderboardCommand(values: RunsOptions, positionals: string[]): Promise<number> {
  if (positionals.length < 1) throw new HarnessError('USAGE', 'leaderboard takes one or more run folders');
  const cutoff = readCutoff(values);
  // Function-level runs are ranked from their score (the cutoff they were scored with).
  const functionLevel = positionals.map((p) => readFunctionLevelSummary(runDirOf(p)));
  const repositoryRuns = positionals.filter((_, i) => functionLevel[i] === undefined);
  const rows = [...leaderboard(loadRuns(repositoryRuns, values), cutoff), ...functionLevel.flatMap((s) => (s ? [functionLevelLeaderboardRow(s)] : []))].sort(
    (x, y) => y.rate.rate - x.rate.rate || x.run_id.localeCompare(y.run_id),
  );
  process.stdout.write(leaderboardMarkdown(rows));
  if (typeof values.html === 'string') {
    write(values.html, renderLeaderboard(rows));
    process.stdout.write(`\nhtml: ${values.html}\n`);
  }
  return 0;
}
