import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { zodProblems } from '../util/zod-problems.js';
import { HarnessError, type InputProblem } from '../errors.js';
import { instanceSchema, type Instance } from './instance-schema.js';

export interface Dataset {
  instances: Instance[];
  /** Every record that could not be used, with file, position, instance id and field. */
  problems: InputProblem[];
}

/** One record as read, before validation: where it came from and its raw value. */
export interface RawRecord {
  file: string;
  location: string;
  value: unknown;
}

const DATASET_EXTENSIONS = ['.json', '.jsonl', '.yaml', '.yml'];

/**
 * Reads a dataset: a SWE-bench JSON array, JSONL, our YAML (one instance a file or a list),
 * or a folder of such files. Bad records are reported all at once and the good ones are kept,
 * so one broken line does not stop a batch.
 */
export function loadDataset(target: string): Dataset {
  const files = datasetFiles(target);
  const problems: InputProblem[] = [];
  const records = files.flatMap((file) => readRecords(file, problems));
  const dataset = validateRecords(records);
  return { instances: dataset.instances.map((i, n) => resolveRepoSource(i, dataset.files[n] as string)), problems: [...problems, ...dataset.problems] };
}

/**
 * Validates raw records from any source (files, a Hugging Face dataset): the same zod schema,
 * every problem kept with its position, duplicates refused. `files` gives each instance's file.
 */
export function validateRecords(records: RawRecord[]): Dataset & { files: string[] } {
  const problems: InputProblem[] = [];
  const instances: Instance[] = [];
  const files: string[] = [];
  const seen = new Map<string, string>();
  for (const record of records) {
    const instance = validateRecord(record, problems);
    if (!instance) continue;
    const where = `${record.file}:${record.location}`;
    const first = seen.get(instance.instance_id);
    if (first) {
      problems.push({ ...at(record), instanceId: instance.instance_id, field: 'instance_id', message: `duplicate id (first at ${first})` });
      continue;
    }
    seen.set(instance.instance_id, where);
    instances.push(instance);
    files.push(record.file);
  }
  return { instances, problems, files };
}

function datasetFiles(target: string): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new HarnessError('DATASET_INVALID', 'no such file or folder', { file: target });
  }
  if (!stat.isDirectory()) return [target];
  const files = readdirSync(target)
    .filter((name) => DATASET_EXTENSIONS.includes(path.extname(name)))
    .sort()
    .map((name) => path.join(target, name));
  if (files.length === 0) throw new HarnessError('DATASET_INVALID', `no ${DATASET_EXTENSIONS.join(' ')} files in folder`, { file: target });
  return files;
}

function readRecords(file: string, problems: InputProblem[]): RawRecord[] {
  const text = readFileSync(file, 'utf8');
  const ext = path.extname(file);
  if (ext === '.jsonl') return readJsonLines(file, text, problems);
  if (ext === '.yaml' || ext === '.yml') return readYaml(file, text, problems);
  try {
    const value: unknown = JSON.parse(text);
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, i) => ({ file, location: `[${i}]`, value: item }));
  } catch (cause) {
    problems.push({ file, message: `not valid JSON: ${(cause as Error).message}` });
    return [];
  }
}

/** One record per non-blank line; a line that is not JSON is a problem naming file and line. */
export function readJsonLines(file: string, text: string, problems: InputProblem[]): RawRecord[] {
  const records: RawRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push({ file, location: `${i + 1}`, value: JSON.parse(line) });
    } catch (cause) {
      problems.push({ file, location: `${i + 1}`, message: `not valid JSON: ${(cause as Error).message}` });
    }
  });
  return records;
}

function readYaml(file: string, text: string, problems: InputProblem[]): RawRecord[] {
  const records: RawRecord[] = [];
  parseAllDocuments(text).forEach((doc, d) => {
    const docLine = `doc ${d + 1}`;
    if (doc.errors.length > 0) {
      problems.push({ file, location: docLine, message: `not valid YAML: ${doc.errors[0]?.message}` });
      return;
    }
    const value: unknown = doc.toJS();
    if (value == null) return;
    const list = Array.isArray(value) ? value : [value];
    list.forEach((item, i) => records.push({ file, location: list.length > 1 ? `${docLine}[${i}]` : docLine, value: item }));
  });
  return records;
}

function at(record: RawRecord): Pick<InputProblem, 'file' | 'location'> {
  return { file: record.file, location: record.location };
}

function validateRecord(record: RawRecord, problems: InputProblem[]): Instance | undefined {
  const result = instanceSchema.safeParse(record.value);
  if (result.success) return result.data;
  const raw = record.value as { instance_id?: unknown } | null;
  const instanceId = typeof raw?.instance_id === 'string' ? raw.instance_id : undefined;
  for (const p of zodProblems(result.error)) problems.push({ ...at(record), instanceId, field: p.field, message: p.message });
  return undefined;
}

/** A relative repo_source is relative to the file that names it. */
function resolveRepoSource(instance: Instance, file: string): Instance {
  const source = instance.repo_source;
  if (!source || /^[a-z]+:\/\//i.test(source) || source.includes('@') || path.isAbsolute(source)) return instance;
  return { ...instance, repo_source: path.resolve(path.dirname(file), source) };
}
