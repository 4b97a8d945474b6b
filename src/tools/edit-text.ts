/** The outcome of replacing an exact string in a file's text. */
export type Replacement = { ok: true; text: string; count: number } | { ok: false; reason: string };

const MAX_LINES_LISTED = 10;
const MAX_COMPARED_CHARS = 500;
const MIN_LIKENESS = 0.55;

/** Start offsets of the non-overlapping occurrences of `needle`. */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) found.push(at);
  return found;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Replaces `oldString` by `newString`: exactly once unless `replaceAll`. Spliced by offset,
 * not with String.replace, whose `$&`-style patterns would corrupt code that contains `$`.
 * A CRLF file is matched with the LF text models send, and keeps its CRLF endings.
 */
export function replaceExact(text: string, oldString: string, newString: string, replaceAll = false): Replacement {
  if (oldString === newString) return { ok: false, reason: 'old_string and new_string are the same; nothing to change' };
  let [from, to] = [oldString, newString];
  let found = occurrences(text, from);
  if (found.length === 0 && text.includes('\r\n') && !from.includes('\r')) {
    [from, to] = [from.replace(/\n/g, '\r\n'), to.replace(/\r?\n/g, '\r\n')];
    found = occurrences(text, from);
  }
  if (found.length === 0) return { ok: false, reason: notFound(text, oldString) };
  if (found.length > 1 && !replaceAll) {
    const lines = found.slice(0, MAX_LINES_LISTED).map((at) => lineOf(text, at));
    const more = found.length > lines.length ? ', ...' : '';
    return { ok: false, reason: `old_string occurs ${found.length} times (at lines ${lines.join(', ')}${more}); include more surrounding lines to make it unique, or set replace_all to change every one` };
  }
  let out = '';
  let last = 0;
  for (const at of found) {
    out += text.slice(last, at) + to;
    last = at + from.length;
  }
  return { ok: true, text: out + text.slice(last), count: found.length };
}

/** "not found", with the line the model probably meant, so it can re-read it and retry. */
function notFound(text: string, oldString: string): string {
  const base = 'old_string was not found in the file (it must match exactly, whitespace and indentation included)';
  const wanted = oldString.split(/\r?\n/).find((l) => l.trim() !== '')?.trim();
  if (!wanted) return base;
  const lines = text.split(/\r?\n/);
  const same = lines.findIndex((l) => l.trim() === wanted);
  if (same >= 0) return `${base}. Line ${same + 1} has its first line with different whitespace: \`${lines[same]}\`; read the lines around it and copy them exactly`;
  const closest = closestLine(lines, wanted);
  if (closest) return `${base}. The closest line is ${closest.index + 1}: \`${closest.text.trim()}\`; read the lines around it and copy them exactly`;
  return `${base}; read the file again to see its current text`;
}

/**
 * The line most like `wanted`, if any is alike enough. Scored by shared character pairs:
 * half Dice (alike overall), half how much of `wanted` the line holds, so a long real
 * signature still wins when the model remembered only its start.
 */
export function closestLine(lines: string[], wanted: string): { index: number; text: string } | undefined {
  const target = pairs(wanted);
  let best: { index: number; text: string; score: number } | undefined;
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.length > MAX_COMPARED_CHARS) continue;
    const score = likeness(target, pairs(trimmed));
    if (score >= MIN_LIKENESS && (!best || score > best.score)) best = { index, text: line, score };
  }
  return best && { index: best.index, text: best.text };
}

function pairs(s: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i < s.length - 1; i++) out.set(s.slice(i, i + 2), (out.get(s.slice(i, i + 2)) ?? 0) + 1);
  return out;
}

function likeness(wanted: Map<string, number>, line: Map<string, number>): number {
  let shared = 0;
  for (const [pair, n] of wanted) shared += Math.min(n, line.get(pair) ?? 0);
  const sizeWanted = [...wanted.values()].reduce((a, b) => a + b, 0);
  const sizeLine = [...line.values()].reduce((a, b) => a + b, 0);
  if (sizeWanted === 0 || sizeLine === 0) return 0;
  const dice = (2 * shared) / (sizeWanted + sizeLine);
  return (dice + shared / sizeWanted) / 2;
}
