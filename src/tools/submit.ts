import { z } from 'zod';
import { patchFiles } from '../test-spec/patch-files.js';
import { defineTool } from './tool.js';

const parameters = z.object({
  note: z.string().optional().describe('Optional: one or two sentences on what you changed and why.'),
});

export const submitTool = defineTool({
  id: 'submit',
  description: [
    'Ends your work: the current changes to the repository (everything `git diff` against the starting commit shows, new files included) are your answer, and no further tools can be called.',
    'Call it once the fix is made and tested. Remove scratch files (reproduction scripts) first if they should not be part of the answer.',
  ].join(' '),
  parameters,
  async execute(_args, ctx) {
    const diff = await ctx.sandbox.diff();
    if (diff.trim() === '') return { submitted: true, output: 'submitted, but the diff is empty: no file was changed' };
    const { modified, added } = patchFiles(diff);
    const files = [...new Set([...modified, ...added])];
    const lines = diff.replace(/\n$/, '').split('\n').length;
    return { submitted: true, output: `submitted: ${files.length} file(s) changed, ${lines} lines of diff (${files.join(', ')})` };
  },
});
