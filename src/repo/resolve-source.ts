import { existsSync } from 'node:fs';
import { pathInside } from '../util/safe-path.js';

export interface SourceHints {
  /** config `repos`: owner/name -> source. */
  configured: Record<string, string>;
  /** --repo-cache DIR: a folder of local clones or bare mirrors. */
  localDirs: string[];
  instanceSource?: string;
  specSource?: string;
}

/** Names a local clone or mirror of owner/name may have in a folder of them. */
function localCandidates(dir: string, repo: string): string[] {
  const [owner = '', name = ''] = repo.split('/');
  const names: string[][] = [[`${owner}__${name}.git`], [`${owner}__${name}`], [owner, `${name}.git`], [owner, name], [`${name}.git`], [name]];
  return names.map((segments) => pathInside(dir, ...segments));
}

/**
 * Where a repository's source is, most specific first: the user's config, a local mirror
 * folder, the instance's own repo_source, the spec's source; undefined means GitHub by name.
 */
export function resolveRepoSource(repo: string, hints: SourceHints): string | undefined {
  const configured = hints.configured[repo];
  if (configured) return configured;
  for (const dir of hints.localDirs) {
    const found = localCandidates(dir, repo).find((p) => existsSync(p));
    if (found) return found;
  }
  return hints.instanceSource ?? hints.specSource;
}
