import type { StructuredPatchHunk } from 'diff';

interface ExpectedLine {
  /** 1-based position in the hunk body, as the author sees the hunk. */
  bodyLine: number;
  kind: 'context' | 'removed';
  text: string;
}

const SHOWN = 80;
const stripCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);
const show = (s: string) => `\`${s.length > SHOWN ? `${s.slice(0, SHOWN)}…` : s}\``;

/**
 * Why a hunk fits nowhere, in words a model can act on: which of its lines is not in the
 * file, and where the file comes closest to the hunk's old lines.
 */
export function diagnoseHunk(content: string, hunk: StructuredPatchHunk): string {
  const file = content.split('\n').map(stripCr);
  const expected = expectedLines(hunk);
  if (expected.length === 0) return 'the hunk only adds lines and could not be placed in the file';
  const best = closestWindow(file, expected, Math.max(0, hunk.oldStart - 1));
  const where = best.score > 0
    ? `; closest match at lines ${best.start + 1}-${best.start + expected.length} (${best.score} of ${expected.length} lines match)`
    : '; no part of the hunk matches the file';
  const present = new Set(file);
  const absent = expected.find((e) => !present.has(e.text));
  if (absent) return `${absent.kind} line ${absent.bodyLine} ${show(absent.text)} not found in the file${whitespaceNote(file, absent)}${where}`;
  const offIndex = expected.findIndex((e, i) => file[best.start + i] !== e.text);
  const off = expected[offIndex];
  if (!off) return `the hunk matches lines ${best.start + 1}-${best.start + expected.length} but could not be applied there${mixedEndings(content)}`;
  const fileLine = best.start + offIndex;
  return `every line of the hunk is in the file, but not in this order${where}; ${off.kind} line ${off.bodyLine} ${show(off.text)} differs from file line ${fileLine + 1} ${show(file[fileLine] ?? '(end of file)')}`;
}

function expectedLines(hunk: StructuredPatchHunk): ExpectedLine[] {
  return hunk.lines.flatMap((line, i): ExpectedLine[] => {
    if (line[0] !== ' ' && line[0] !== '-') return [];
    return [{ bodyLine: i + 1, kind: line[0] === '-' ? 'removed' : 'context', text: stripCr(line.slice(1)) }];
  });
}

/** The window of the file agreeing with the most expected lines in place; ties go to the nearest. */
function closestWindow(file: string[], expected: ExpectedLine[], near: number): { start: number; score: number } {
  let best = { start: 0, score: -1 };
  for (let start = 0; start < Math.max(1, file.length); start++) {
    const score = expected.reduce((n, e, i) => (file[start + i] === e.text ? n + 1 : n), 0);
    if (score > best.score || (score === best.score && Math.abs(start - near) < Math.abs(best.start - near))) {
      best = { start, score };
    }
  }
  return best;
}

function whitespaceNote(file: string[], line: ExpectedLine): string {
  const squeeze = (s: string) => s.replace(/\s+/g, '');
  const at = file.findIndex((f) => squeeze(f) === squeeze(line.text));
  return at >= 0 ? ` (file line ${at + 1} ${show(file[at] ?? '')} differs only in whitespace)` : '';
}

/** jsdiff matches CRLF files only when every line ends with CRLF. */
function mixedEndings(content: string): string {
  return content.includes('\r\n') && /(^|[^\r])\n/.test(content) ? ' (the file mixes CRLF and LF line endings)' : '';
}
