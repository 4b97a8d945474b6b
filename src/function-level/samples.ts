import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HarnessError, type InputProblem } from '../errors.js';
import { zodProblems } from '../util/zod-problems.js';
import type { Problem, Sample } from './problem.js';

/**
 * Samples to execute: a JSONL file of `{task_id, completion}` (HumanEval's format) or
 * `{task_id, solution}` (EvalPlus's whole program; it wins when both are there, as in
 * EvalPlus) with our optional fields, or `canonical` (each problem's reference solution) or
 * `empty` (an empty completion), which stand for the reference and the null model as
 * gold/empty do for patches.
 */
const sampleSchema = z
  .object({
    task_id: z.union([z.string().min(1), z.number().int()]).transform(String),
    sample_index: z.number().int().nonnegative().optional(),
    completion: z.string().optional(),
    solution: z.string().optional(),
    model: z.string().optional(),
    prompt_tokens: z.number().nonnegative().optional(),
    completion_tokens: z.number().nonnegative().optional(),
    cost_usd: z.number().nonnegative().optional(),
  })
  .refine((s) => s.completion !== undefined || s.solution !== undefined, { message: 'a sample needs a completion (HumanEval) or a solution (EvalPlus)', path: ['completion'] });

export const NO_SUCH_TASK = 'no such task in the dataset';

export interface SampleSet {
  samples: Sample[];
  rejected: InputProblem[];
}

export function loadSamples(source: string, problems: Problem[]): SampleSet {
  if (source === 'canonical') return canonicalSamples(problems);
  if (source === 'empty') return { samples: problems.map((p) => ({ task_id: p.task_id, sample_index: 0, completion: '' })), rejected: [] };
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (cause) {
    throw new HarnessError('PREDICTIONS_INVALID', `cannot read samples: ${(cause as Error).message}`, { file: source }, { cause });
  }
  return validateSamples(source, text, new Set(problems.map((p) => p.task_id)));
}

function canonicalSamples(problems: Problem[]): SampleSet {
  const samples: Sample[] = [];
  const rejected: InputProblem[] = [];
  for (const p of problems) {
    if (p.canonical_solution === undefined) rejected.push({ file: 'canonical', instanceId: p.task_id, field: 'canonical_solution', message: `the ${p.format} problem has no reference solution` });
    else samples.push({ task_id: p.task_id, sample_index: 0, completion: p.canonical_solution, model: 'canonical' });
  }
  return { samples, rejected };
}

/** Every line checked; a sample without an index gets the next one of its task, in file order. */
export function validateSamples(file: string, text: string, taskIds: Set<string>): SampleSet {
  const samples: Sample[] = [];
  const rejected: InputProblem[] = [];
  const nextIndex = new Map<string, number>();
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const location = String(i + 1);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (cause) {
      rejected.push({ file, location, message: `not valid JSON: ${(cause as Error).message}` });
      return;
    }
    const parsed = sampleSchema.safeParse(value);
    if (!parsed.success) {
      const id = (value as { task_id?: unknown } | null)?.task_id;
      for (const p of zodProblems(parsed.error)) rejected.push({ file, location, instanceId: typeof id === 'string' ? id : undefined, field: p.field, message: p.message });
      return;
    }
    const s = parsed.data;
    if (!taskIds.has(s.task_id)) {
      rejected.push({ file, location, instanceId: s.task_id, field: 'task_id', message: NO_SUCH_TASK });
      return;
    }
    const index = s.sample_index ?? nextIndex.get(s.task_id) ?? 0;
    const key = `${s.task_id}\u0000${index}`;
    if (seen.has(key)) {
      rejected.push({ file, location, instanceId: s.task_id, field: 'sample_index', message: `duplicate sample ${index} of the task` });
      return;
    }
    seen.add(key);
    nextIndex.set(s.task_id, Math.max(nextIndex.get(s.task_id) ?? 0, index + 1));
    samples.push({ ...s, completion: s.completion ?? '', sample_index: index });
  });
  return { samples, rejected };
}
