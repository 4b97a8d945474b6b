import { z } from 'zod';
import { shellQuote } from '../util/shell.js';
import { afterEdit } from './after-edit.js';
import { repoPath } from './sandbox-path.js';
import { defineTool } from './tool.js';

const parameters = z.object({
  path: z.string().min(1).describe('File to write, relative to the repository root; missing directories are made.'),
  content: z.string().describe('The complete new content of the file.'),
});

export const writeFileTool = defineTool({
  id: 'write_file',
  description: [
    'Creates a file, or replaces the whole content of an existing one, with the given text. Use it for new files (a reproduction script, a new test, a new module).',
    'To change part of an existing file, prefer edit or apply_diff: rewriting a whole file risks losing lines you did not mean to touch.',
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const path = repoPath(args.path, ctx.sandbox.workdir, { file: true });
    const probe = await ctx.sandbox.exec(`test -d ${shellQuote(path)} && echo dir || { test -e ${shellQuote(path)} && echo file; }`);
    if (probe.output.trim() === 'dir') return { isError: true, output: `\`${path}\` is a directory; give a file path` };
    await ctx.sandbox.writeFile(path, args.content);
    const lines = args.content === '' ? 0 : args.content.replace(/\n$/, '').split('\n').length;
    const verb = probe.output.trim() === 'file' ? 'overwrote' : 'created';
    return afterEdit(`${verb} ${path} (${lines} line${lines === 1 ? '' : 's'})`, [{ path, content: args.content }]);
  },
});
