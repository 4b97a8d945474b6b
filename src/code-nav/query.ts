import { Query, type Language as Grammar, type Node } from 'web-tree-sitter';
import type { Language } from './language.js';
import { withTree } from './parser.js';

/** One captured node as plain data, so callers never hold wasm-backed nodes. */
export interface CapturedNode {
  type: string;
  text: string;
  /** 0-based rows, as tree-sitter counts. */
  startRow: number;
  endRow: number;
}

/** One match of one pattern: capture name -> node (the first node when a capture repeats). */
export type QueryMatchData = Record<string, CapturedNode>;

// Compiling a query costs more than running it: keep each (grammar, source) pair once.
const compiled = new Map<Grammar, Map<string, Query>>();

function compile(grammar: Grammar, source: string): Query {
  let byText = compiled.get(grammar);
  if (!byText) compiled.set(grammar, (byText = new Map()));
  let query = byText.get(source);
  if (!query) byText.set(source, (query = new Query(grammar, source)));
  return query;
}

function plain(node: Node): CapturedNode {
  return { type: node.type, text: node.text, startRow: node.startPosition.row, endRow: node.endPosition.row };
}

/**
 * Runs tree-sitter queries over `source` and returns every match as plain data, one list
 * per query. Text predicates (#eq?, #match?, #any-of?) are applied by tree-sitter.
 */
export async function queryMatches(source: string, language: Language, queries: string[]): Promise<QueryMatchData[][]> {
  return withTree(source, language, (tree, grammar) =>
    queries.map((text) =>
      compile(grammar, text)
        .matches(tree.rootNode)
        .map((match) => {
          const data: QueryMatchData = {};
          for (const c of match.captures) data[c.name] ??= plain(c.node);
          return data;
        }),
    ),
  );
}
