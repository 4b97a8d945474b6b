import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadHarnessConfig } from '../../config/harness-config.js';
import { HarnessError } from '../../errors.js';
import { loadProblemSet } from '../../function-level/problem-sets.js';
import { loadSamples } from '../../function-level/samples.js';
import { readProtocol } from '../../function-level/sampling-protocol.js';
import { readSampleResults, scoreFunctionLevelRun } from '../../function-level/score-run.js';
import type { FunctionLevelSummary } from '../../report/function-level-summary.js';
import { passAtKCells, summaryLines } from '../../report/function-level-text.js';
import { renderFunctionLevelReport } from '../../report/html/render-function-level.js';
import { printProblems } from '../load-selection.js';
import { renderTable } from '../table.js';
import { renderTimeSplit } from '../time-split-table.js';
import { parseKs } from './generate.js';

export interface ScoreOptions {
  dataset?: string;
  samples?: string;
  k?: string;
  cutoff?: string;
  probeFile: string[];
  config?: string;
  json?: boolean;
}

/** Writes RUN_DIR/report.html for a function-level summary and returns its path. */
export function writeFunctionLevelReport(runDir: string, summary: FunctionLevelSummary, out?: string): string {
  const file = out ?? path.join(runDir, 'report.html');
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, renderFunctionLevelReport(summary));
  return file;
}

export function printFunctionLevelSummary(s: FunctionLevelSummary): void {
  const { header, rows } = passAtKCells(s);
  process.stdout.write(`${s.run_id} (${s.model})\n${renderTable(header, rows)}\n${summaryLines(s).join('\n')}\n`);
  if (s.time_split && s.time_split.undated < s.tasks.length) process.stdout.write(`samples by release date:\n${renderTimeSplit(s.time_split.samples)}\n`);
}

/** `score RUN_DIR`: pass@k, cost, time split and probes of a function-level run, written and printed. */
export async function scoreCommand(values: ScoreOptions, positionals: string[]): Promise<number> {
  if (positionals.length !== 1) throw new HarnessError('USAGE', 'score takes one RUN_DIR');
  const runDir = path.resolve(positionals[0]!);
  if (!existsSync(runDir)) throw new HarnessError('USAGE', `no run folder ${runDir}`);
  if (!values.dataset) throw new HarnessError('USAGE', '--dataset is required: the problems the samples answer');
  const config = loadHarnessConfig(values.config);
  const set = await loadProblemSet(values.dataset, { cacheDir: config.dataset_cache, probeFiles: values.probeFile });
  printProblems('dataset problems (these records are skipped)', set.rejected);
  const loaded = values.samples ? loadSamples(values.samples, set.problems) : undefined;
  if (loaded) printProblems('sample problems (these samples are skipped)', loaded.rejected);
  const samples = loaded?.samples;
  const summary = await scoreFunctionLevelRun({
    runDir,
    problems: set.problems,
    results: readSampleResults(runDir),
    samples,
    probes: set.probes,
    protocol: values.samples ? readProtocol(values.samples) : undefined,
    ks: parseKs(values.k),
    cutoff: values.cutoff,
  });
  if (values.json === true) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else printFunctionLevelSummary(summary);
  process.stderr.write(`html report: ${writeFunctionLevelReport(runDir, summary)}\n`);
  return set.rejected.length > 0 ? 2 : 0;
}
