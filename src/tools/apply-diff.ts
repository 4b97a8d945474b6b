import { z } from 'zod';
import { applyUnifiedDiff, type FileChange } from '../patch/apply-unified-diff.js';
import { formatHunkFailures } from '../patch/format-hunk-failures.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { shellQuote } from '../util/shell.js';
import { afterEdit } from './after-edit.js';
import { defineTool } from './tool.js';

const parameters = z.object({
  diff: z.string().min(1).describe('A unified diff: `--- a/<path>` and `+++ b/<path>` lines, then `@@ -l,n +l,n @@` hunks with context lines. Paths relative to the repository root.'),
});

/** Writes the changes; reached only when every hunk applied, so a diff is all or nothing. */
async function writeChanges(sandbox: Sandbox, changes: FileChange[]): Promise<void> {
  for (const change of changes) {
    if (change.after === null) {
      const result = await sandbox.exec(`rm -f ${shellQuote(change.path)}`);
      if (result.exitCode !== 0) throw new Error(`could not delete ${change.path}: ${result.output.slice(0, 300)}`);
    } else {
      await sandbox.writeFile(change.path, change.after);
    }
  }
}

export function describeChange(change: FileChange): string {
  if (change.before === null) return `created ${change.path}`;
  if (change.after === null) return `deleted ${change.path}`;
  return `modified ${change.path}`;
}

export const applyDiffTool = defineTool({
  id: 'apply_diff',
  description: [
    'Applies a unified diff (as `git diff` or `diff -u` write it) to the repository: several files and hunks at once, creating files (`--- /dev/null`) and deleting them (`+++ /dev/null`).',
    'Context lines must match the files as they are now; line numbers in `@@` headers may be off, and hunk counts are recounted. Either every hunk applies or nothing is written: on failure you get which hunk of which file failed and why, so fix that hunk and send the whole diff again.',
    'For one small change, edit is simpler.',
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const readFile = async (path: string) => (await ctx.sandbox.readFile(path))?.toString('utf8') ?? null;
    const result = await applyUnifiedDiff(args.diff, readFile);
    if (!result.ok) return { isError: true, output: `${formatHunkFailures(result.failures)}\n\nNothing was written.` };
    if (result.changes.length === 0) return { output: 'the diff applied but changes nothing (the files already read that way)' };
    await writeChanges(ctx.sandbox, result.changes);
    const summary = `applied the diff:\n${result.changes.map((c) => `  ${describeChange(c)}`).join('\n')}`;
    return afterEdit(summary, result.changes.map((c) => ({ path: c.path, content: c.after, before: c.before })));
  },
});
