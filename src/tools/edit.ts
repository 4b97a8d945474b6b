import { z } from 'zod';
import { afterEdit } from './after-edit.js';
import { replaceExact } from './edit-text.js';
import { repoPath } from './sandbox-path.js';
import { readTextFile, unreadableMessage } from './text-file.js';
import { defineTool } from './tool.js';

const parameters = z.object({
  path: z.string().min(1).describe('File to edit, relative to the repository root.'),
  old_string: z.string().min(1).describe('The exact text to replace, whitespace and indentation included, with enough surrounding lines to be unique in the file. No line numbers.'),
  new_string: z.string().describe('The text to put in its place (empty to delete it).'),
  replace_all: z.boolean().optional().describe('Replace every occurrence instead of requiring exactly one. Default false.'),
});

export const editTool = defineTool({
  id: 'edit',
  description: [
    'Replaces an exact piece of text in one existing file. old_string must occur exactly once (or set replace_all); copy it from read_file output without the line numbers, with its indentation, and add neighbouring lines if it is not unique.',
    'When it does not match you are told the closest line or where the repeats are. Use write_file to create a file, apply_diff for many changes at once.',
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const path = repoPath(args.path, ctx.sandbox.workdir, { file: true });
    const file = await readTextFile(ctx.sandbox, path);
    if (file.kind !== 'text') {
      const hint = file.kind === 'missing' && !file.isDirectory ? ' (to create a file, use write_file)' : '';
      return { isError: true, output: unreadableMessage(path, file) + hint };
    }
    const replaced = replaceExact(file.text, args.old_string, args.new_string, args.replace_all);
    if (!replaced.ok) return { isError: true, output: `${path}: ${replaced.reason}` };
    await ctx.sandbox.writeFile(path, replaced.text);
    const what = replaced.count === 1 ? 'replaced 1 occurrence' : `replaced ${replaced.count} occurrences`;
    return afterEdit(`edited ${path}: ${what}`, [{ path, content: replaced.text, before: file.text }]);
  },
});
