/**
 * Models write unified diffs by hand: hunk counts that do not add up, blank context lines
 * without their leading space, bare `@@` headers, prose or code fences around the diff.
 * jsdiff's parser rejects a hunk whose counts are off, so the hunk bodies are delimited
 * here and the headers recounted from them before parsing.
 */
export interface NormalizedDiff {
  text: string;
  /** Each hunk's header as written, in order, so failures can quote what the author wrote. */
  headers: string[];
}

const HUNK_HEADER = /^@@(?:\s|$)/;
const NUMBERED_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;
// Not a bare `diff `: a context line like `diff = a - b` that lost its space must not end a hunk.
const DIFF_HEADER = /^(?:diff --git |diff -|Index: |={20,})/;

export function normalizeDiff(diffText: string): NormalizedDiff {
  const lines = diffText.split('\n');
  const out: string[] = [];
  const headers: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const header = stripCr(lines[i] ?? '');
    if (!HUNK_HEADER.test(header)) {
      out.push(lines[i++] ?? '');
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !isBoundary(lines, end)) end++;
    const body = hunkBody(lines.slice(i + 1, end));
    headers.push(header);
    out.push(recountedHeader(header, body), ...body);
    i = end;
  }
  return { text: out.join('\n'), headers };
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Where a hunk body must end: the next hunk, the next file, or a diff header. */
function isBoundary(lines: string[], i: number): boolean {
  const line = stripCr(lines[i] ?? '');
  if (HUNK_HEADER.test(line) || DIFF_HEADER.test(line)) return true;
  // A removed line may itself start with `--- `; only a `+++ ` after it makes a file header.
  return line.startsWith('--- ') && (lines[i + 1] ?? '').startsWith('+++ ');
}

const isBodyLine = (line: string) => /^[ +\-\\]/.test(line);

/**
 * Trailing lines that are not diff lines (blank lines, a closing code fence, prose) end the
 * hunk; unprefixed lines between diff lines are context whose leading space was lost.
 */
function hunkBody(raw: string[]): string[] {
  let last = raw.length;
  while (last > 0 && !isBodyLine(raw[last - 1] ?? '')) last--;
  return raw.slice(0, last).map((line) => (isBodyLine(line) ? line : ` ${line}`));
}

function recountedHeader(header: string, body: string[]): string {
  const oldCount = body.filter((l) => l[0] === ' ' || l[0] === '-').length;
  const newCount = body.filter((l) => l[0] === ' ' || l[0] === '+').length;
  // A header without numbers says nothing of where the hunk goes: start the search at line 1.
  const m = NUMBERED_HEADER.exec(header);
  const start = (n: string | undefined, count: number) => Math.max(Number(n ?? 1), count > 0 ? 1 : 0);
  return `@@ -${start(m?.[1], oldCount)},${oldCount} +${start(m?.[2], newCount)},${newCount} @@${m?.[3] ?? ''}`;
}
