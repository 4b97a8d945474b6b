import { z } from 'zod';
import { shellQuote } from '../util/shell.js';
import { repoPath } from './sandbox-path.js';
import { defineTool } from './tool.js';

const MAX_MATCHES = 200;
const MAX_LINE_CHARS = 300;
const TOTAL_MARK = '__swe_harness_total__';
const NO_PATH = '__swe_harness_no_path__';

const parameters = z.object({
  pattern: z.string().min(1).describe('Extended regular expression (as `grep -E`: use [0-9] rather than \\d), or plain text with fixed_string.'),
  path: z.string().optional().describe('Directory or file to search, relative to the repository root; default the whole repository.'),
  glob: z.string().optional().describe('Only files whose path matches this glob, e.g. "*.py" or "tests/*.py" (`*` also matches `/`).'),
  fixed_string: z.boolean().optional().describe('Treat pattern as plain text, not a regular expression. Default false.'),
  case_sensitive: z.boolean().optional().describe('Default true.'),
});

type SearchArgs = z.infer<typeof parameters>;

/**
 * `git grep` over tracked and untracked files (not ignored ones: no build output, no
 * virtualenvs), or `grep -r` where there is no git work tree. The pipe keeps the first
 * matches, cuts long lines, and counts them all so the model learns how many it did not see.
 */
export function searchScript(args: SearchArgs, dir: string): string {
  const flags = [args.case_sensitive === false ? '-i' : '', args.fixed_string ? '-F' : '-E'].filter(Boolean).join(' ');
  const glob = args.glob?.replace(/^(\*\*\/)+/, '');
  const pathspec = glob ? (dir === '.' ? glob : `${dir}/${glob}`) : dir;
  const include = args.glob ? `--include=${shellQuote(args.glob.slice(args.glob.lastIndexOf('/') + 1))}` : '';
  const pattern = shellQuote(args.pattern);
  return [
    `[ -e ${shellQuote(dir)} ] || { echo ${NO_PATH}; exit 3; }`,
    '{ if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then',
    `  git grep -n -I --untracked --no-color ${flags} -e ${pattern} -- ${shellQuote(pathspec)}`,
    `else grep -rnI --exclude-dir=.git ${include} ${flags} -e ${pattern} ${shellQuote(dir)}; fi; } |`,
    `  awk -v max=${MAX_MATCHES} -v width=${MAX_LINE_CHARS} 'NR<=max{ if (length($0)>width) print substr($0,1,width) " [... line cut]"; else print } END{print "${TOTAL_MARK} " NR}'`,
    'exit ${PIPESTATUS[0]}',
  ].join('\n');
}

/** Matches as `path:line:text`, and a note when some were left out. */
export function formatMatches(output: string): string {
  const lines = output.split('\n');
  const totalLine = lines.find((l) => l.startsWith(`${TOTAL_MARK} `));
  const total = totalLine ? Number(totalLine.slice(TOTAL_MARK.length + 1)) : 0;
  const matches = lines.filter((l) => l !== '' && !l.startsWith(TOTAL_MARK)).map((l) => l.replace(/^\.\//, ''));
  if (total === 0) return 'no matches';
  const cut = total > matches.length ? `\n[${matches.length} of ${total} matches shown; narrow the pattern, path or glob]` : '';
  return matches.join('\n') + cut;
}

export const searchTool = defineTool({
  id: 'search',
  description: [
    'Searches the text of the repository\'s files (git grep) and returns matching lines as `path:line:text`. Use it to find where something is used, an error message, a config key, or the file that defines something.',
    'pattern is an extended regular expression unless fixed_string is true; narrow with path (a directory or file) and glob (e.g. "*.py"). Binary files and files ignored by git are not searched.',
    `At most ${MAX_MATCHES} matches are shown, with the total when there are more. To find where a function or class is defined, find_symbol is more precise.`,
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const dir = repoPath(args.path ?? '.', ctx.sandbox.workdir);
    const result = await ctx.sandbox.exec(searchScript(args, dir), { signal: ctx.signal, outputCapBytes: 4 * 1024 * 1024 });
    if (result.output.trim() === NO_PATH) return { isError: true, output: `no file or directory \`${dir}\`; use list_dir to see what exists` };
    // git grep and grep exit 1 for "no match"; 2 and more is a real failure (a bad regex, a bad path).
    if (result.exitCode !== 0 && result.exitCode !== 1) {
      const message = result.output.split('\n').filter((l) => l && !l.startsWith(TOTAL_MARK)).join('\n');
      return { isError: true, output: `search failed (exit ${result.exitCode ?? 'killed'}): ${message.slice(0, 1000)}` };
    }
    return { output: formatMatches(result.output) };
  },
});
