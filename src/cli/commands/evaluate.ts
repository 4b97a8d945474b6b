import { containerRuntime } from '../../runtime/registry.js';
import { runEvaluation } from '../../run/evaluate-batch.js';
import { HarnessError } from '../../errors.js';
import { isSafeName } from '../../util/safe-path.js';
import { loadPredictions } from '../../instance/predictions.js';
import type { InstanceResult } from '../../report/instance-result.js';
import { isEvaluationError } from '../../report/summary.js';
import { gradingExitCode } from '../exit-code.js';
import { cutoffOption, loadSelection, printProblems, type SelectionOptions } from '../load-selection.js';
import { ProgressReporter } from '../progress.js';
import { renderTable } from '../table.js';
import { renderTimeSplit } from '../time-split-table.js';
import { writeRunReport } from './report.js';

function resultRow(r: InstanceResult): string[] {
  const verdict = isEvaluationError(r) ? 'ERROR' : r.resolved ? 'RESOLVED' : r.resolution === 'PARTIAL' ? 'PARTIAL' : 'NO';
  const f2p = r.tests_status ? `${r.tests_status.FAIL_TO_PASS.success.length}/${r.tests_status.FAIL_TO_PASS.success.length + r.tests_status.FAIL_TO_PASS.failure.length}` : '-';
  const p2p = r.tests_status ? `${r.tests_status.PASS_TO_PASS.success.length}/${r.tests_status.PASS_TO_PASS.success.length + r.tests_status.PASS_TO_PASS.failure.length}` : '-';
  const total = r.timings.total_s;
  return [r.instance_id, verdict, f2p, p2p, r.error?.code ?? r.verdict_reason?.code ?? '', total === undefined ? '' : `${total.toFixed(1)}s`];
}

export interface EvaluateOptions extends SelectionOptions {
  predictions?: string;
  runId?: string;
  force?: boolean;
  json?: boolean;
  dryRun?: boolean;
  cutoff?: string;
  /** Function-level samples (FILE, canonical, empty): routes to evaluate-samples.ts. */
  samples?: string;
  timeout?: string;
  challengeTests?: boolean;
  queue?: string;
  queueName?: string;
}

export async function evaluateCommand(values: EvaluateOptions): Promise<number> {
  if (values.samples !== undefined) return (await import('./evaluate-samples.js')).evaluateSamplesCommand(values);
  if (values.challengeTests === true) throw new HarnessError('USAGE', '--challenge-tests is for function-level samples (--samples)');
  // A dry run needs no run id and no Docker: it only says what would happen.
  if (values.dryRun === true) return (await import('./plan.js')).planCommand(values);
  const runId = values.runId;
  const predictionsSource = values.predictions;
  if (!runId || !isSafeName(runId)) throw new HarnessError('USAGE', '--run-id is required (letters, digits, _ . -; not . or ..; at most 200)');
  if (!predictionsSource) throw new HarnessError('USAGE', '--predictions is required: gold, empty, or a JSONL/JSON file');
  const cutoff = cutoffOption(values.cutoff);
  const reporter = new ProgressReporter();
  const selection = await loadSelection(values, reporter);
  printProblems('dataset problems (these records are skipped)', selection.problems);
  // Checked against the whole dataset: a full predictions file on a --filter subset is normal.
  const predictions = loadPredictions(predictionsSource, selection.allInstances);
  printProblems('prediction problems (these predictions are skipped)', predictions.problems);
  const selectedIds = new Set(selection.instances.map((i) => i.instance_id));
  const selectedPredictions = new Map([...predictions.byId].filter(([id]) => selectedIds.has(id)));
  const badPredictions = predictions.problems.filter((p) => p.instanceId !== undefined && selectedIds.has(p.instanceId));
  // With a queue, the workers' engines grade: this machine needs none.
  if (!values.queue) await containerRuntime().assertAvailable();

  const request = {
    config: selection.config,
    runId,
    instances: selection.instances,
    predictions: selectedPredictions,
    concurrency: selection.concurrency,
    repoDirs: selection.repoDirs,
    force: values.force === true,
    rejected: [...selection.rejected, ...badPredictions],
    predictionsFile: predictionsSource,
    cutoff,
    reporter,
  };
  const outcome = values.queue
    ? await (await import('../../run/queue-coordinator.js')).runEvaluationOnQueue(request, { url: values.queue, name: values.queueName })
    : await runEvaluation(request);

  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(outcome.summaries, null, 2)}\n`);
  } else {
    const rows = [...outcome.results].sort((a, b) => a.instance_id.localeCompare(b.instance_id)).map(resultRow);
    process.stdout.write(`\n${renderTable(['instance', 'verdict', 'F2P', 'P2P', 'why', 'time'], rows)}\n\n`);
    for (const s of outcome.summaries) {
      process.stdout.write(
        `${s.model_name_or_path}: ${s.resolved_instances}/${s.submitted_instances} resolved, ` +
          `${s.unresolved_instances} unresolved, ${s.error_instances} error(s), ${s.empty_patch_instances} empty patch(es)\n`,
      );
      if (s.time_split) process.stdout.write(`${renderTimeSplit(s.time_split)}\n`);
    }
    process.stdout.write(`reports: ${outcome.runDir}\n`);
  }
  process.stderr.write(`html report: ${writeRunReport(outcome.runDir, selection.instances, undefined, cutoff)}\n`);
  return gradingExitCode(outcome.summaries, selection.problems.length + predictions.problems.length);
}
