import { existsSync } from 'node:fs';
import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { specFileName, SpecRegistry, type ResolvedSpec } from '../config/spec-registry.js';
import { formatRepoSpec } from '../config/spec-yaml.js';
import { HarnessError } from '../errors.js';
import { detectLanguage, draftSpec, MINED_VERSION } from '../mining/draft-spec.js';
import { fileRole, splitRule, type Language, type SplitRule } from '../mining/test-files.js';
import { TreeReader } from '../repo/history.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { contentHash } from '../util/hash.js';

export interface MiningSpec {
  specs: SpecRegistry;
  resolved: ResolvedSpec;
  version: string;
  rule: SplitRule;
  /** Written by this run for the user to review (false: the repository's own spec was used). */
  drafted: boolean;
  /** What changes a decision: the spec entry and the split rule. */
  hash: string;
}

/**
 * The spec mining runs with: the repository's own (in the config's spec folders, or in the
 * `specs/` folder beside the output, where an earlier draft was written and maybe edited),
 * or one drafted from the repository's files at the tip and written there for review.
 */
export async function miningSpec(opts: { config: HarnessConfig; repo: string; gitDir: string; tip: string; specDir: string; version?: string }): Promise<MiningSpec> {
  const specs = new SpecRegistry([...opts.config.spec_dirs, opts.specDir], opts.config.images.source);
  const version = opts.version ?? MINED_VERSION;
  const tree = new TreeReader(opts.gitDir, opts.tip);
  const files = await tree.files();
  const known = [...opts.config.spec_dirs, opts.specDir].some((d) => existsSync(path.join(d, specFileName(opts.repo))));
  let drafted = false;
  if (!known) {
    const draft = await draftSpec({ files, read: (f) => tree.read(f) });
    if (!draft) throw new HarnessError('SPEC_NOT_FOUND', `no language recognised in ${opts.repo} (no pyproject.toml, package.json, go.mod, Cargo.toml, pom.xml, nor their sources): write a spec`, { field: 'repo' });
    assertHasTests(files, splitRule(draft.language), opts.repo);
    const file = path.join(opts.specDir, specFileName(opts.repo));
    const notes = [`Drafted by swe-harness tasks mine from ${opts.repo} at ${opts.tip.slice(0, 12)}: review, edit, commit.`, ...draft.notes];
    writeFileAtomic(file, formatRepoSpec({ repo: opts.repo, mining: { language: draft.language }, specs: [draft.entry] }, notes, file));
    drafted = true;
  }
  const resolved = specs.resolve(opts.repo, version);
  const language = (resolved.repo.mining?.language ?? detectLanguage(files)) as Language | undefined;
  if (!language) throw new HarnessError('SPEC_INVALID', 'no language recognised: set mining.language in the spec', { file: resolved.file, field: 'mining.language' });
  const rule = splitRule(language, resolved.repo.mining?.test_globs);
  assertHasTests(files, rule, opts.repo);
  const hash = contentHash({ env: resolved.env, rule });
  return { specs, resolved, version, rule, drafted, hash };
}

/** A repository with no test file at the tip has nothing to mine: said before anything is written. */
function assertHasTests(files: string[], rule: SplitRule, repo: string): void {
  if (files.some((f) => fileRole(f, rule) === 'test')) return;
  throw new HarnessError(
    'REPO_SOURCE',
    `${repo} has no test files at the tip of the branch (${rule.language} ${rule.source === 'spec' ? "spec's" : 'conventions'}: ${rule.testGlobs.join(', ')}); ` +
      'nothing to mine (set mining.test_globs in the spec if its tests live elsewhere)',
    { field: 'repo' },
  );
}
