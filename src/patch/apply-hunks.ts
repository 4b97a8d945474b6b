import type { StructuredPatchHunk } from 'diff';
import { applyHunk } from './apply-hunk.js';
import { diagnoseHunk } from './diagnose-hunk.js';

export interface HunksOutcome {
  /** The content with every hunk that fits applied. */
  content: string;
  failed: Array<{ index: number; reason: string }>;
}

/**
 * Applies hunks one at a time, so a hunk that fits nowhere is named and the others still
 * apply. Where a hunk lands tells where the next one should: a diff whose line numbers are
 * off by 20 is off by 20 for every hunk, and searching from the right place picks the right
 * copy of a repeated context.
 */
export function applyHunks(content: string, hunks: StructuredPatchHunk[], fuzzFactor: number): HunksOutcome {
  const failed: HunksOutcome['failed'] = [];
  // Failures are explained against the file as its author read it, before earlier hunks moved lines.
  const original = content;
  let offset = 0;
  for (const [index, hunk] of hunks.entries()) {
    const lineCount = content.split('\n').length;
    const oldStart = Math.min(Math.max(1, hunk.oldStart + offset), lineCount + 1);
    const result = applyHunk(content, { ...hunk, oldStart }, fuzzFactor);
    if (result === undefined) {
      failed.push({ index, reason: diagnoseHunk(original, hunk) });
      continue;
    }
    const at = appliedAt(content, result, hunk);
    if (at !== undefined) offset = at - hunk.oldStart + hunk.newLines - hunk.oldLines;
    content = result;
  }
  return { content, failed };
}

/** The 1-based line the hunk was applied at: the first changed line less its leading context. */
function appliedAt(before: string, after: string, hunk: StructuredPatchHunk): number | undefined {
  const a = before.split('\n');
  const b = after.split('\n');
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  if (first === a.length && first === b.length) return undefined;
  const leading = hunk.lines.findIndex((line) => line[0] !== ' ');
  return first + 1 - Math.max(0, leading);
}
