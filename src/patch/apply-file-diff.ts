import { applyHunks } from './apply-hunks.js';
import type { FileStates } from './file-states.js';
import type { FileDiff } from './parse-diff.js';
import { repoPath } from './diff-paths.js';

/** Why one hunk (or, with hunkIndex -1, a whole file's diff) could not be applied. */
export interface HunkFailure {
  path: string;
  /** 0-based index of the hunk in its file's diff; -1 when the file failed before any hunk. */
  hunkIndex: number;
  /** The hunk header as written (the file header for hunkIndex -1). */
  header: string;
  reason: string;
  /** The hunk as parsed, header first; empty for hunkIndex -1. */
  hunk: string;
}

/**
 * Applies one file's diff to `files`. Hunks that fit are applied even when others fail, as
 * `git apply --reject` would; the failures say which did not.
 */
export async function applyFileDiff(diff: FileDiff, files: FileStates, fuzzFactor: number): Promise<HunkFailure[]> {
  const fail = (path: string, reason: string) => fileFailure(diff, path, reason);
  const shown = diff.newPath ?? diff.oldPath ?? '';
  if (!diff.named) return fail('', 'the diff has hunks but no `--- a/<path>` and `+++ b/<path>` lines naming their file');
  if (diff.isBinary) return fail(shown, 'binary diffs cannot be applied; write the file instead');
  const oldPath = diff.oldPath === null ? null : repoPath(diff.oldPath);
  const newPath = diff.newPath === null ? null : repoPath(diff.newPath);
  for (const p of [oldPath, newPath]) if (p && 'reason' in p) return fail(shown, p.reason);
  const from = oldPath && 'path' in oldPath ? oldPath.path : null;
  const to = newPath && 'path' in newPath ? newPath.path : null;
  if (from === null && to === null) return fail('', 'both sides of the file header are /dev/null');
  if (from === null) return create(diff, to ?? '', files, fuzzFactor);
  if (to === null) return remove(diff, from, files, fuzzFactor);
  if ((diff.isRename || diff.isCopy) && from !== to) return move(diff, from, to, files, fuzzFactor);
  // A non-git diff between two names (`x.orig` to `x`) patches whichever file exists, as patch(1) does.
  const target = from === to || (await files.read(to)) !== null ? to : from;
  return modify(diff, target, files, fuzzFactor);
}

async function create(diff: FileDiff, path: string, files: FileStates, fuzzFactor: number): Promise<HunkFailure[]> {
  const { content, failures } = patch(diff, path, '', fuzzFactor);
  if (failures.length > 0) return failures;
  const existing = await files.read(path);
  if (existing !== null && existing !== content) {
    return fileFailure(diff, path, `cannot create \`${path}\`: it already exists with different content`);
  }
  await files.write(path, content);
  return [];
}

/** A deletion removes the file once its hunks fit; a hand-written diff may not list every line. */
async function remove(diff: FileDiff, path: string, files: FileStates, fuzzFactor: number): Promise<HunkFailure[]> {
  const existing = await files.read(path);
  if (existing === null) return missing(diff, path, 'delete');
  const { failures } = patch(diff, path, existing, fuzzFactor);
  if (failures.length === 0) await files.write(path, null);
  return failures;
}

async function move(diff: FileDiff, from: string, to: string, files: FileStates, fuzzFactor: number): Promise<HunkFailure[]> {
  const source = await files.read(from);
  if (source === null) return missing(diff, from, diff.isRename ? 'rename' : 'copy');
  if ((await files.read(to)) !== null) {
    return fileFailure(diff, to, `cannot ${diff.isRename ? 'rename' : 'copy'} \`${from}\` to \`${to}\`: \`${to}\` already exists`);
  }
  const { content, failures } = patch(diff, to, source, fuzzFactor);
  await files.write(to, content);
  if (diff.isRename) await files.write(from, null);
  return failures;
}

async function modify(diff: FileDiff, path: string, files: FileStates, fuzzFactor: number): Promise<HunkFailure[]> {
  let existing = await files.read(path);
  if (existing === null) {
    // A new file written with `--- a/x` instead of `--- /dev/null`: its hunks only add lines.
    const onlyAdds = diff.hunks.every(({ hunk }) => hunk.lines.every((l) => l[0] === '+' || l[0] === '\\'));
    if (!onlyAdds) return missing(diff, path, 'patch');
    existing = '';
  }
  const { content, failures } = patch(diff, path, existing, fuzzFactor);
  await files.write(path, content);
  return failures;
}

function missing(diff: FileDiff, path: string, verb: string): HunkFailure[] {
  const hint = verb === 'patch' ? ' (a new file needs `--- /dev/null`)' : '';
  return fileFailure(diff, path, `cannot ${verb} \`${path}\`: the file does not exist${hint}`);
}

function fileFailure(diff: FileDiff, path: string, reason: string): HunkFailure[] {
  return [{ path, hunkIndex: -1, header: diff.fileHeader, reason, hunk: '' }];
}

function patch(diff: FileDiff, path: string, content: string, fuzzFactor: number): { content: string; failures: HunkFailure[] } {
  const outcome = applyHunks(content, diff.hunks.map((h) => h.hunk), fuzzFactor);
  const failures = outcome.failed.map(({ index, reason }): HunkFailure => {
    const parsed = diff.hunks[index];
    const header = parsed?.header ?? '@@';
    return { path, hunkIndex: index, header, reason, hunk: [header, ...(parsed?.hunk.lines ?? [])].join('\n') };
  });
  return { content: outcome.content, failures };
}
