import { languageForPath } from '../code-nav/language.js';
import { syntaxErrors, type SyntaxProblem } from '../code-nav/syntax-errors.js';
import type { ToolResult } from './tool.js';

/** A file as an edit left it; null = deleted. */
export interface EditedFile {
  path: string;
  content: string | null;
  /** The content before the edit, when the tool knows it; null = the file is new. */
  before?: string | null;
}

const MAX_PROBLEMS_PER_FILE = 5;
const ALREADY_BROKEN = ' (the file had syntax errors before this change too: check whether yours are new)';

/**
 * The result of an edit tool, with the syntax errors the edit left in the files it changed.
 * The edit stands (isError stays false: the files were written), but the warning comes at
 * once, so the model fixes a broken file before it runs tests against it.
 */
export async function afterEdit(summary: string, files: EditedFile[]): Promise<ToolResult> {
  const report = await syntaxReport(files);
  if (!report) return { output: summary };
  return { output: `${summary}\n\nWARNING: the change was written, but it left syntax errors; fix them before going on:\n${report}` };
}

/** One line per broken file, or '' when every parsable file parses. */
export async function syntaxReport(files: EditedFile[]): Promise<string> {
  const lines: string[] = [];
  for (const file of files) {
    const language = languageForPath(file.path);
    if (file.content === null || !language) continue;
    let problems: SyntaxProblem[];
    try {
      problems = await syntaxErrors(file.content, language);
    } catch (err) {
      // The check is a courtesy: a parser that fails to load must not undo a written edit.
      lines.push(`(could not check ${file.path} for syntax errors: ${(err as Error).message})`);
      continue;
    }
    if (problems.length > 0) lines.push(formatProblems(file.path, problems) + (await alreadyBroken(file) ? ALREADY_BROKEN : ''));
  }
  return lines.join('\n');
}

/**
 * Whether the file did not parse before the edit either: old syntax the grammar does not
 * know, or a file broken on purpose. Then the warning must not send the model chasing them.
 */
async function alreadyBroken(file: EditedFile): Promise<boolean> {
  const language = languageForPath(file.path);
  if (!file.before || !language) return false;
  return (await syntaxErrors(file.before, language).catch(() => [])).length > 0;
}

export function formatProblems(path: string, problems: SyntaxProblem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_PER_FILE).map((p) => `line ${p.line} col ${p.column}: ${p.message}`);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return `syntax errors in ${path}: ${shown.join('; ')}${more}`;
}
