import { z } from 'zod';
import type { IoCase, IoOracle, Problem, ProblemFormat, ProblemLanguage } from './problem.js';
import { decodeTestCases } from './test-cases.js';

/**
 * The source formats of function-level datasets, each a zod schema of the record as published
 * and a conversion to `Problem`. Unknown extra fields are allowed: datasets add columns.
 */

/** A list that some copies store as a JSON-encoded string (Hugging Face parquet conversions). */
function jsonList<T extends z.ZodTypeAny>(item: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, z.array(item));
}

const taskId = z.union([z.string().min(1), z.number().int()]).transform(String);

const humanEval = z.object({
  task_id: taskId,
  prompt: z.string(),
  canonical_solution: z.string().optional(),
  test: z.string().min(1),
  entry_point: z.string().min(1),
});

const mbpp = z
  .object({
    task_id: taskId,
    /** The full config calls the description `text`, the sanitized one `prompt`. */
    text: z.string().optional(),
    prompt: z.string().optional(),
    code: z.string().optional(),
    test_list: jsonList(z.string()).refine((l) => l.length > 0, 'needs at least one test'),
    test_setup_code: z.string().default(''),
    test_imports: jsonList(z.string()).default([]),
    challenge_test_list: jsonList(z.string()).default([]),
    /** MBPP+ as the hub publishes it (evalplus/mbppplus): EvalPlus's test program, base and plus inputs. */
    test: z.string().optional(),
  })
  .refine((r) => r.text !== undefined || r.prompt !== undefined, { message: 'needs text (or prompt)', path: ['text'] });

const evalPlus = z.object({
  task_id: taskId,
  prompt: z.string(),
  canonical_solution: z.string().min(1),
  entry_point: z.string().min(1),
  base_input: jsonList(z.array(z.unknown())),
  plus_input: jsonList(z.array(z.unknown())).default([]),
  atol: z.number().nonnegative().nullish().transform((v) => v ?? 0),
});

/** EvalPlus's special oracles, by dataset (the task id's prefix) and entry point, as EvalPlus picks them. */
const EVALPLUS_ORACLES: Record<'humaneval' | 'mbpp', Record<string, IoOracle>> = {
  humaneval: { find_zero: 'polynomial-root' },
  mbpp: {
    are_equivalent: 'any-output',
    sum_div: 'or-zero',
    surface_Area: 'or-pyramid-surface',
    digit_distance_nums: 'or-digit-distance',
    ...Object.fromEntries(['similar_elements', 'find_char_long', 'common_in_nested_lists', 'extract_singly', 'larg_nnum', 'intersection_array', 'find_dissimilar', 'Diff'].map((f) => [f, 'same-set' as const])),
    ...Object.fromEntries(['check_str', 'text_match_three', 'text_starta_endb'].map((f) => [f, 'not-none' as const])),
  },
};

function evalPlusOracle(taskId: string, entryPoint: string): IoOracle | undefined {
  const dataset = /^humaneval\//i.test(taskId) ? 'humaneval' : /^mbpp\//i.test(taskId) ? 'mbpp' : undefined;
  return dataset ? EVALPLUS_ORACLES[dataset][entryPoint] : undefined;
}

const multiplE = z.object({
  name: z.string().min(1),
  language: z.string().min(1),
  prompt: z.string(),
  tests: z.string().min(1),
  stop_tokens: jsonList(z.string()).default([]),
});

const testCase = z.object({ input: z.string(), output: z.string(), testtype: z.enum(['stdin', 'functional']).default('stdin') });

const liveCodeBench = z.object({
  question_id: taskId,
  question_title: z.string().optional(),
  question_content: z.string().min(1),
  starter_code: z.string().default(''),
  public_test_cases: z.preprocess(decodeTestCases, z.array(testCase)),
  private_test_cases: z.preprocess(decodeTestCases, z.array(testCase)).default([]),
  contest_date: z.string().optional(),
  /** JSON with `func_name` for functional (LeetCode-style) problems. */
  metadata: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
});

/** MultiPL-E's language names (file extensions; Go's is go_test.go) as ours. */
const MULTIPLE_LANGUAGES: Record<string, ProblemLanguage> = { py: 'python', js: 'javascript', ts: 'typescript', go: 'go', 'go_test.go': 'go' };

function mbppPrompt(text: string, tests: string[]): string {
  return `${text}\nYour code should pass these tests:\n\n${tests.join('\n')}\n`;
}

