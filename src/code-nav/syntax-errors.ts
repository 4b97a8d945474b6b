import type { Node } from 'web-tree-sitter';
import type { Language } from './language.js';
import { withTree } from './parser.js';

/** A place the parser could not make sense of. Line and column are 1-based. */
export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

const NEAR_MAX = 40;
const PYTHON_BLOCK = /^(async\s+)?(def|class|if|elif|else|for|while|with|try|except|finally|match|case)\b/;
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Syntax problems from tree-sitter's ERROR and MISSING nodes, in source order. An ERROR
 * node is reported once: the errors nested in it are its own recovery attempts, not news.
 */
export async function syntaxErrors(source: string, language: Language): Promise<SyntaxProblem[]> {
  const lines = source.split(/\r?\n/);
  return withTree(source, language, (tree) => {
    const problems: SyntaxProblem[] = [];
    collect(tree.rootNode, language, lines, problems);
    return problems;
  });
}

function collect(node: Node, language: Language, lines: string[], out: SyntaxProblem[]): void {
  if (node.isMissing) {
    out.push(at(node, node.isNamed ? `missing ${node.type}` : `missing \`${node.type}\``));
  } else if (node.isError) {
    out.push(at(node, errorMessage(node, language, lines)));
  } else if (node.hasError) {
    for (const child of node.children) collect(child, language, lines, out);
  }
}

function at(node: Node, message: string): SyntaxProblem {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, message };
}

/** "syntax error near `…`", with a guess at the cause when a common one fits. */
function errorMessage(node: Node, language: Language, lines: string[]): string {
  const first = node.text.split(/\r?\n/, 1)[0]?.trim() ?? '';
  const near = first.length > NEAR_MAX ? `${first.slice(0, NEAR_MAX)}…` : first;
  const base = near ? `syntax error near \`${near}\`` : 'syntax error';
  const unclosed = unclosedBracket(node.text);
  if (unclosed) return `${base} (unclosed \`${unclosed}\`?)`;
  const line = lines[node.startPosition.row] ?? '';
  if (language === 'python' && lacksColon(line)) return `${base} (missing \`:\`?)`;
  return base;
}

/** The first bracket opened in `text` and never closed there; string literals ignored. */
function unclosedBracket(text: string): string | undefined {
  const open: string[] = [];
  for (const ch of text.replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""')) {
    if (ch === '(' || ch === '[' || ch === '{') open.push(ch);
    else if (CLOSING[ch] && open.at(-1) === CLOSING[ch]) open.pop();
  }
  return open[0];
}

/** A Python block header such as `def f(x)` whose line does not end with a colon. */
function lacksColon(line: string): boolean {
  const code = line.replace(/#.*$/, '').trim();
  return PYTHON_BLOCK.test(code) && !code.endsWith(':') && unclosedBracket(code) === undefined;
}
