/**
 * A candidate's problem statement: the texts of the issues its message refers to (from the
 * user's `--issues` file, id -> text), then the commit message. With no issue tracker to ask,
 * the message is the best account of the problem the history holds.
 */
export type IssueTexts = ReadonlyMap<string, string>;

/** `#123`, `GH-123`, `gh-123` (GitHub's numbers) and `PROJ-42` (a tracker's keys). */
const REFERENCE = /(?:#|\bgh-)(\d+)\b|\b([A-Z][A-Z0-9]+-\d+)\b/gi;

export function referencedIssues(message: string, issues: IssueTexts): string[] {
  const found: string[] = [];
  for (const match of message.matchAll(REFERENCE)) {
    const id = match[1] ?? match[2] ?? '';
    const key = [id, `#${id}`, id.toUpperCase()].find((k) => issues.has(k));
    if (key && !found.includes(key)) found.push(key);
  }
  return found;
}

export function problemStatement(subject: string, body: string, issues: IssueTexts): { text: string; issues: string[] } {
  const message = [subject, body].filter((s) => s.trim() !== '').join('\n\n');
  const ids = referencedIssues(message, issues);
  const texts = ids.map((id) => (issues.get(id) ?? '').trim());
  return { text: [...texts, message].join('\n\n').trim(), issues: ids };
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /\w/.test(w)).length;
}

/** Reads an issues file: a JSON object id -> text, or JSON lines of {id, text} (or {id, title, body}). */
export function parseIssues(content: string): Map<string, string> {
  const trimmed = content.trim();
  if (trimmed === '') return new Map();
  if (trimmed.startsWith('{') && !trimmed.includes('\n{')) {
    const object = JSON.parse(trimmed) as Record<string, unknown>;
    return new Map(Object.entries(object).map(([id, text]) => [id.replace(/^#/, ''), String(text)]));
  }
  const issues = new Map<string, string>();
  for (const line of trimmed.split('\n').filter((l) => l.trim() !== '')) {
    const record = JSON.parse(line) as { id?: unknown; text?: unknown; title?: unknown; body?: unknown };
    const text = record.text ?? [record.title, record.body].filter((s) => s !== undefined).join('\n\n');
    issues.set(String(record.id ?? '').replace(/^#/, ''), String(text));
  }
  return issues;
}
