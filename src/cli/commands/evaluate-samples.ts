import { loadHarnessConfig } from '../../config/harness-config.js';
import { HarnessError } from '../../errors.js';
import { loadProblemSet } from '../../function-level/problem-sets.js';
import { readProtocol } from '../../function-level/sampling-protocol.js';
import { scoreFunctionLevelRun } from '../../function-level/score-run.js';
import type { OutcomeCounts } from '../../function-level/outcome-summary.js';
import { withChallengeTests } from '../../function-level/problem.js';
import { loadSamples } from '../../function-level/samples.js';
import { containerRuntime } from '../../runtime/registry.js';
import { runFunctionLevelEvaluation } from '../../run/function-level-evaluate.js';
import { isSafeName } from '../../util/safe-path.js';
import { printProblems } from '../load-selection.js';
import { renderTable } from '../table.js';
import { numberFlag } from '../number-flags.js';

export interface EvaluateSamplesOptions {
  dataset?: string;
  samples?: string;
  runId?: string;
  config?: string;
  split?: string;
  revision?: string;
  instanceIds: string[];
  filter?: string;
  maxWorkers?: string;
  timeout?: string;
  force?: boolean;
  json?: boolean;
  cutoff?: string;
  challengeTests?: boolean;
}

/** `evaluate --samples FILE|canonical|empty`: function-level samples executed in the sandbox. */
export async function evaluateSamplesCommand(values: EvaluateSamplesOptions): Promise<number> {
  const runId = values.runId;
  if (!runId || !isSafeName(runId)) throw new HarnessError('USAGE', '--run-id is required (letters, digits, _ . -; not . or ..; at most 200)');
  if (!values.dataset) throw new HarnessError('USAGE', '--dataset is required: humaneval, a JSONL/JSON/parquet file or folder, or owner/name[:config]');
  const timeout = numberFlag(values.timeout, 'timeout', { above: 0 });
  const slots = numberFlag(values.maxWorkers, 'max-workers', { above: 0 });
  const config = loadHarnessConfig(values.config, { function_level: { ...(timeout ? { timeout } : {}), ...(slots ? { slots: Math.round(slots) } : {}) } });
  const set = await loadProblemSet(values.dataset, { cacheDir: config.dataset_cache, split: values.split, revision: values.revision });
  printProblems('dataset problems (these records are skipped)', set.rejected);
  const ids = new Set(values.instanceIds.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean));
  const filter = values.filter ? new RegExp(values.filter) : undefined;
  const chosen = set.problems.filter((p) => (ids.size === 0 || ids.has(p.task_id)) && (!filter || filter.test(p.task_id)));
  const problems = values.challengeTests === true ? chosen.map(withChallengeTests) : chosen;
  const samples = loadSamples(values.samples as string, problems);
  printProblems('sample problems (these samples are skipped)', samples.rejected);
  await containerRuntime().assertAvailable();
  const outcome = await runFunctionLevelEvaluation({
    config,
    runId,
    problems,
    samples: samples.samples,
    force: values.force === true,
    onProgress: (done, total) => {
      if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total} samples`);
    },
    onNotice: (message) => process.stderr.write(`note: ${message}\n`),
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const s = outcome.summary;
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
  } else {
    const lines: Array<[string, OutcomeCounts]> = [['all', s], ...Object.entries(s.by_language)];
    const rows = lines.map(([name, c]) => [name, String(c.tasks), String(c.samples), ...Object.values(c.outcomes).map(String)]);
    process.stdout.write(`\n${renderTable(['language', 'tasks', 'samples', 'passed', 'failed', 'timeout', 'error', 'killed'], rows)}\n`);
    process.stdout.write(`${outcome.reused} sample(s) already had a result; results: ${outcome.runDir}/function-level/results.jsonl\n`);
  }
  // Scored as soon as executed: pass@k, cost per passed task, time split, security probes.
  const fileSamples = !['canonical', 'empty'].includes(values.samples as string);
  const score = await scoreFunctionLevelRun({
    runDir: outcome.runDir,
    problems,
    results: outcome.results,
    samples: samples.samples,
    probes: set.probes,
    protocol: fileSamples ? readProtocol(values.samples as string) : undefined,
    cutoff: values.cutoff,
  });
  const { printFunctionLevelSummary, writeFunctionLevelReport } = await import('./score.js');
  if (values.json !== true) printFunctionLevelSummary(score);
  process.stderr.write(`html report: ${writeFunctionLevelReport(outcome.runDir, score)}\n`);
  const runnerErrors = outcome.results.filter((r) => r.detail?.startsWith('runner:')).length;
  return set.rejected.length + samples.rejected.length + runnerErrors > 0 ? 2 : 0;
}
