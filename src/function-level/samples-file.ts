import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { InputError, type InputProblem } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { Sample } from './problem.js';
import { NO_SUCH_TASK, validateSamples } from './samples.js';

/** What `generate` writes per line: HumanEval's sample with ours, and the model's raw answer. */
export interface GeneratedSample extends Sample {
  /** The answer before extraction, to check what extraction made of it. */
  raw_answer?: string;
}

export const sampleKey = (s: Pick<Sample, 'task_id' | 'sample_index'>) => `${s.task_id}#${s.sample_index}`;

/**
 * The samples already in a file being generated into, read by the one samples reader
 * (samples.ts). A last line cut off by a crash is dropped (its pair is drawn again); any other
 * bad line is an error naming the file and line, since appending after it would hide it.
 */
export function readSamples(file: string, taskIds: ReadonlySet<string>): GeneratedSample[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lastLine = String(text.replace(/\n$/, '').split('\n').length);
  const set = validateSamples(file, text, new Set(taskIds));
  const cutOff = (p: InputProblem) => p.location === lastLine && !text.endsWith('\n');
  // Samples of tasks outside this selection stay in the file untouched.
  const otherTask = (p: InputProblem) => p.field === 'task_id' && p.message === NO_SUCH_TASK;
  const bad = set.rejected.filter((p) => !cutOff(p) && !otherTask(p));
  if (bad.length > 0) throw new InputError('PREDICTIONS_INVALID', bad);
  return set.samples;
}

/** Cuts a last line left half-written by a crash, so appends never glue onto it. */
export function repairSamplesFile(file: string): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (text === '' || text.endsWith('\n')) return;
  writeFileAtomic(file, text.slice(0, text.lastIndexOf('\n') + 1));
}

/** One line per finished sample, appended as it finishes, so an interruption loses at most one. */
export function appendSample(file: string, sample: GeneratedSample): void {
  appendFileSync(file, `${JSON.stringify(sample)}\n`);
}
