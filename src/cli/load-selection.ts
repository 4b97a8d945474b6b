import { loadHarnessConfig, type HarnessConfig } from '../config/harness-config.js';
import { formatProblem, HarnessError, type InputProblem } from '../errors.js';
import { loadDatasetFrom } from '../instance/dataset-source.js';
import type { Reporter } from '../report/reporter.js';
import type { Instance } from '../instance/instance-schema.js';
import { selectInstances } from '../instance/select.js';

export interface LoadedSelection {
  config: HarnessConfig;
  instances: Instance[];
  /** Every problem, to print. */
  problems: InputProblem[];
  /** Dataset records that did not validate and would have been selected: they get error reports. */
  rejected: InputProblem[];
  /** The whole dataset, to check predictions against (a predictions file may cover more than the selection). */
  allInstances: Instance[];
  concurrency: number;
  repoDirs: string[];
}

function intOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HarnessError('USAGE', `--${name} takes a whole number, not ${JSON.stringify(raw)}`);
  return n;
}

/** --namespace NS (`none`: build here) and --image-registry HOST, over images.prebuilt. */
export function prebuiltOverrides(values: Record<string, unknown>): Record<string, unknown> {
  const prebuilt: Record<string, unknown> = {};
  const namespace = values.namespace as string | undefined;
  if (namespace !== undefined) prebuilt.namespace = namespace === 'none' || namespace === '' ? null : namespace;
  if (values['image-registry'] !== undefined) prebuilt.registry = values['image-registry'];
  return Object.keys(prebuilt).length > 0 ? { images: { prebuilt } } : {};
}

/** Config, dataset and selection from the flags every dataset command shares. */
export async function loadSelection(values: Record<string, unknown>, reporter?: Reporter): Promise<LoadedSelection> {
  const concurrency = intOption(values, 'max-workers');
  const config = loadHarnessConfig(values.config as string | undefined, {
    ...(concurrency ? { run: { concurrency } } : {}),
    ...prebuiltOverrides(values),
  });
  const datasetPath = values.dataset as string | undefined;
  if (!datasetPath) throw new HarnessError('USAGE', '--dataset is required (a .json, .jsonl, .yaml file, a folder of them, or a dataset name: owner/name, lite, verified, full, multilingual)');
  const dataset = await loadDatasetFrom(datasetPath, {
    split: values.split as string | undefined,
    revision: values.revision as string | undefined,
    cacheDir: config.dataset_cache,
    onProgress: (p) => reporter?.onTransfer?.(p),
  });
  const ids = ((values['instance-ids'] as string[] | undefined) ?? []).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  const selected = selectInstances(dataset.instances, { ids, filter: values.filter as string | undefined, sample: intOption(values, 'sample'), seed: intOption(values, 'seed') });
  const problems = [...dataset.problems];
  for (const id of selected.unknownIds) problems.push({ file: datasetPath, instanceId: id, field: 'instance_id', message: 'no such instance (from --instance-ids)' });
  const filter = values.filter ? new RegExp(values.filter as string) : undefined;
  const rejected = dataset.problems.filter((p) => p.instanceId && (ids.length === 0 || ids.includes(p.instanceId)) && (!filter || filter.test(p.instanceId)));
  return { config, instances: selected.instances, allInstances: dataset.instances, problems, rejected, concurrency: config.run.concurrency, repoDirs: (values['repo-cache'] as string[] | undefined) ?? [] };
}

export function printProblems(title: string, problems: InputProblem[]): void {
  if (problems.length === 0) return;
  process.stderr.write(`${title} (${problems.length}):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
}
