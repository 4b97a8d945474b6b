import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { repoPath } from './sandbox-path.js';
import { requireTextFile } from './text-file.js';
import { defineTool } from './tool.js';

const DEFAULT_LINES = 400;
const MAX_LINES = 2000;
const MAX_LINE_CHARS = 2000;

const parameters = z.object({
  path: z.string().min(1).describe('File path relative to the repository root, e.g. "src/pkg/module.py".'),
  start_line: z.number().int().min(1).optional().describe('First line to show (1-based). Default 1.'),
  end_line: z.number().int().min(1).optional().describe(`Last line to show (inclusive). Default: ${DEFAULT_LINES} lines from start_line.`),
});

/** Lines `start`..`end` (1-based, inclusive) numbered as `cat -n` does, long lines cut. */
export function numberLines(lines: string[], start: number, end: number): string {
  return lines
    .slice(start - 1, end)
    .map((line, i) => {
      const text = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)} [... line cut at ${MAX_LINE_CHARS} chars]` : line;
      return `${String(start + i).padStart(5)}\t${text}`;
    })
    .join('\n');
}

/** Which lines to show, or why the range is wrong; says how to read on when the window is cut. */
export function lineWindow(total: number, startLine?: number, endLine?: number): { start: number; end: number; note?: string } {
  const start = startLine ?? 1;
  if (start > total) throw new HarnessError('TOOL_ARGS', `start_line ${start} is past the end of the file, which has ${total} lines`);
  if (endLine !== undefined && endLine < start) throw new HarnessError('TOOL_ARGS', `end_line ${endLine} is before start_line ${start}`);
  const requested = endLine ?? start + DEFAULT_LINES - 1;
  const end = Math.min(requested, total, start + MAX_LINES - 1);
  if (start === 1 && end === total) return { start, end };
  // Cut by the default window or the cap, not by the range asked for: say how to read on.
  const cut = end < total && (endLine === undefined || end < endLine);
  const more = cut ? `; read more with start_line=${end + 1}` : '';
  return { start, end, note: `[lines ${start}-${end} of ${total}${more}]` };
}

export const readFileTool = defineTool({
  id: 'read_file',
  description: [
    `Shows a text file of the repository with line numbers (\`   12\\t<text>\`). Without a range it shows the first ${DEFAULT_LINES} lines and says how many there are; use start_line/end_line to read further or to look at one part (at most ${MAX_LINES} lines per call).`,
    'The line numbers are for your orientation: do not copy them into edits. Binary files are refused. Use search or find_symbol first to find the lines you need in a large file.',
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const path = repoPath(args.path, ctx.sandbox.workdir, { file: true });
    const text = await requireTextFile(ctx.sandbox, path);
    if (text === '') return { output: `(${path} is empty)` };
    const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
    const window = lineWindow(lines.length, args.start_line, args.end_line);
    const body = numberLines(lines, window.start, window.end);
    return { output: window.note ? `${body}\n${window.note}` : body };
  },
});
