import { jsSymbols } from './js-symbols.js';
import type { Language } from './language.js';
import { withTree } from './parser.js';
import { pythonSymbols } from './python-symbols.js';
import type { SymbolDef } from './symbol-def.js';

export type { SymbolDef, SymbolKind } from './symbol-def.js';

/**
 * The definitions in one file, in source order; nested ones name their container
 * (a method its class, a nested function its enclosing function).
 */
export async function outline(source: string, language: Language): Promise<SymbolDef[]> {
  const lines = source.split(/\r?\n/);
  return withTree(source, language, (tree) =>
    language === 'python' ? pythonSymbols(tree.rootNode, lines) : jsSymbols(tree.rootNode, lines),
  );
}
