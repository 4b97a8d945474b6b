import { HarnessError } from '../errors.js';
import { applyFileDiff, type HunkFailure } from './apply-file-diff.js';
import { FileStates, type FileChange } from './file-states.js';
import { parseDiff, type FileDiff } from './parse-diff.js';

export type { HunkFailure } from './apply-file-diff.js';
export type { FileChange } from './file-states.js';

/** On failure, `changes` holds what the hunks that fit would do; the caller decides whether to write it. */
export type DiffApplyResult =
  | { ok: true; changes: FileChange[] }
  | { ok: false; failures: HunkFailure[]; changes: FileChange[] };

/**
 * Applies a unified diff (from git or written by a model) to files read through `readFile`
 * (null = the file does not exist) and returns the resulting file contents; nothing is
 * written here. Tolerates shifted line numbers, wrong hunk counts, missing `a/`/`b/`
 * prefixes, CRLF files and a missing final newline; refuses paths outside the repository.
 */
export async function applyUnifiedDiff(
  diffText: string,
  readFile: (path: string) => Promise<string | null>,
  opts: { fuzzFactor?: number } = {},
): Promise<DiffApplyResult> {
  const fuzzFactor = opts.fuzzFactor ?? 0;
  if (!Number.isInteger(fuzzFactor) || fuzzFactor < 0) {
    throw new HarnessError('TOOL_ARGS', `fuzzFactor must be a non-negative integer, got ${fuzzFactor}`);
  }
  let fileDiffs: FileDiff[];
  try {
    fileDiffs = parseDiff(diffText);
  } catch (err) {
    return wholeDiffFailure(`the diff cannot be parsed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (fileDiffs.length === 0) {
    return wholeDiffFailure('the diff names no files: expected `--- a/<path>` and `+++ b/<path>` lines followed by `@@` hunks');
  }
  const files = new FileStates(readFile);
  const failures: HunkFailure[] = [];
  for (const fileDiff of fileDiffs) failures.push(...(await applyFileDiff(fileDiff, files, fuzzFactor)));
  const changes = files.changes();
  return failures.length === 0 ? { ok: true, changes } : { ok: false, failures, changes };
}

function wholeDiffFailure(reason: string): DiffApplyResult {
  return { ok: false, failures: [{ path: '', hunkIndex: -1, header: '', reason, hunk: '' }], changes: [] };
}
