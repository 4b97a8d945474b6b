import type { Node } from 'web-tree-sitter';

export type SymbolKind = 'class' | 'function' | 'method' | 'variable' | 'interface' | 'type' | 'enum';

/** A definition in a source file. Lines are 1-based and inclusive. */
export interface SymbolDef {
  name: string;
  kind: SymbolKind;
  /** First line of the whole definition, decorators and `export` included. */
  line: number;
  endLine: number;
  /** Dotted names of the enclosing definitions, e.g. `Model` for a method, `Model.save` below it. */
  container?: string;
  /** The trimmed source line that names the definition, e.g. `def foo(a, b):`. */
  signature: string;
}

const MAX_SIGNATURE = 200;

export function qualify(container: string | undefined, name: string): string {
  return container ? `${container}.${name}` : name;
}

/**
 * A SymbolDef spanning `start`..`end`. The signature is the line holding the name rather
 * than the first line, so a decorated definition reads `def foo():`, not `@property`.
 */
export function symbolDef(
  parts: { name: Node; start: Node; end: Node; kind: SymbolKind; container: string | undefined },
  lines: string[],
): SymbolDef {
  const { name, start, end, kind, container } = parts;
  const text = (lines[name.startPosition.row] ?? '').trim();
  const signature = text.length > MAX_SIGNATURE ? `${text.slice(0, MAX_SIGNATURE)}…` : text;
  const def: SymbolDef = { name: name.text, kind, line: start.startPosition.row + 1, endLine: lastLine(end), signature };
  if (container) def.container = container;
  return def;
}

/** A node that ends at column 0 ends on the line before (its text ends with a newline). */
function lastLine(node: Node): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row : row + 1;
}
