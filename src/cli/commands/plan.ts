import path from 'node:path';
import { planEvaluation, type EvaluationPlan, type PlannedInstance } from '../../evaluation/plan-evaluation.js';
import { loadPredictions } from '../../instance/predictions.js';
import { loadSelection, printProblems, type SelectionOptions } from '../load-selection.js';
import { renderTable } from '../table.js';

/** A path under the current folder reads shorter relative; others stay absolute. */
function shortPath(file: string | undefined): string {
  if (!file) return '';
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function row(p: PlannedInstance): string[] {
  const entry = p.spec_entry ? `${shortPath(p.spec_file)}#${p.spec_entry.index} (${p.spec_entry.source})` : '';
  const image = p.images?.find((i) => i.kind === 'instance')?.tag ?? '';
  const problems = p.problems.map((x) => `${x.kind}: ${x.message.split('\n')[0]}`).join('; ');
  return [p.instance_id, p.version, p.ready ? 'ready' : 'PROBLEM', entry, p.ready ? image : problems];
}

export function summaryLine(plan: EvaluationPlan): string {
  const kinds = Object.entries(plan.summary.by_kind).map(([k, n]) => `${n} ${k}`);
  return `${plan.summary.ready} ready, ${plan.summary.problems} with problems${kinds.length ? ` (${kinds.join(', ')})` : ''}, of ${plan.summary.total}; images.source: ${plan.image_source}`;
}

function render(plan: EvaluationPlan): string {
  const rows = [...plan.instances].sort((a, b) => a.instance_id.localeCompare(b.instance_id)).map(row);
  const shared = plan.images.filter((i) => i.kind !== 'instance').map((i) => [i.kind, i.tag, i.from]);
  const pulls = plan.pulls.length ? `\npulls: ${plan.pulls.join(', ')}` : '';
  const instanceCount = plan.images.length - shared.length;
  return [
    renderTable(['instance', 'version', 'status', 'spec entry', 'instance image | problems'], rows),
    '',
    `images to build or reuse: ${shared.length} base/env, ${instanceCount} instance`,
    renderTable(['kind', 'tag', 'from'], shared) + pulls,
    '',
    summaryLine(plan),
  ].join('\n');
}

/**
 * `plan` and `evaluate --dry-run`: what would be built and run, and what would stop it, with no
 * Docker. Exit 0 when every instance is ready, 2 when some are not.
 */
export interface PlanOptions extends SelectionOptions {
  predictions?: string;
  json?: boolean;
}

export async function planCommand(values: PlanOptions): Promise<number> {
  const selection = await loadSelection(values);
  printProblems('dataset problems (these records are skipped)', selection.problems);
  const source = values.predictions;
  const predictions = source ? loadPredictions(source, selection.allInstances) : undefined;
  if (predictions) printProblems('prediction problems (these predictions are skipped)', predictions.problems);
  const plan = planEvaluation({
    config: selection.config,
    instances: selection.instances,
    predictionIds: predictions ? new Set(predictions.byId.keys()) : undefined,
    rejected: selection.rejected,
  });
  process.stdout.write(values.json === true ? `${JSON.stringify(plan, null, 2)}\n` : `${render(plan)}\n`);
  return plan.summary.problems > 0 || selection.problems.length > 0 ? 2 : 0;
}
