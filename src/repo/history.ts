import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { HarnessError } from '../errors.js';
import { pathInside } from '../util/safe-path.js';

/** One commit of a history, as mining reads it: the change is against its first parent. */
export interface HistoryCommit {
  commit: string;
  parent: string;
  isMerge: boolean;
  authorDate: string;
  committerDate: string;
  subject: string;
  body: string;
}

export interface HistoryQuery {
  branch?: string;
  since?: string;
  until?: string;
  /** Merge commits (their first-parent change) instead of single commits. */
  merges: boolean;
  /** Only commits touching these globs (git pathspecs). */
  paths: string[];
  max?: number;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

function gitError(message: string, source: string, cause: unknown): HarnessError {
  return new HarnessError('REPO_SOURCE', `${message}: ${(cause as Error).message.trim().split('\n')[0]}`, { file: source }, { cause });
}

/** A URL git can clone (scheme://, user@host:path), as opposed to a folder on this machine. */
export function isRemoteSource(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^[\w.-]+@[\w.-]+:/.test(source);
}

/**
 * A git directory for `source`: a local repository as it is, or a URL cloned (bare) into
 * `cacheDir` once and fetched again on later calls.
 */
export async function openHistory(source: string, cacheDir: string, name: string): Promise<string> {
  if (source.startsWith('-')) throw new HarnessError('REPO_SOURCE', `a repository source may not start with -: ${JSON.stringify(source.slice(0, 80))}`, { field: 'repo' });
  if (!isRemoteSource(source)) {
    const dir = path.resolve(source);
    if (!existsSync(dir)) throw new HarnessError('REPO_SOURCE', `no such folder: ${dir}`, { file: dir, field: 'repo' });
    try {
      const inside = (await simpleGit(dir).raw(['rev-parse', '--is-inside-work-tree', '--is-bare-repository'])).trim().split('\n');
      if (!inside.includes('true')) throw new Error('neither a work tree nor a bare repository');
    } catch (cause) {
      throw gitError(`${dir} is not a git repository`, dir, cause);
    }
    return dir;
  }
  const mirror = pathInside(cacheDir, `${name.replace('/', '__')}.git`);
  try {
    if (existsSync(mirror)) await simpleGit(mirror).raw(['fetch', '--quiet', source, '+refs/*:refs/*']);
    else {
      mkdirSync(path.dirname(mirror), { recursive: true });
      await simpleGit().clone(source, mirror, ['--mirror', '--quiet']);
    }
  } catch (cause) {
    throw gitError(`cannot clone ${source}`, source, cause);
  }
  return mirror;
}

/** The commit a branch (or HEAD) names, or an error naming the branch. */
export async function resolveBranch(gitDir: string, branch: string | undefined): Promise<string> {
  const ref = branch ?? 'HEAD';
  if (ref.startsWith('-')) throw new HarnessError('USAGE', `a branch may not start with -: ${JSON.stringify(ref)}`, { field: 'branch' });
  const what = branch ? `no branch or commit ${JSON.stringify(branch)}` : 'the repository has no commits';
  let commit = '';
  try {
    commit = (await simpleGit(gitDir).raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch (cause) {
    throw new HarnessError('REPO_SOURCE', `${what} in ${gitDir}`, { file: gitDir, field: 'branch' }, { cause });
  }
  // --quiet: a missing ref is an empty answer, not always an error.
  if (!/^[0-9a-f]{40,64}$/.test(commit)) throw new HarnessError('REPO_SOURCE', `${what} in ${gitDir}`, { file: gitDir, field: 'branch' });
  return commit;
}

/** The commits to mine, newest first (git log's order), each with its first parent. */
export async function listHistory(gitDir: string, tip: string, query: HistoryQuery): Promise<HistoryCommit[]> {
  const args = ['log', `--format=%H${FIELD}%P${FIELD}%aI${FIELD}%cI${FIELD}%s${FIELD}%b${RECORD}`, query.merges ? '--merges' : '--no-merges'];
  if (query.merges) args.push('--first-parent');
  if (query.since) args.push(`--since=${query.since}`);
  if (query.until) args.push(`--until=${query.until}`);
  if (query.max !== undefined) args.push(`--max-count=${query.max}`);
  args.push(tip, '--', ...query.paths.map((p) => `:(glob)${p}`));
  const out = await simpleGit(gitDir).raw(args);
  return out
    .split(RECORD)
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.includes(FIELD))
    .map((r) => {
      const [commit = '', parents = '', authorDate = '', committerDate = '', subject = '', body = ''] = r.split(FIELD);
      const parentList = parents.split(' ').filter(Boolean);
      return { commit, parent: parentList[0] ?? '', isMerge: parentList.length > 1, authorDate, committerDate, subject, body: body.trim() };
    })
    .filter((c) => c.parent !== ''); // a root commit has no base to start from
}

/** The change a commit made against `parent`, as a git diff (binary files included). */
export async function commitDiff(gitDir: string, parent: string, commit: string): Promise<string> {
  const diff = await simpleGit(gitDir).raw(['diff', '--no-color', '--no-ext-diff', '--no-renames', '--binary', '--full-index', parent, commit]);
  return diff.endsWith('\n') || diff === '' ? diff : `${diff}\n`;
}

/** Reads files of a commit's tree, for drafting a spec from what the repository holds. */
export class TreeReader {
  private readonly git: SimpleGit;
  constructor(gitDir: string, private readonly commit: string) {
    this.git = simpleGit(gitDir);
  }

  async files(): Promise<string[]> {
    const out = await this.git.raw(['ls-tree', '-r', '--name-only', this.commit]);
    return out.split('\n').filter(Boolean);
  }

  async read(file: string): Promise<string | undefined> {
    try {
      return await this.git.raw(['show', `${this.commit}:${file}`]);
    } catch {
      return undefined;
    }
  }
}
