import { existsSync } from 'node:fs';
import { HarnessError } from '../errors.js';
import type { TransferListener } from '../util/transfer-progress.js';
import { describeRef, parseHubDatasetName } from './dataset-name.js';
import type { HubEndpoints } from './hub-client.js';
import { fetchHubSplit } from './hub-dataset.js';
import { loadDataset, validateRecords, type Dataset } from './load-dataset.js';
import { readParquetRecords } from './parquet-records.js';

export interface DatasetLoadOptions {
  /** Hugging Face datasets: the split (default test), a revision, where downloads are kept. */
  split?: string;
  revision?: string;
  cacheDir: string;
  endpoints?: HubEndpoints;
  onProgress?: TransferListener;
}

/** A dataset source plug-in: whether it takes a --dataset value, and how it reads it. */
export interface DatasetSource {
  name: string;
  accepts(target: string): boolean;
  load(target: string, opts: DatasetLoadOptions): Promise<Dataset>;
}

const fileSource: DatasetSource = {
  name: 'file',
  accepts: (target) => existsSync(target),
  load: async (target) => loadDataset(target),
};

const hubSource: DatasetSource = {
  name: 'hf',
  accepts: (target) => parseHubDatasetName(target) !== undefined,
  async load(target, opts) {
    const ref = parseHubDatasetName(target, { split: opts.split, revision: opts.revision });
    if (!ref) throw new HarnessError('DATASET_INVALID', 'not a Hugging Face dataset name (owner/name[@revision])', { file: target });
    const split = await fetchHubSplit(ref, opts);
    const label = `hf://${ref.id}@${split.sha.slice(0, 12)}/${split.config}/${ref.split}`;
    const files = split.files.map((file, i) => ({ path: file, label: split.files.length > 1 ? `${label}#${i}` : label }));
    const { instances, problems } = validateRecords(await readParquetRecords(files, describeRef(ref, split.sha)));
    return { instances, problems };
  },
};

/** By name, in the order they are asked: a file on disk wins over a dataset of the same name. */
const SOURCES = new Map<string, DatasetSource>([
  [fileSource.name, fileSource],
  [hubSource.name, hubSource],
]);

export function registerDatasetSource(source: DatasetSource): void {
  SOURCES.set(source.name, source);
}

/**
 * Reads --dataset from whichever source takes it: `file:PATH` or `hf://owner/name` say which,
 * otherwise an existing path is a file and `owner/name[@rev]` or an alias is a Hugging Face
 * dataset.
 */
export async function loadDatasetFrom(target: string, opts: DatasetLoadOptions): Promise<Dataset & { source: string }> {
  const explicit = /^([a-z]+):(?:\/\/)?(.*)$/.exec(target);
  const named = explicit ? SOURCES.get(explicit[1] === 'hf' ? 'hf' : (explicit[1] as string)) : undefined;
  if (named) return { ...(await named.load(named.name === 'file' ? (explicit?.[2] as string) : target, opts)), source: named.name };
  const source = [...SOURCES.values()].find((s) => s.accepts(target));
  if (!source) throw new HarnessError('DATASET_INVALID', 'no such file or folder, and not a dataset name (owner/name, or lite, verified, full, multilingual)', { file: target });
  return { ...(await source.load(target, opts)), source: source.name };
}
