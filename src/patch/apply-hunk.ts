import { applyPatch, type StructuredPatch, type StructuredPatchHunk } from 'diff';

type CompareLine = (lineNumber: number, line: string, operation: string, patchContent: string) => boolean;

// Models often drop trailing spaces from the lines they copy; the file's own line is kept.
const ignoringTrailingSpace: CompareLine = (_n, line, _op, patchContent) =>
  typeof line === 'string' && line.trimEnd() === patchContent.trimEnd();

/**
 * The content with one hunk applied, or undefined when it fits nowhere. jsdiff searches
 * outwards from the header's line, so shifted line numbers still apply; the file's line
 * endings win over the diff's (`autoConvertLineEndings`).
 */
export function applyHunk(content: string, hunk: StructuredPatchHunk, fuzzFactor: number): string | undefined {
  for (const variant of endOfFileVariants(hunk)) {
    for (const compareLine of [undefined, ignoringTrailingSpace]) {
      const result = applyPatch(content, singleHunkPatch(variant), { fuzzFactor, autoConvertLineEndings: true, compareLine });
      if (result !== false) return result;
    }
  }
  return undefined;
}

function singleHunkPatch(hunk: StructuredPatchHunk): StructuredPatch {
  return { oldFileName: undefined, newFileName: undefined, oldHeader: undefined, newHeader: undefined, hunks: [hunk] };
}

/**
 * jsdiff refuses a hunk whose `\ No newline at end of file` marker disagrees with the file.
 * A hand-written marker is usually the wrong part, so the hunk is retried without it and
 * the file keeps its own final newline (or lack of one).
 */
function endOfFileVariants(hunk: StructuredPatchHunk): StructuredPatchHunk[] {
  const withoutMarkers = hunk.lines.filter((line) => !line.startsWith('\\'));
  return withoutMarkers.length === hunk.lines.length ? [hunk] : [hunk, { ...hunk, lines: withoutMarkers }];
}
