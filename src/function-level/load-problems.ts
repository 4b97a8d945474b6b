import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../config/harness-config.js';
import { HarnessError, type InputProblem } from '../errors.js';
import { describeRef, parseHubDatasetName } from '../instance/dataset-name.js';
import type { HubEndpoints } from '../instance/hub-client.js';
import { fetchHubSplit } from '../instance/hub-dataset.js';
import { readJsonLines, type RawRecord } from '../instance/load-dataset.js';
import { readParquetRecords } from '../instance/parquet-records.js';
import type { TransferListener } from '../util/transfer-progress.js';
import { zodProblems } from '../util/zod-problems.js';
import { recogniseFormat } from './formats.js';
import type { Problem } from './problem.js';

/** Function-level datasets that ship with the project, by the name a user types. */
export const SHIPPED_PROBLEM_SETS: Record<string, string> = {
  humaneval: 'instances/humaneval/HumanEval.jsonl.gz',
};

export interface ProblemSet {
  problems: Problem[];
  /** Every record that could not be used, naming file, record and field; the rest go on. */
  rejected: InputProblem[];
  /** Where the problems came from: a file, or hf://owner/name@sha/config/split. */
  source: string;
}

export interface ProblemLoadOptions {
  cacheDir: string;
  split?: string;
  revision?: string;
  endpoints?: HubEndpoints;
  onProgress?: TransferListener;
}

const EXTENSIONS = ['.jsonl', '.jsonl.gz', '.json', '.json.gz', '.parquet'];

/**
 * Problems from `--dataset`: a shipped name (humaneval), a file or folder (JSONL, JSON,
 * gzipped or not, parquet), or a Hugging Face dataset `owner/name[:config][@revision]`
 * fetched through the harness's dataset cache. Each record's format is recognised by itself.
 */
export async function loadProblems(target: string, opts: ProblemLoadOptions): Promise<ProblemSet> {
  const shipped = SHIPPED_PROBLEM_SETS[target.toLowerCase()];
  const file = shipped ? path.join(PROJECT_ROOT, shipped) : target.replace(/^file:/, '');
  if (existsSync(file)) {
    const rejected: InputProblem[] = [];
    const records: RawRecord[] = [];
    for (const f of problemFiles(file)) records.push(...(await readRecords(f, rejected)));
    const set = validateProblemRecords(records);
    return { problems: set.problems, rejected: [...rejected, ...set.rejected], source: file };
  }
  return loadFromHub(target, opts);
}

async function loadFromHub(target: string, opts: ProblemLoadOptions): Promise<ProblemSet> {
  // MultiPL-E and LiveCodeBench name a config (humaneval-js, release_v1): owner/name:config.
  const configMatch = /^(.*?):([\w.-]+)(@[\w./-]+)?$/.exec(target.replace(/^hf:\/\//, ''));
  const name = configMatch ? `${configMatch[1]}${configMatch[3] ?? ''}` : target;
  const ref = parseHubDatasetName(name, { split: opts.split, revision: opts.revision });
  if (!ref) throw new HarnessError('DATASET_INVALID', `no such file or folder, and not a dataset name (owner/name[:config][@revision], or ${Object.keys(SHIPPED_PROBLEM_SETS).join(', ')})`, { file: target });
  if (configMatch) ref.config = configMatch[2];
  const split = await fetchHubSplit(ref, opts);
  const label = `hf://${ref.id}@${split.sha.slice(0, 12)}/${split.config}/${ref.split}`;
  const files = split.files.map((f, i) => ({ path: f, label: split.files.length > 1 ? `${label}#${i}` : label }));
  const records = await readParquetRecords(files, describeRef(ref, split.sha), { columns: [], kind: 'a function-level dataset' });
  return { ...validateProblemRecords(records), source: label };
}

/**
 * Validates raw records: each one's format recognised, checked by that format's schema, and
 * converted; every problem kept with its position, duplicate task ids refused.
 */
export function validateProblemRecords(records: RawRecord[]): Omit<ProblemSet, 'source'> {
  const problems: Problem[] = [];
  const rejected: InputProblem[] = [];
  const seen = new Map<string, string>();
  for (const record of records) {
    const where = { file: record.file, location: record.location };
    const value = record.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      rejected.push({ ...where, message: 'expected an object' });
      continue;
    }
    // Parquet has a null where a JSONL record has no field: read both as absent.
    const fields = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
    const instanceId = [fields.task_id, fields.name, fields.question_id].find((v) => typeof v === 'string' || typeof v === 'number');
    const def = recogniseFormat(fields);
    if (!def) {
      rejected.push({ ...where, instanceId: instanceId?.toString(), message: `not a known function-level format (fields: ${Object.keys(fields).slice(0, 12).join(', ')})` });
      continue;
    }
    const parsed = def.schema.safeParse(fields);
    if (!parsed.success) {
      for (const p of zodProblems(parsed.error)) rejected.push({ ...where, instanceId: instanceId?.toString(), field: p.field, message: `${p.message} (${def.format})` });
      continue;
    }
    const problem = def.toProblem(parsed.data as never);
    const key = `${problem.language}\u0000${problem.task_id}`;
    const first = seen.get(key);
    if (first) {
      rejected.push({ ...where, instanceId: problem.task_id, field: 'task_id', message: `duplicate task id (first at ${first})` });
      continue;
    }
    seen.set(key, `${record.file}:${record.location}`);
    problems.push(problem);
  }
  return { problems, rejected };
}

function problemFiles(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  const files = readdirSync(target)
    .filter((name) => EXTENSIONS.some((ext) => name.endsWith(ext)))
    .sort()
    .map((name) => path.join(target, name));
  if (files.length === 0) throw new HarnessError('DATASET_INVALID', `no ${EXTENSIONS.join(' ')} files in folder`, { file: target });
  return files;
}

async function readRecords(file: string, rejected: InputProblem[]): Promise<RawRecord[]> {
  if (file.endsWith('.parquet')) return readParquetRecords([{ path: file, label: file }], file, { columns: [], kind: 'a function-level dataset' });
  let text: string;
  try {
    const bytes = readFileSync(file);
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (cause) {
    rejected.push({ file, message: `cannot read: ${(cause as Error).message}` });
    return [];
  }
  if (/\.jsonl(\.gz)?$/.test(file)) return readJsonLines(file, text, rejected);
  try {
    const value: unknown = JSON.parse(text);
    return (Array.isArray(value) ? value : [value]).map((item, i) => ({ file, location: `[${i}]`, value: item as unknown }));
  } catch (cause) {
    rejected.push({ file, message: `not valid JSON: ${(cause as Error).message}` });
    return [];
  }
}
