import { z } from 'zod';

/**
 * FAIL_TO_PASS / PASS_TO_PASS come as arrays, or as JSON-encoded strings of arrays (the
 * Hugging Face copies of SWE-bench). Both are accepted; the result is always an array.
 */
const testList = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // left as a string so the array check below reports it
    }
  },
  z.array(z.string(), { error: 'expected a list of test names (an array, or a JSON-encoded array)' }),
);

/** SWE-bench's fields, then our optional additions. */
export const instanceSchema = z
  .object({
    instance_id: z.string().regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected owner/name'),
    base_commit: z.string().regex(/^[0-9a-f]{7,40}$/, 'expected a commit hash'),
    patch: z.string(),
    test_patch: z.string(),
    problem_statement: z.string(),
    hints_text: z.string().default(''),
    created_at: z.string().default(''),
    // A number here is almost always YAML reading "1.10" as 1.1: refuse it rather than guess.
    version: z.string({ error: 'expected a string; quote it (YAML reads 1.10 as the number 1.1)' }).min(1),
    FAIL_TO_PASS: testList,
    PASS_TO_PASS: testList,
    environment_setup_commit: z.string().optional(),
    /** Ours: where the repository comes from (git URL, path, or .bundle), relative to the file. */
    repo_source: z.string().optional(),
  })
  .passthrough();

export type Instance = z.infer<typeof instanceSchema>;
