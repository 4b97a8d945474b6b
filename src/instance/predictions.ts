import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { zodProblems } from '../util/zod-problems.js';
import { HarnessError, type InputProblem } from '../errors.js';
import { safeName, type Instance } from './instance-schema.js';

/**
 * A model's name is printed and names the report folder (encoded there by modelDirName, as
 * SWE-bench turns `/` into `__`); here it only has to be printable and of a sane length.
 */
const modelName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters (newline, NUL, escape)');

export const predictionSchema = z
  .object({
    instance_id: safeName,
    model_name_or_path: modelName.default('unknown'),
    /** null or missing: the model gave no patch (SWE-bench's patch_is_None). */
    model_patch: z.string().nullable().default(null),
    /**
     * Ours: the agent's episode ended by a failure (its code and message), so model_patch is no
     * answer (null when it could not even be read). Graded as that error, never as a verdict.
     */
    episode_error: z.object({ code: z.string().min(1), message: z.string() }).optional(),
  })
  .passthrough();

export type Prediction = z.infer<typeof predictionSchema>;

export interface Predictions {
  byId: Map<string, Prediction>;
  problems: InputProblem[];
}

/**
 * `gold` and `empty` stand for the reference patch and no patch; anything else is a file:
 * JSONL (one prediction a line), a JSON array, or a JSON object keyed by instance_id.
 */
export function loadPredictions(source: string, instances: Instance[]): Predictions {
  if (source === 'gold' || source === 'empty') {
    const byId = new Map(
      instances.map((i) => [i.instance_id, { instance_id: i.instance_id, model_name_or_path: source, model_patch: source === 'gold' ? i.patch : '' }]),
    );
    return { byId, problems: [] };
  }
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (cause) {
    throw new HarnessError('PREDICTIONS_INVALID', `cannot read predictions: ${(cause as Error).message}`, { file: source }, { cause });
  }
  const problems: InputProblem[] = [];
  const records = source.endsWith('.jsonl') ? jsonLines(source, text, problems) : jsonRecords(source, text, problems);
  const known = new Set(instances.map((i) => i.instance_id));
  const byId = new Map<string, Prediction>();
  for (const { location, value } of records) {
    const result = predictionSchema.safeParse(value);
    const rawId = (value as { instance_id?: unknown } | null)?.instance_id;
    const instanceId = typeof rawId === 'string' ? rawId : undefined;
    if (!result.success) {
      for (const p of zodProblems(result.error)) problems.push({ file: source, location, instanceId, field: p.field, message: p.message });
      continue;
    }
    const prediction = result.data;
    if (!known.has(prediction.instance_id)) {
      problems.push({ file: source, location, instanceId, field: 'instance_id', message: 'no such instance in the dataset' });
    } else if (byId.has(prediction.instance_id)) {
      problems.push({ file: source, location, instanceId, field: 'instance_id', message: 'duplicate prediction; the first is used' });
    } else {
      byId.set(prediction.instance_id, prediction);
    }
  }
  return { byId, problems };
}

interface Located {
  location: string;
  value: unknown;
}

function jsonLines(file: string, text: string, problems: InputProblem[]): Located[] {
  const out: Located[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push({ location: `${i + 1}`, value: JSON.parse(line) });
    } catch (cause) {
      problems.push({ file, location: `${i + 1}`, message: `not valid JSON: ${(cause as Error).message}` });
    }
  });
  return out;
}

function jsonRecords(file: string, text: string, problems: InputProblem[]): Located[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    // A .json file that is really JSONL is common enough to accept.
    if (text.trim().split('\n').length > 1) return jsonLines(file, text, problems);
    problems.push({ file, message: `not valid JSON: ${(cause as Error).message}` });
    return [];
  }
  if (Array.isArray(value)) return value.map((v, i) => ({ location: `[${i}]`, value: v }));
  if (value && typeof value === 'object') {
    return Object.entries(value).map(([id, v]) => ({
      location: id,
      value: v && typeof v === 'object' && !('instance_id' in v) ? { instance_id: id, ...v } : v,
    }));
  }
  problems.push({ file, message: 'expected a JSON array or an object keyed by instance_id' });
  return [];
}
