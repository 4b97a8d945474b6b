import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { HarnessError } from '../errors.js';
import { KeyedLock } from '../util/keyed-lock.js';
import { pathInside } from '../util/safe-path.js';

export interface RepoLocation {
  repo: string;
  /** A git URL, a local clone, a bare mirror or a .bundle file; undefined: GitHub by name. */
  source?: string;
  /** Folder of bare mirrors, one per repo (owner__name.git), reused across runs. */
  cacheDir: string;
  instanceId?: string;
}

const mirrorLocks = new KeyedLock();

function mirrorPath(loc: RepoLocation): string {
  return pathInside(loc.cacheDir, `${loc.repo.replace('/', '__')}.git`);
}

async function hasCommit(gitDir: string, commit: string): Promise<boolean> {
  try {
    await simpleGit(gitDir).raw(['cat-file', '-e', `${commit}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * A bare mirror in the cache that has `commit`: cloned from the source on first use and
 * fetched again only when the commit is missing, so reruns need no network.
 */
export async function ensureMirror(loc: RepoLocation, commit: string): Promise<string> {
  const mirror = mirrorPath(loc);
  return mirrorLocks.run(mirror, async () => {
    const source = loc.source ?? `https://github.com/${loc.repo}.git`;
    const context = { instanceId: loc.instanceId, field: 'repo' };
    // git reads a leading dash as an option (--upload-pack=... runs a program): never a source.
    if (source.startsWith('-')) throw new HarnessError('REPO_SOURCE', `a repository source may not start with -: ${JSON.stringify(source.slice(0, 80))}`, context);
    try {
      if (!existsSync(mirror)) {
        mkdirSync(path.dirname(mirror), { recursive: true });
        await simpleGit().clone(source, mirror, ['--mirror', '--quiet']);
      } else if (!(await hasCommit(mirror, commit))) {
        await simpleGit(mirror).raw(['fetch', '--quiet', source, '+refs/*:refs/*']);
      }
    } catch (cause) {
      throw new HarnessError('REPO_SOURCE', `cannot get ${loc.repo} from ${source}: ${(cause as Error).message.trim()}`, context, { cause });
    }
    if (!(await hasCommit(mirror, commit))) {
      throw new HarnessError('REPO_SOURCE', `commit ${commit} is not in ${loc.repo} (source ${source})`, { ...context, field: 'base_commit' });
    }
    return mirror;
  });
}

/**
 * Writes a working tree of the repository at `commit` into `dest`, whose git history ends at
 * that commit: only objects reachable from it are fetched, and no other ref, tag, remote or
 * reflog is kept, so an agent cannot read the fix from `git log --all`.
 */
export async function checkoutAtCommit(loc: RepoLocation, commit: string, dest: string): Promise<void> {
  const mirror = await ensureMirror(loc, commit);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  const git = simpleGit(dest);
  try {
    await git.raw(['init', '--quiet', '--initial-branch=main']);
    await git.raw(['fetch', '--quiet', '--no-tags', mirror, commit]);
    await git.raw(['checkout', '--quiet', '-B', 'main', commit]);
    rmSync(path.join(dest, '.git', 'FETCH_HEAD'), { force: true });
    await git.raw(['reflog', 'expire', '--expire=now', '--all']);
  } catch (cause) {
    throw new HarnessError('REPO_SOURCE', `cannot check out ${commit}: ${(cause as Error).message.trim()}`, {
      instanceId: loc.instanceId,
      field: 'base_commit',
    }, { cause });
  }
}
