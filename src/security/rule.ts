import type { Language } from '../code-nav/language.js';
import type { QueryMatchData } from '../code-nav/query.js';

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
  accept?: (match: QueryMatchData) => boolean;
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
