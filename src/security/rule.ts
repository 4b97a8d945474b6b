import type { Language } from '../code-nav/language.js';
import type { CapturedNode, QueryMatchData } from '../code-nav/query.js';

/**
 * One security rule: a tree-sitter query whose `@finding` capture is the reported node, and
 * an optional check over the captures for what a query cannot say (is this string built?).
 */
export interface SecurityRule {
  id: string;
  cwe: string;
  title: string;
  languages: readonly Language[];
  queries: readonly string[];
  accept?: (match: QueryMatchData, facts: SourceFacts) => boolean;
}

/**
 * What a rule may know of the whole scanned text beyond its own match: a name's assigned
 * values (so `q = f"... {x}"; cur.execute(q)` is seen as built SQL) and the names the caller
 * says carry untrusted input (a security probe's parameters; a patch has none, only requests).
 */
export interface SourceFacts {
  text: string;
  /** The right-hand sides of `name = ...` and `name += ...` anywhere in the text. */
  assigned(name: string): CapturedNode[];
  untrusted: ReadonlySet<string>;
}

/** Queries with @name and @value captures, whose matches make SourceFacts.assigned. */
export const ASSIGNMENT_QUERIES: Readonly<Record<Language, readonly string[]>> = {
  python: ['(assignment left: (identifier) @name right: (_) @value)', '(augmented_assignment left: (identifier) @name right: (_) @value) @augmented'],
  javascript: ecmaAssignments(),
  typescript: ecmaAssignments(),
  tsx: ecmaAssignments(),
};

function ecmaAssignments(): string[] {
  return [
    '(variable_declarator name: (identifier) @name value: (_) @value)',
    '(assignment_expression left: (identifier) @name right: (_) @value)',
    '(augmented_assignment_expression left: (identifier) @name right: (_) @value) @augmented',
  ];
}

/**
 * The identifiers a node's code mentions: string literals count only through their fields
 * (an f-string's `{x}`, a template's `${x}`), so `"SELECT name FROM t"` does not mention `name`.
 */
export function mentionedNames(node: CapturedNode): string[] {
  const code = node.text.replace(/([rRbBuUfF]*)("""|'''|"|'|`)([\s\S]*?)\2/g, (_all, prefix: string, quote: string, body: string) =>
    quote === '`' || /f/i.test(prefix) ? ` ${[...body.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).join(' ')} ` : ' ',
  );
  return code.match(/[A-Za-z_$][\w$]*/g) ?? [];
}

/** True when the node is, or mentions, a name the caller marked untrusted. */
export function mentionsUntrusted(node: CapturedNode, facts: SourceFacts): boolean {
  return facts.untrusted.size > 0 && mentionedNames(node).some((n) => facts.untrusted.has(n));
}

export const ECMA: readonly Language[] = ['javascript', 'typescript', 'tsx'];
export const PYTHON: readonly Language[] = ['python'];

/** Names that hold credentials: password, secret, api_key, token, private key. */
export const SECRET_NAME = /(pass(word|wd)?|secret|api_?key|apikey|access_?key|auth_?token|token|private_?key|client_?secret)$/i;

/** A string literal's content without quotes or prefix. */
export function literalContent(text: string): string {
  return text.replace(/^[rRbBuUfF]*("""|'''|"|'|`)/, '').replace(/("""|'''|"|'|`)$/, '');
}

/**
 * A hard-coded credential looks like one: long enough, not an obvious placeholder, not
 * interpolated, not read from somewhere else.
 */
export function looksLikeSecret(name: string, value: string): boolean {
  const key = name.replace(/^['"`]|['"`]$/g, '').split('.').pop() ?? '';
  const content = literalContent(value);
  if (!SECRET_NAME.test(key) || content.length < 8 || /\$\{|\{\w*\}|^<.*>$|^x+$|changeme|placeholder|example|your[_-]/i.test(content)) return false;
  return !/^[rRbBuU]*[fF]/.test(value);
}
