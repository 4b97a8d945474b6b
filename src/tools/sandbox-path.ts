import path from 'node:path';
import { HarnessError } from '../errors.js';

/**
 * A path the model gave, as a path relative to the repository root (`.` for the root), or
 * why it is refused. Absolute paths inside the repository are accepted and made relative,
 * because models often echo the `/testbed/...` paths they saw in tracebacks. This keeps the
 * tools' messages clear; it is not a security boundary (the agent has a shell anyway).
 */
export function resolveRepoPath(input: string, workdir: string): { path: string } | { error: string } {
  const given = input.trim();
  if (given === '') return { path: '.' };
  if (path.posix.isAbsolute(given)) {
    const relative = path.posix.relative(workdir, path.posix.normalize(given));
    if (relative === '') return { path: '.' };
    if (relative === '..' || relative.startsWith('../') || path.posix.isAbsolute(relative)) {
      return { error: `path \`${input}\` is outside the repository (${workdir}); use a path relative to the repository root` };
    }
    return { path: relative };
  }
  const normal = path.posix.normalize(given).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) {
    return { error: `path \`${input}\` leaves the repository with \`..\`; use a path relative to the repository root` };
  }
  return { path: normal === '' ? '.' : normal };
}

/** resolveRepoPath for tools: a refused path fails the call with a message the model reads. */
export function repoPath(input: string, workdir: string, opts: { file?: boolean } = {}): string {
  const resolved = resolveRepoPath(input, workdir);
  if ('error' in resolved) throw new HarnessError('TOOL_ARGS', resolved.error);
  if (opts.file && resolved.path === '.') throw new HarnessError('TOOL_ARGS', `path \`${input}\` is the repository root, not a file`);
  return resolved.path;
}
