import { z } from 'zod';
import { formatOutline } from '../code-nav/format-outline.js';
import { languageForPath } from '../code-nav/language.js';
import { outline } from '../code-nav/file-outline.js';
import { SUPPORTED_LANGUAGES } from './code-languages.js';
import { repoPath } from './sandbox-path.js';
import { requireTextFile } from './text-file.js';
import { defineTool } from './tool.js';

const parameters = z.object({
  path: z.string().min(1).describe('Source file relative to the repository root.'),
});

export const outlineTool = defineTool({
  id: 'outline',
  description: [
    'Lists the definitions in one source file (classes, functions, methods, module-level variables; interfaces, types and enums in TypeScript), each with its line range and signature, nested ones indented under their class or function.',
    'Use it to get the shape of a file before reading it, then read_file the line range you need.',
    `Supports ${SUPPORTED_LANGUAGES}; for other files use read_file or search.`,
  ].join(' '),
  parameters,
  async execute(args, ctx) {
    const path = repoPath(args.path, ctx.sandbox.workdir, { file: true });
    const language = languageForPath(path);
    if (!language) return { isError: true, output: `outline cannot parse \`${path}\`: it supports ${SUPPORTED_LANGUAGES}. Use read_file or search instead.` };
    const source = await requireTextFile(ctx.sandbox, path);
    return { output: `${path} (${language}):\n${formatOutline(await outline(source, language))}` };
  },
});
