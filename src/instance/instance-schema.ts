import { z } from 'zod';
import { SAFE_NAME_MAX, unsafeNameReason } from '../util/safe-path.js';

/**
 * Every field is untrusted input (datasets come from Hugging Face, other teams, mined
 * histories): a field that later becomes a folder name, an image tag, a word in a shell
 * command or a line of output is held here to a shape that is safe in all of those.
 */

/** A name that becomes a folder (runs/<run>/<model>/<instance_id>/): see util/safe-path. */
export const safeName = z.string().superRefine((value, ctx) => {
  const reason = unsafeNameReason(value);
  if (reason) ctx.addIssue({ code: 'custom', message: `${reason} (a name used as a folder)` });
});

const commitHash = z.string().regex(/^[0-9a-f]{7,40}$/, 'expected a commit hash (7 to 40 hex digits)');
/** No control characters: the value is printed, and a newline could forge a line of output. */
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

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

/** owner/name: both parts safe names, as they become the spec file and the mirror folder names. */
export const repoName = z.string().superRefine((value, ctx) => {
  const parts = value.split('/');
  if (parts.length !== 2) {
    ctx.addIssue({ code: 'custom', message: 'expected owner/name' });
    return;
  }
  for (const part of parts) {
    const reason = unsafeNameReason(part, SAFE_NAME_MAX / 2);
    if (reason) ctx.addIssue({ code: 'custom', message: `expected owner/name; ${JSON.stringify(part.slice(0, 40))} ${reason}` });
  }
});

/** SWE-bench's fields, then our optional additions. */
export const instanceSchema = z
  .object({
    instance_id: safeName,
    repo: repoName,
    base_commit: commitHash,
    patch: z.string(),
    test_patch: z.string(),
    problem_statement: z.string(),
    hints_text: z.string().default(''),
    created_at: z.string().max(100).regex(NO_CONTROL, 'no control characters').default(''),
    // A number here is almost always YAML reading "1.10" as 1.1: refuse it rather than guess.
    version: z
      .string({ error: 'expected a string; quote it (YAML reads 1.10 as the number 1.1)' })
      .min(1)
      .max(100)
      .regex(/^[\w.+-]+$/, 'letters, digits, _ . + - only'),
    FAIL_TO_PASS: testList,
    PASS_TO_PASS: testList,
    environment_setup_commit: commitHash.optional(),
    /** Ours: where the repository comes from (git URL, path, or .bundle), relative to the file. */
    repo_source: z
      .string()
      .min(1)
      .max(4096)
      .regex(NO_CONTROL, 'no control characters')
      // git would read a leading dash as an option (--upload-pack=... runs a program).
      .refine((s) => !s.startsWith('-'), 'may not start with -')
      .optional(),
  })
  .passthrough();

export type Instance = z.infer<typeof instanceSchema>;
