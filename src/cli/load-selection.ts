import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadHarnessConfig, type HarnessConfig } from '../config/harness-config.js';
import { formatProblem, HarnessError, type InputProblem } from '../errors.js';
import { loadDatasetFrom } from '../instance/dataset-source.js';
import type { Reporter } from '../report/reporter.js';
import type { Instance } from '../instance/instance-schema.js';
import { selectInstances } from '../instance/select.js';
import { formatTimestamp, parseTimestamp } from '../util/timestamp.js';
import { useDockerHost } from '../runtime/engine-host.js';
import { numberFlag } from './number-flags.js';

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

/** The flags every dataset command shares (see main.ts). */
export interface SelectionOptions extends PrebuiltOptions {
  dataset?: string;
  split?: string;
  revision?: string;
  instanceIds: string[];
  filter?: string;
  sample?: string;
  sampleSeed?: string;
  createdAfter?: string;
  createdBefore?: string;
  config?: string;
  repoCache: string[];
  maxWorkers?: string;
  dockerHost?: string;
}

export interface PrebuiltOptions {
  namespace?: string;
  imageRegistry?: string;
  config?: string;
}

/** A date flag (--created-after, --cutoff, ...) as ms since the epoch; unreadable is a usage error. */
export function dateOption(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseTimestamp(raw);
  if (ms === undefined) throw new HarnessError('USAGE', `--${name} takes a date (2023-06-28, 2023-06-28T16:44:09Z, 2023-06-28 16:44:09+02:00), not ${JSON.stringify(raw)}`);
  return ms;
}

/** --cutoff as the summary records it (canonical ISO), or undefined. */
export function cutoffOption(raw: string | undefined): string | undefined {
  const ms = dateOption(raw, 'cutoff');
  return ms === undefined ? undefined : formatTimestamp(ms);
}

/** --created-after / --created-before; a window that holds no instant is a usage error, not an empty run. */
function dateWindow(values: SelectionOptions): { createdAfter?: number; createdBefore?: number } {
  const createdAfter = dateOption(values.createdAfter, 'created-after');
  const createdBefore = dateOption(values.createdBefore, 'created-before');
  if (createdAfter !== undefined && createdBefore !== undefined && createdAfter >= createdBefore) {
    throw new HarnessError('USAGE', `--created-after ${values.createdAfter} is not before --created-before ${values.createdBefore}: no instance can be in between`);
  }
  return { createdAfter, createdBefore };
}

/** --namespace NS (`none`: build here) and --image-registry HOST, over images.prebuilt. */
export function prebuiltOverrides(values: PrebuiltOptions): Record<string, unknown> {
  const prebuilt: Record<string, unknown> = {};
  const namespace = values.namespace;
  if (namespace !== undefined) prebuilt.namespace = namespace === 'none' || namespace === '' ? null : namespace;
  if (values.imageRegistry !== undefined) prebuilt.registry = values.imageRegistry;
  return Object.keys(prebuilt).length > 0 ? { images: { prebuilt } } : {};
}

/**
 * The engine every command talks to: --docker-host, then the config's docker_host, then
 * DOCKER_HOST as it is. main.ts applies it before any command's action, so before the
 * engine's client is made.
 */
export function selectEngine(values: { dockerHost?: string; config?: string }): void {
  if (values.dockerHost !== undefined) useDockerHost(values.dockerHost);
  else useDockerHost(loadHarnessConfig(values.config).docker_host);
}

/** Config, dataset and selection from the flags every dataset command shares. */
export async function loadSelection(values: SelectionOptions, reporter?: Reporter): Promise<LoadedSelection> {
  const window = dateWindow(values);
  const concurrency = numberFlag(values.maxWorkers, 'max-workers', { whole: true, min: 0 });
  const config = loadHarnessConfig(values.config, {
    ...(concurrency ? { run: { concurrency } } : {}),
    ...prebuiltOverrides(values),
  });
  const datasetPath = values.dataset;
  if (!datasetPath) throw new HarnessError('USAGE', '--dataset is required (a .json, .jsonl, .yaml file, a folder of them, or a dataset name: owner/name, lite, verified, full, multilingual)');
  const dataset = await loadDatasetFrom(datasetPath, {
    split: values.split,
    revision: values.revision,
    cacheDir: config.dataset_cache,
    onProgress: (p) => reporter?.onTransfer?.(p),
  });
  const ids = values.instanceIds.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  const selected = selectInstances(dataset.instances, { ids, filter: values.filter, sample: numberFlag(values.sample, 'sample', { whole: true, min: 0 }), seed: numberFlag(values.sampleSeed, 'sample-seed', { whole: true, min: 0 }), ...window });
  const problems = [...dataset.problems];
  for (const id of selected.unknownIds) problems.push({ file: datasetPath, instanceId: id, field: 'instance_id', message: 'no such instance (from --instance-ids)' });
  for (const i of selected.undated) problems.push({ file: datasetPath, instanceId: i.instance_id, field: 'created_at', message: `${i.created_at ? `${JSON.stringify(i.created_at)} is not a date` : 'empty'}: left out of the --created-after/--created-before window` });
  const filter = values.filter ? new RegExp(values.filter) : undefined;
  const rejected = dataset.problems.filter((p) => p.instanceId && (ids.length === 0 || ids.includes(p.instanceId)) && (!filter || filter.test(p.instanceId)));
  return { config: withSpecsBeside(config, datasetPath), instances: selected.instances, allInstances: dataset.instances, problems, rejected, concurrency: config.run.concurrency, repoDirs: values.repoCache };
}

/**
 * A dataset file's own specs: the `specs/` folder beside it (where `tasks mine` writes the
 * spec it drafted), searched after the config's, so a mined dataset evaluates with no flag.
 */
function withSpecsBeside(config: HarnessConfig, datasetPath: string): HarnessConfig {
  const dir = path.join(path.dirname(path.resolve(datasetPath)), 'specs');
  if (!existsSync(datasetPath) || !existsSync(dir) || config.spec_dirs.includes(dir)) return config;
  return { ...config, spec_dirs: [...config.spec_dirs, dir] };
}

export function printProblems(title: string, problems: InputProblem[]): void {
  if (problems.length === 0) return;
  process.stderr.write(`${title} (${problems.length}):\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}\n`);
}
