import type { Node } from 'web-tree-sitter';
import { qualify, symbolDef, type SymbolDef, type SymbolKind } from './symbol-def.js';

interface Scope {
  container: string | undefined;
  /** Inside a function body `const`/`let` are locals, not definitions worth listing. */
  inFunction: boolean;
}

const DECLARATION_KINDS: Record<string, SymbolKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  // Overload signatures and `declare function`: each reads differently, so each is listed.
  function_signature: 'function',
  class_declaration: 'class',
  abstract_class_declaration: 'class',
  interface_declaration: 'interface',
  type_alias_declaration: 'type',
  enum_declaration: 'enum',
};

// `function` is the older grammars' name for a function expression.
const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const METHODS = new Set(['method_definition', 'method_signature', 'abstract_method_signature']);
const FIELDS = new Set(['public_field_definition', 'field_definition']);

/** Definitions in a JavaScript, TypeScript or TSX program. */
export function jsSymbols(root: Node, lines: string[]): SymbolDef[] {
  const out: SymbolDef[] = [];
  visit(root, { container: undefined, inFunction: false }, out, lines);
  return out;
}

function visit(node: Node, scope: Scope, out: SymbolDef[], lines: string[]): void {
  for (const child of node.namedChildren) {
    // `export ...` and `declare ...` wrap a declaration; the definition starts at the wrapper.
    const wrapped = child.type === 'export_statement' || child.type === 'ambient_declaration';
    const decl = wrapped ? (child.childForFieldName('declaration') ?? child.firstNamedChild) : child;
    if (decl && declare(decl, child, scope, out, lines)) continue;
    const inFunction = scope.inFunction || FUNCTION_VALUES.has(child.type) || METHODS.has(child.type);
    visit(child, { ...scope, inFunction }, out, lines);
  }
}

/** Records `decl` if it is a definition; false sends the walk on into its children. */
function declare(decl: Node, start: Node, scope: Scope, out: SymbolDef[], lines: string[]): boolean {
  const kind = DECLARATION_KINDS[decl.type];
  if (kind) {
    const name = decl.childForFieldName('name');
    if (!name) return false;
    out.push(symbolDef({ name, start, end: decl, kind, container: scope.container }, lines));
    const body = decl.childForFieldName('body');
    const inner = qualify(scope.container, name.text);
    if (body && kind === 'class') classMembers(body, inner, out, lines);
    else if (body && kind === 'function') visit(body, { container: inner, inFunction: true }, out, lines);
    return true;
  }
  if ((decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') && !scope.inFunction) {
    for (const [i, declarator] of decl.namedChildren.filter((n) => n.type === 'variable_declarator').entries()) {
      binding(declarator, i === 0 ? start : declarator, scope.container, out, lines);
    }
    return true;
  }
  return false;
}

/** `const x = ...`: a function if it holds a function, a class if a class; destructuring is skipped. */
function binding(declarator: Node, start: Node, container: string | undefined, out: SymbolDef[], lines: string[]): void {
  const name = declarator.childForFieldName('name');
  if (name?.type !== 'identifier') return;
  const value = declarator.childForFieldName('value');
  const kind = valueKind(value);
  out.push(symbolDef({ name, start, end: declarator, kind, container }, lines));
  descendInto(value, qualify(container, name.text), out, lines);
}

function valueKind(value: Node | null): SymbolKind {
  if (value && FUNCTION_VALUES.has(value.type)) return 'function';
  return value?.type === 'class' ? 'class' : 'variable';
}

function descendInto(value: Node | null, container: string, out: SymbolDef[], lines: string[]): void {
  const body = value?.childForFieldName('body');
  if (!value || !body) return;
  if (value.type === 'class') classMembers(body, container, out, lines);
  else if (FUNCTION_VALUES.has(value.type)) visit(body, { container, inFunction: true }, out, lines);
}

function classMembers(body: Node, container: string, out: SymbolDef[], lines: string[]): void {
  for (const member of body.namedChildren) {
    const isMethod = METHODS.has(member.type);
    if (!isMethod && !FIELDS.has(member.type)) continue;
    // JavaScript names a field's name `property`; TypeScript calls it `name`.
    const name = member.childForFieldName('name') ?? member.childForFieldName('property');
    if (!name) continue;
    const value = isMethod ? null : member.childForFieldName('value');
    const kind = isMethod ? 'method' : valueKind(value);
    out.push(symbolDef({ name, start: member, end: member, kind, container }, lines));
    const inner = qualify(container, name.text);
    if (isMethod) {
      const methodBody = member.childForFieldName('body');
      if (methodBody) visit(methodBody, { container: inner, inFunction: true }, out, lines);
    } else descendInto(value, inner, out, lines);
  }
}
