import type { Node } from 'web-tree-sitter';
import { qualify, symbolDef, type SymbolDef } from './symbol-def.js';

/** Where a walk is: inside a function only nested definitions count, not local variables. */
interface Scope {
  container: string | undefined;
  inClass: boolean;
  inFunction: boolean;
}

/** Classes, functions, methods and module- or class-level variables of a Python module. */
export function pythonSymbols(root: Node, lines: string[]): SymbolDef[] {
  const out: SymbolDef[] = [];
  visit(root, { container: undefined, inClass: false, inFunction: false }, out, lines);
  return out;
}

function visit(node: Node, scope: Scope, out: SymbolDef[], lines: string[]): void {
  for (const child of node.namedChildren) {
    const def = child.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
    if (def && (def.type === 'function_definition' || def.type === 'class_definition')) {
      visitDefinition(child, def, scope, out, lines);
    } else if (child.type === 'expression_statement' && !scope.inFunction) {
      for (const v of assignedNames(child)) {
        const kind = v.value?.type === 'lambda' ? 'function' : 'variable';
        out.push(symbolDef({ name: v.name, start: child, end: child, kind, container: scope.container }, lines));
      }
    } else {
      // if/try/with/for blocks keep the scope: a def under `if TYPE_CHECKING:` is still top-level.
      visit(child, scope, out, lines);
    }
  }
}

function visitDefinition(start: Node, def: Node, scope: Scope, out: SymbolDef[], lines: string[]): void {
  const name = def.childForFieldName('name');
  if (!name) return;
  const isClass = def.type === 'class_definition';
  const kind = isClass ? 'class' : scope.inClass ? 'method' : 'function';
  out.push(symbolDef({ name, start, end: def, kind, container: scope.container }, lines));
  const body = def.childForFieldName('body');
  if (body) {
    const inner = { container: qualify(scope.container, name.text), inClass: isClass, inFunction: !isClass };
    visit(body, inner, out, lines);
  }
}

/** Names bound by `x = ...`, `a, b = ...`, `a = b = ...` and `x: int` (dataclass fields). */
function assignedNames(statement: Node): Array<{ name: Node; value: Node | null }> {
  const found: Array<{ name: Node; value: Node | null }> = [];
  let assignment = statement.firstNamedChild;
  while (assignment?.type === 'assignment') {
    const left = assignment.childForFieldName('left');
    const right = assignment.childForFieldName('right');
    const value = right?.type === 'assignment' ? null : right;
    if (left?.type === 'identifier') found.push({ name: left, value });
    else if (left?.type === 'pattern_list' || left?.type === 'tuple_pattern') {
      for (const part of left.namedChildren) if (part.type === 'identifier') found.push({ name: part, value: null });
    }
    assignment = right;
  }
  return found;
}
