import { languageForPath } from './language.js';
import { outline } from './file-outline.js';
import type { SymbolDef } from './symbol-def.js';

/**
 * Where `name` is defined across `files`. A plain name matches exactly; a dotted name such
 * as `Model.save` matches a definition by its container too. Files in languages we cannot
 * parse are skipped.
 */
export async function findDefinitions(
  files: Array<{ path: string; source: string }>,
  name: string,
): Promise<Array<SymbolDef & { path: string }>> {
  const found: Array<SymbolDef & { path: string }> = [];
  for (const file of files) {
    const language = languageForPath(file.path);
    if (!language) continue;
    for (const def of await outline(file.source, language)) {
      if (matches(def, name)) found.push({ ...def, path: file.path });
    }
  }
  return found;
}

function matches(def: SymbolDef, name: string): boolean {
  if (def.name === name) return true;
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || !def.container || def.name !== name.slice(dot + 1)) return false;
  const wanted = name.slice(0, dot);
  return def.container === wanted || def.container.endsWith(`.${wanted}`);
}
