import type { z } from 'zod';

/** A zod error as (field path, message) pairs, every problem at once. */
export function zodProblems(error: z.ZodError): Array<{ field: string; message: string }> {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}
