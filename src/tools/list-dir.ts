import { z } from 'zod';
import { HarnessError } from '../errors.js';
import { shellQuote } from '../util/shell.js';
import { repoPath } from './sandbox-path.js';
import { defineTool } from './tool.js';

const MAX_ENTRIES = 500;
/** Listed but not entered: their contents are generated and would drown the listing. */
const NOT_ENTERED = ['node_modules', '__pycache__', '.tox', '.venv', '.mypy_cache', '.pytest_cache'];
const TOTAL_MARK = '__swe_harness_total__';

const parameters = z.object({
  path: z.string().optional().describe('Directory relative to the repository root; default the root.'),
  depth: z.number().int().min(1).max(3).optional().describe('How many levels to list: 1 (default) lists the directory itself, 3 at most.'),
});

/** `find` prints "<type> <path>" lines, sorted, the first MAX_ENTRIES of them, then the total. */
function listingScript(dir: string, depth: number): string {
  const skip = NOT_ENTERED.map((n) => `-name ${n}`).join(' -o ');
  return [
    `[ -d ${shellQuote(dir)} ] || { [ -e ${shellQuote(dir)} ] && echo __not_dir__ || echo __no_dir__; exit 0; }`,
    `cd ${shellQuote(dir)} && find . -mindepth 1 -maxdepth ${depth} -name .git -prune -o \\( -type d \\( ${skip} \\) -printf '%y %P\\n' -prune \\) -o -printf '%y %P\\n' 2>/dev/null \\`,
    `  | LC_ALL=C sort -k2 | awk 'NR<=${MAX_ENTRIES}{print} END{print "${TOTAL_MARK} " NR}'`,
  ].join('\n');
}

/** Repository-relative entries, `/` after directories and `@` after symbolic links. */
export function formatListing(dir: string, output: string): string {
  const prefix = dir === '.' ? '' : `${dir}/`;
  const entries: string[] = [];
  let total = 0;
  for (const line of output.split('\n')) {
    if (line.startsWith(`${TOTAL_MARK} `)) total = Number(line.slice(TOTAL_MARK.length + 1));
    else if (line.length > 2) entries.push(prefix + line.slice(2) + (line[0] === 'd' ? '/' : line[0] === 'l' ? '@' : ''));
  }
  if (entries.length === 0) return `(${dir === '.' ? 'the repository root' : dir} is empty)`;
  const cut = total > entries.length ? `\n[${entries.length} of ${total} entries shown; list a subdirectory or use a smaller depth]` : '';
  return entries.join('\n') + cut;
}

export const listDirTool = defineTool({
  id: 'list_dir',
  description: [
    'Lists a directory of the repository: one repository-relative path per line, directories end with `/`. Use it to get your bearings and to find files by location; use search to find files by content.',
    `depth 2 or 3 also lists subdirectories' contents. .git is left out, and ${NOT_ENTERED.join(', ')} are listed but not entered. At most ${MAX_ENTRIES} entries.`,
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const dir = repoPath(args.path ?? '.', ctx.sandbox.workdir);
    const result = await ctx.sandbox.exec(listingScript(dir, args.depth ?? 1), { signal: ctx.signal });
    const first = result.output.trim();
    if (first === '__no_dir__') throw new HarnessError('TOOL_ARGS', `no directory \`${dir}\`; list its parent to see what exists`);
    if (first === '__not_dir__') throw new HarnessError('TOOL_ARGS', `\`${dir}\` is a file, not a directory; use read_file to see it`);
    if (result.exitCode !== 0) throw new Error(`listing ${dir} failed: ${result.output.slice(0, 500)}`);
    return { output: formatListing(dir, result.output) };
  },
});