function funcName(metadata: string | Record<string, unknown> | undefined): string | undefined {
  if (metadata === undefined) return undefined;
  try {
    const value = typeof metadata === 'string' ? (JSON.parse(metadata) as Record<string, unknown>) : metadata;
    return typeof value.func_name === 'string' && value.func_name ? value.func_name : undefined;
  } catch {
    return undefined;
  }
}

/** Each format: how a record is recognised, its schema, and the Problem it becomes. */
interface FormatDef {
  format: ProblemFormat;
  recognise(record: Record<string, unknown>): boolean;
  schema: z.ZodTypeAny;
  toProblem(record: never): Problem;
}

export const FORMATS: readonly FormatDef[] = [
  {
    format: 'evalplus',
    recognise: (r) => 'base_input' in r,
    schema: evalPlus,
    toProblem: (r: z.infer<typeof evalPlus>): Problem => ({
      task_id: r.task_id,
      language: 'python',
      prompt: r.prompt,
      entry_point: r.entry_point,
      canonical_solution: r.canonical_solution,
      format: 'evalplus',
      check: { kind: 'io', program: 'prompt+completion', entry_point: r.entry_point, base_input: r.base_input, plus_input: r.plus_input, atol: r.atol, oracle: evalPlusOracle(r.task_id, r.entry_point) },
    }),
  },
  {
    format: 'livecodebench',
    recognise: (r) => 'question_content' in r,
    schema: liveCodeBench,
    toProblem: (r: z.infer<typeof liveCodeBench>): Problem => {
      const cases: IoCase[] = [...r.public_test_cases, ...r.private_test_cases].map(({ input, output }) => ({ input, output }));
      const functional = [...r.public_test_cases, ...r.private_test_cases].some((c) => c.testtype === 'functional');
      const starter = r.starter_code ? `\n\n${r.starter_code}\n` : '';
      return {
        task_id: r.question_id,
        language: 'python',
        prompt: `${r.question_content}${starter}`,
        release_date: r.contest_date ? r.contest_date.slice(0, 10) : undefined,
        format: 'livecodebench',
        check: { kind: 'stdio', program: 'completion', cases, fn_name: functional ? funcName(r.metadata) : undefined },
      };
    },
  },
  {
    format: 'multipl-e',
    recognise: (r) => 'tests' in r && 'name' in r && 'language' in r,
    schema: multiplE,
    toProblem: (r: z.infer<typeof multiplE>): Problem => ({
      task_id: r.name,
      language: MULTIPLE_LANGUAGES[r.language] ?? r.language,
      prompt: r.prompt,
      stop_tokens: r.stop_tokens,
      format: 'multipl-e',
      check: { kind: 'test-program', program: 'prompt+completion', test: r.tests },
    }),
  },
  {
    format: 'mbpp',
    recognise: (r) => 'test_list' in r,
    schema: mbpp,
    toProblem: (r: z.infer<typeof mbpp>): Problem => ({
      task_id: r.task_id,
      language: 'python',
      prompt: mbppPrompt(r.text ?? r.prompt ?? '', r.test_list),
      canonical_solution: r.code,
      format: 'mbpp',
      // MBPP+'s test program, when the record has one, judges in place of the three base asserts.
      check: r.test?.trim()
        ? { kind: 'test-program', program: 'completion', test: [...r.test_imports, r.test].join('\n') }
        : { kind: 'asserts', program: 'completion', setup: [...r.test_imports, r.test_setup_code].filter(Boolean).join('\n'), asserts: r.test_list, challenge: r.challenge_test_list },
    }),
  },
  {
    format: 'humaneval',
    recognise: (r) => 'test' in r && 'entry_point' in r,
    schema: humanEval,
    toProblem: (r: z.infer<typeof humanEval>): Problem => ({
      task_id: r.task_id,
      language: 'python',
      prompt: r.prompt,
      entry_point: r.entry_point,
      canonical_solution: r.canonical_solution,
      stop_tokens: ['\ndef ', '\nclass ', '\nif __name__', '\nprint(', '\n#'],
      format: 'humaneval',
      check: { kind: 'test-program', program: 'prompt+completion', test: r.test, call: r.entry_point },
    }),
  },
];

/** The format a record is in, by the fields that only it has; undefined when none fits. */
export function recogniseFormat(record: Record<string, unknown>): FormatDef | undefined {
  return FORMATS.find((f) => f.recognise(record));
}
