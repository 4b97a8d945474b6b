import path from 'node:path';

/** `/dev/null` stands for a side that does not exist: the file is created or deleted. */
export const NO_FILE = '/dev/null';

/**
 * The repository-relative paths named by a file header. Git's `a/` and `b/` prefixes are
 * dropped only when both sides use them (or one side is /dev/null), so a diff made with
 * `--no-prefix` of a real top-level folder named `a` keeps its path.
 */
export function headerPaths(
  oldName: string | undefined,
  newName: string | undefined,
): { oldPath: string | null; newPath: string | null } {
  const prefixed =
    (oldName === NO_FILE || !!oldName?.startsWith('a/')) && (newName === NO_FILE || !!newName?.startsWith('b/'));
  const strip = (name: string | undefined, prefix: string): string | null => {
    if (name === undefined || name === NO_FILE) return null;
    return prefixed && name.startsWith(prefix) ? name.slice(prefix.length) : name;
  };
  return { oldPath: strip(oldName, 'a/'), newPath: strip(newName, 'b/') };
}

/**
 * The path to read and write, normalised (`./x` and `src/../x` are `x`), or why it may not
 * be touched: an agent's diff must stay inside the repository.
 */
export function repoPath(p: string): { path: string } | { reason: string } {
  if (p === '') return { reason: 'the diff names an empty path' };
  if (path.posix.isAbsolute(p) || /^[A-Za-z]:[\\/]/.test(p)) {
    return { reason: `path \`${p}\` is absolute; use a path relative to the repository root` };
  }
  const normal = path.posix.normalize(p);
  if (normal === '..' || normal.startsWith('../')) return { reason: `path \`${p}\` escapes the repository with \`..\`` };
  if (normal === '.') return { reason: `path \`${p}\` is the repository itself, not a file` };
  return { path: normal };
}
