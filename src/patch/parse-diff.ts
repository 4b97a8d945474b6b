import { parsePatch, type StructuredPatchHunk } from 'diff';
import { normalizeDiff } from './normalize-diff.js';
import { headerPaths } from './diff-paths.js';

export interface ParsedHunk {
  hunk: StructuredPatchHunk;
  /** The header as the diff's author wrote it, before its counts were fixed. */
  header: string;
}

/** One file's part of a unified diff; a null path is `/dev/null` (created or deleted). */
export interface FileDiff {
  oldPath: string | null;
  newPath: string | null;
  /** False for hunks with no `---`/`+++` (or `diff --git`) header naming their file. */
  named: boolean;
  /** The file header as written, for messages about the file as a whole. */
  fileHeader: string;
  hunks: ParsedHunk[];
  isRename: boolean;
  isCopy: boolean;
  isBinary: boolean;
}

/** Splits a unified diff into file diffs. Throws jsdiff's error when it cannot be parsed. */
export function parseDiff(diffText: string): FileDiff[] {
  const { text, headers } = normalizeDiff(diffText);
  let nextHeader = 0;
  return parsePatch(text)
    .filter((p) => p.hunks.length > 0 || p.oldFileName !== undefined || p.newFileName !== undefined)
    .map((p) => {
      const { oldPath, newPath } = headerPaths(p.oldFileName, p.newFileName);
      return {
        // Git names both sides in `diff --git a/x b/x` even when one of them does not exist.
        oldPath: p.isCreate ? null : oldPath,
        newPath: p.isDelete ? null : newPath,
        named: p.oldFileName !== undefined || p.newFileName !== undefined,
        fileHeader: `--- ${p.oldFileName ?? '?'}\n+++ ${p.newFileName ?? '?'}`,
        hunks: p.hunks.map((hunk) => ({ hunk, header: headers[nextHeader++] ?? '@@' })),
        isRename: p.isRename === true,
        isCopy: p.isCopy === true,
        isBinary: p.isBinary === true,
      };
    });
}
