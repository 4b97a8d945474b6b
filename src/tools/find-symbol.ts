import { z } from 'zod';
import { findDefinitions } from '../code-nav/find-definitions.js';
import type { SymbolDef } from '../code-nav/symbol-def.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { shellQuote } from '../util/shell.js';
import { CODE_EXTENSIONS, SUPPORTED_LANGUAGES } from './code-languages.js';
import { readTextFile } from './text-file.js';
import { defineTool } from './tool.js';

/** Parsing is the slow part; a name in more files than this is too common to be looked up. */
const MAX_FILES = 50;
const MAX_RESULTS = 100;

const parameters = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'a name such as `slugify` or a dotted name such as `Model.save`')
    .describe('The name to look up: `slugify`, or `Model.save` for a method of a class.'),
});

/** Files of the supported languages that contain the name's last part as a whole word. */
async function candidateFiles(sandbox: Sandbox, word: string, signal: AbortSignal): Promise<string[]> {
  const specs = CODE_EXTENSIONS.map((ext) => shellQuote(`*.${ext}`)).join(' ');
  const result = await sandbox.exec(`git grep -l -I --untracked -w -F -e ${shellQuote(word)} -- ${specs}`, { signal });
  if (result.exitCode === 1) return [];
  if (result.exitCode !== 0) throw new Error(`git grep failed: ${result.output.slice(0, 500)}`);
  return result.output.split('\n').filter(Boolean);
}

/** `path:line kind container.name — signature`, one definition a line. */
export function formatDefinition(def: SymbolDef & { path: string }): string {
  const qualified = def.container ? `${def.container}.${def.name}` : def.name;
  return `${def.path}:${def.line} ${def.kind} ${qualified} — ${def.signature}`;
}

export const findSymbolTool = defineTool({
  id: 'find_symbol',
  description: [
    'Finds where a name is defined across the repository (classes, functions, methods, variables), by parsing the source, not by matching text: `path:line kind qualified.name — signature` per definition.',
    'Give a plain name (`slugify`) or qualify a method by its class (`Model.save`). Use it to jump to a definition you saw used; use search to find the places that use it.',
    `Looks in ${SUPPORTED_LANGUAGES} files tracked or untracked by git, at most ${MAX_FILES} files that mention the name.`,
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const word = args.name.slice(args.name.lastIndexOf('.') + 1);
    const candidates = await candidateFiles(ctx.sandbox, word, ctx.signal);
    const files: Array<{ path: string; source: string }> = [];
    for (const path of candidates.slice(0, MAX_FILES)) {
      const file = await readTextFile(ctx.sandbox, path);
      if (file.kind === 'text') files.push({ path, source: file.text });
    }
    const defs = await findDefinitions(files, args.name);
    const notes: string[] = [];
    if (candidates.length > MAX_FILES) notes.push(`[only the first ${MAX_FILES} of ${candidates.length} files that mention \`${word}\` were parsed; use search with a path to look elsewhere]`);
    if (defs.length > MAX_RESULTS) notes.push(`[${MAX_RESULTS} of ${defs.length} definitions shown]`);
    if (defs.length === 0) return { output: [`no definition of \`${args.name}\` found (${files.length} source file(s) mention \`${word}\`); try search`, ...notes].join('\n') };
    return { output: [...defs.slice(0, MAX_RESULTS).map(formatDefinition), ...notes].join('\n') };
  },
});
