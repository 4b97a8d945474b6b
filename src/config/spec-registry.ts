import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HarnessError } from '../errors.js';
import { pathInside } from '../util/safe-path.js';
import { repoSpecSchema, type EnvSpec, type RepoSpec } from './spec-schema.js';
import { isValidRange, versionInRange } from './version-range.js';
import { zodProblems } from '../util/zod-problems.js';

/** The file name a repo's spec lives in: owner__name.yaml, as SWE-bench spells instance ids. */
export function specFileName(repo: string): string {
  return `${repo.replace('/', '__')}.yaml`;
}

export interface ResolvedSpec {
  repo: RepoSpec;
  env: EnvSpec;
  file: string;
}

export type ImageSource = NonNullable<EnvSpec['source']>;

/** A repo spec file as read, by the repo name it was asked for. */
export interface LoadedRepoSpec {
  repo: string;
  spec: RepoSpec;
  file: string;
}

function covers(entry: EnvSpec, version: string): boolean {
  return entry.versions.includes(version) || (entry.version_range !== undefined && versionInRange(version, entry.version_range));
}

/**
 * Repo specs read from YAML on first use, from several folders (first match wins). Given an
 * image source, an entry marked for the other source is passed over, so one file can hold a
 * version's offline and registry variants side by side.
 */
export class SpecRegistry {
  private readonly cache = new Map<string, { spec: RepoSpec; file: string }>();

  constructor(
    private readonly dirs: string[],
    private readonly source?: ImageSource,
  ) {}

  /** The registry for a harness config: its spec folders and its image source. */
  static forConfig(config: { spec_dirs: string[]; images: { source: ImageSource } }): SpecRegistry {
    return new SpecRegistry(config.spec_dirs, config.images.source);
  }

  /**
   * A registry that answers from repo specs already read elsewhere (a queue job carries the
   * coordinator's), reading no folder: a worker needs no spec files, and resolves the same way.
   */
  static withLoaded(config: { images: { source: ImageSource } }, loaded: LoadedRepoSpec[]): SpecRegistry {
    const registry = new SpecRegistry([], config.images.source);
    for (const l of loaded) registry.cache.set(l.repo, { spec: l.spec, file: l.file });
    return registry;
  }

  /** A repo's spec as read from its file, or undefined when there is none (resolve says why). */
  loaded(repo: string): LoadedRepoSpec | undefined {
    try {
      return { repo, ...this.load(repo) };
    } catch {
      return undefined;
    }
  }

  /** The spec entry for one instance's repo and version, or an error naming the file to write. */
  resolve(repo: string, version: string, instanceId?: string): ResolvedSpec {
    const { spec, file } = this.load(repo, instanceId);
    const forVersion = spec.specs.filter((s) => covers(s, version));
    const env = forVersion.find((s) => this.source === undefined || s.source === undefined || s.source === this.source);
    if (env) return { repo: spec, env, file };
    if (forVersion.length > 0) {
      const other = forVersion[0]?.source ?? '';
      throw new HarnessError(
        'SPEC_NOT_FOUND',
        `version ${JSON.stringify(version)} has only ${other} entries, and images.source is ${this.source}; ` +
          `set images.source: ${other} in the config, or add an entry with source: ${this.source}`,
        { instanceId, file, field: 'source' },
      );
    }
    const known = spec.specs.flatMap((s) => [...s.versions, ...(s.version_range ? [s.version_range] : [])]);
    throw new HarnessError(
      'SPEC_NOT_FOUND',
      `no entry for version ${JSON.stringify(version)} (the spec covers ${[...new Set(known)].join(', ')}); add one to its specs list`,
      { instanceId, file, field: 'version' },
    );
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
