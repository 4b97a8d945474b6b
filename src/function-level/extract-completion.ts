import type { Problem } from './problem.js';

/**
 * A model's answer as a completion of the problem's prompt: the text that, appended to the
 * prompt, makes the program (HumanEval's convention). Base models continue the prompt and
 * their text is used as it is; chat models answer with the whole function in a code fence,
 * so the fence is opened and the part the prompt already holds is taken off.
 */
export function extractCompletion(answer: string, problem: Pick<Problem, 'prompt' | 'language' | 'entry_point'>, stops: readonly string[] = []): string {
  const code = fencedCode(answer, problem.language) ?? answer;
  const relative = relativeToPrompt(code, problem);
  return relative.preamble ? `${truncateAtStop(relative.body, stops)}\n\n${relative.preamble}\n` : truncateAtStop(relative.body, stops);
}

/** The text before the first of `stops`; the whole text when none occurs. */
export function truncateAtStop(text: string, stops: readonly string[]): string {
  let end = text.length;
  for (const stop of stops) {
    if (!stop) continue;
    const at = text.indexOf(stop);
    if (at >= 0 && at < end) end = at;
  }
  return text.slice(0, end);
}

const FENCE = /```[ \t]*([\w+#.-]*)[^\n]*\n([\s\S]*?)(?:```|$)/g;

const LANGUAGE_TAGS: Record<string, string[]> = {
  python: ['python', 'py', 'python3'],
  javascript: ['javascript', 'js', 'node'],
  typescript: ['typescript', 'ts'],
  go: ['go', 'golang'],
};

/** The first fenced block tagged with the problem's language, else the first fenced block. */
function fencedCode(answer: string, language: string): string | undefined {
  const blocks = [...answer.matchAll(FENCE)].map((m) => ({ tag: m[1]!.toLowerCase(), code: m[2]! }));
  if (blocks.length === 0) return undefined;
  const tags = LANGUAGE_TAGS[language] ?? [language];
  return (blocks.find((b) => tags.includes(b.tag)) ?? blocks[0]!).code;
}

interface Relative {
  body: string;
  /** Imports and helpers the answer put before the function, moved after it (see below). */
  preamble?: string;
}

function relativeToPrompt(code: string, problem: Pick<Problem, 'prompt' | 'language' | 'entry_point'>): Relative {
  const prompt = problem.prompt;
  if (prompt.trim() && code.startsWith(prompt)) return { body: code.slice(prompt.length) };
  if (prompt.trim() && code.startsWith(prompt.trimEnd())) return { body: code.slice(prompt.trimEnd().length).replace(/^[ \t]*\n/, '') };
  const name = problem.entry_point;
  if (name && problem.language === 'python') return pythonBody(code, name) ?? { body: indentBodyOnly(code) };
  if (name && (problem.language === 'javascript' || problem.language === 'typescript')) return braceBody(code, ECMA_FUNCTION(name)) ?? { body: code };
  if (name && problem.language === 'go') {
    // Go wants its imports first, so nothing can move after the body: the prompt has them.
    const body = braceBody(code, new RegExp(`(^|\\n)[ \\t]*func\\s+${escape(name)}\\s*[(\\[]`));
    return body ? { body: body.body } : { body: code };
  }
  return { body: code };
}

/**
 * After the signature and any docstring of `def name(`: the body. What came before the def
 * (imports, helpers) goes after it: a function looks its globals up when called, so a module
 * that defines them after the function still runs, and the prompt's text stays the prefix.
 */
function pythonBody(code: string, name: string): Relative | undefined {
  const lines = code.split('\n');
  const def = lines.findIndex((l) => new RegExp(`^\\s*(async\\s+)?def\\s+${escape(name)}\\s*\\(`).test(l));
  if (def < 0) return undefined;
  let at = def;
  while (at < lines.length && !/:\s*(#.*)?$/.test(lines[at]!)) at++;
  at++;
  at = skipDocstring(lines, at);
  return { body: lines.slice(at).join('\n'), preamble: lines.slice(0, def).join('\n').trim() || undefined };
}

function skipDocstring(lines: string[], from: number): number {
  let at = from;
  while (at < lines.length && !lines[at]!.trim()) at++;
  const first = lines[at]?.trim() ?? '';
  const quote = /^[rRuU]?("""|''')/.exec(first)?.[1];
  if (!quote) return from;
  const rest = first.slice(first.indexOf(quote) + 3);
  if (rest.includes(quote)) return at + 1;
  for (at++; at < lines.length; at++) if (lines[at]!.includes(quote)) return at + 1;
  return from;
}

/** A body-only answer written flush left, where the prompt ends inside the function. */
function indentBodyOnly(code: string): string {
  const first = code.split('\n').find((l) => l.trim());
  if (!first || /^\s/.test(first)) return code;
  return code
    .split('\n')
    .map((l) => (l.trim() ? `    ${l}` : l))
    .join('\n');
}

const ECMA_FUNCTION = (name: string) => new RegExp(`(^|\\n)[ \\t]*(export\\s+)?(async\\s+)?function\\s*\\*?\\s*${escape(name)}\\s*[(<]`);

/** After the `{` that opens the function `signature` finds: the body and its closing brace. */
function braceBody(code: string, signature: RegExp): Relative | undefined {
  const match = signature.exec(code);
  if (!match) return undefined;
  const open = code.indexOf('{', signatureEnd(code, match.index + match[0].length - 1));
  if (open < 0) return undefined;
  const body = code.slice(open + 1).replace(/^[ \t]*\n/, '');
  return { body, preamble: code.slice(0, match.index).trim() || undefined };
}

/** The index after the parameter list's closing parenthesis, from its opening one (or `<`). */
function signatureEnd(code: string, from: number): number {
  let depth = 0;
  for (let i = code.indexOf('(', from); i < code.length && i >= 0; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return i + 1;
  }
  return from;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
