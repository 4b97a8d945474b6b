import { createRequire } from 'node:module';
import { Language as Grammar, Parser, type Tree } from 'web-tree-sitter';
import type { Language } from './language.js';

/**
 * The `.wasm` grammars shipped inside the official grammar packages. Resolved through the
 * package, not a path relative to this file, so it works from src/ and from dist/src/.
 */
const GRAMMAR_FILES: Record<Language, string> = {
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
};

const require = createRequire(import.meta.url);

// Loading the wasm runtime and a grammar takes tens of milliseconds: do each once per process.
let parserPromise: Promise<Parser> | undefined;
const grammars = new Map<Language, Promise<Grammar>>();

function sharedParser(): Promise<Parser> {
  parserPromise ??= Parser.init().then(
    () => new Parser(),
    (err: unknown) => {
      parserPromise = undefined; // let a later call retry rather than cache the failure
      throw new Error('cannot start the tree-sitter wasm runtime', { cause: err });
    },
  );
  return parserPromise;
}

function grammar(language: Language): Promise<Grammar> {
  let loaded = grammars.get(language);
  if (!loaded) {
    loaded = sharedParser()
      .then(() => loadGrammar(language))
      .catch((err: unknown) => {
        grammars.delete(language); // let a later call retry rather than cache the failure
        throw err;
      });
    grammars.set(language, loaded);
  }
  return loaded;
}

async function loadGrammar(language: Language): Promise<Grammar> {
  const file = require.resolve(GRAMMAR_FILES[language]);
  try {
    return await Grammar.load(file);
  } catch (err) {
    throw new Error(`cannot load the ${language} grammar from ${file}`, { cause: err });
  }
}

/**
 * Parses `source` and hands the tree to `use`, freeing the tree's wasm memory afterwards.
 * One parser is shared: setLanguage and parse run without an await between them, so
 * concurrent callers cannot interleave.
 */
export async function withTree<T>(source: string, language: Language, use: (tree: Tree, grammar: Grammar) => T): Promise<T> {
  const [parser, lang] = await Promise.all([sharedParser(), grammar(language)]);
  const tree = parser.setLanguage(lang).parse(source);
  if (!tree) throw new Error(`tree-sitter returned no tree for ${language} source`);
  try {
    return use(tree, lang);
  } finally {
    tree.delete();
  }
}
