import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HarnessError } from '../errors.js';
import { pathInside } from '../util/safe-path.js';
import { repoSpecSchema, type EnvSpec, type RepoSpec } from './spec-schema.js';
import { isValidRange, versionInRange } from './version-range.js';
import { zodProblems } from './zod-problems.js';

/** The file name a repo's spec lives in: owner__name.yaml, as SWE-bench spells instance ids. */
export function specFileName(repo: string): string {
  return `${repo.replace('/', '__')}.yaml`;
}

export interface ResolvedSpec {
  repo: RepoSpec;
  env: EnvSpec;
  file: string;
}

/** Repo specs read from YAML on first use, from several folders (first match wins). */
export class SpecRegistry {
  private readonly cache = new Map<string, { spec: RepoSpec; file: string }>();

  constructor(private readonly dirs: string[]) {}

  /** The spec entry for one instance's repo and version, or an error naming the file to write. */
  resolve(repo: string, version: string, instanceId?: string): ResolvedSpec {
    const { spec, file } = this.load(repo, instanceId);
    const env = spec.specs.find(
      (s) => s.versions.includes(version) || (s.version_range !== undefined && versionInRange(version, s.version_range)),
    );
    if (!env) {
      const known = spec.specs.flatMap((s) => [...s.versions, ...(s.version_range ? [s.version_range] : [])]);
      throw new HarnessError(
        'SPEC_NOT_FOUND',
        `no entry for version ${JSON.stringify(version)} (the spec covers ${known.join(', ')}); add one to its specs list`,
        { instanceId, file, field: 'version' },
      );
    }
    return { repo: spec, env, file };
  }

  private load(repo: string, instanceId?: string): { spec: RepoSpec; file: string } {
    const cached = this.cache.get(repo);
    if (cached) return cached;
    const name = specFileName(repo);
    const file = this.dirs.map((d) => pathInside(d, name)).find((f) => existsSync(f));
    if (!file) {
      throw new HarnessError(
        'SPEC_NOT_FOUND',
        `no spec for repo ${repo}: write ${path.join(this.dirs[0] ?? 'config/specs', name)} ` +
          '(see config/specs/ for examples and the README for the format)',
        { instanceId, field: 'repo' },
      );
    }
    const loaded = { spec: parseRepoSpec(readFileSync(file, 'utf8'), file, repo), file };
    this.cache.set(repo, loaded);
    return loaded;
  }
}

/** Parses and validates one spec file, reporting every problem with its field path. */
export function parseRepoSpec(text: string, file: string, expectedRepo?: string): RepoSpec {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (cause) {
    throw new HarnessError('SPEC_INVALID', `not valid YAML: ${(cause as Error).message}`, { file }, { cause });
  }
  const result = repoSpecSchema.safeParse(raw);
  if (!result.success) {
    const lines = zodProblems(result.error).map((p) => `  ${p.field}: ${p.message}`);
    throw new HarnessError('SPEC_INVALID', `invalid spec:\n${lines.join('\n')}`, { file });
  }
  const spec = result.data;
  if (expectedRepo && spec.repo !== expectedRepo) {
    throw new HarnessError('SPEC_INVALID', `spec is for ${spec.repo}, expected ${expectedRepo}`, { file, field: 'repo' });
  }
  spec.specs.forEach((s, i) => {
    if (s.version_range !== undefined && !isValidRange(s.version_range)) {
      throw new HarnessError('SPEC_INVALID', `bad version_range ${JSON.stringify(s.version_range)}`, {
        file,
        field: `specs.${i}.version_range`,
      });
    }
  });
  return spec;
}
