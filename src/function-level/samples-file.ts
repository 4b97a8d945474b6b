import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { HarnessError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { Sample } from './problem.js';

/** What `generate` writes per line: HumanEval's sample with ours, and the model's raw answer. */
export interface GeneratedSample extends Sample {
  /** The answer before extraction, to check what extraction made of it. */
  raw_answer?: string;
}

export const sampleKey = (s: Pick<Sample, 'task_id' | 'sample_index'>) => `${s.task_id}#${s.sample_index}`;

/**
 * The samples of a JSONL file (HumanEval's `{task_id, completion}` lines; sample_index counted
 * per task when absent). A last line cut off by a crash is dropped; any other bad line is an
 * error naming the file and line.
 */
export function readSamples(file: string): GeneratedSample[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  const samples: GeneratedSample[] = [];
  const perTask = new Map<string, number>();
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let parsed: Partial<GeneratedSample>;
    try {
      parsed = JSON.parse(line) as Partial<GeneratedSample>;
    } catch (err) {
      if (i === lines.length - 1) return; // a partial last line: its pair is generated again
      throw new HarnessError('PREDICTIONS_INVALID', `${file}:${i + 1}: not JSON`, { file }, { cause: err });
    }
    if (typeof parsed.task_id !== 'string' || typeof parsed.completion !== 'string') {
      throw new HarnessError('PREDICTIONS_INVALID', `${file}:${i + 1}: a sample needs string task_id and completion`, { file, field: 'task_id' });
    }
    const index = typeof parsed.sample_index === 'number' ? parsed.sample_index : (perTask.get(parsed.task_id) ?? 0);
    perTask.set(parsed.task_id, index + 1);
    samples.push({ ...parsed, task_id: parsed.task_id, completion: parsed.completion, sample_index: index });
  });
  return samples;
}

/** Rewrites the file with only its whole lines, so appends never glue onto a cut-off line. */
export function repairSamplesFile(file: string, samples: GeneratedSample[]): void {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (text === '' || text.endsWith('\n')) return;
  writeFileAtomic(file, samples.map((s) => `${JSON.stringify(s)}\n`).join(''));
}

/** One line per finished sample, appended as it finishes, so an interruption loses at most one. */
export function appendSample(file: string, sample: GeneratedSample): void {
  appendFileSync(file, `${JSON.stringify(sample)}\n`);
}
