import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHarnessConfig } from '../../src/config/harness-config.js';
import { SpecRegistry } from '../../src/config/spec-registry.js';
import { makeImageBuilder } from '../../src/images/instance-images.js';
import type { Instance } from '../../src/instance/instance-schema.js';
import { listManagedImages } from '../../src/runtime/cleanup.js';
import { LABELS } from '../../src/runtime/labels.js';
import { pruneImages } from '../../src/runtime/prune-images.js';
import { HISTORY_HIDDEN, hiddenHistoryCheckScript } from '../../src/test-spec/hidden-history.js';
import { makeTestSpec } from '../../src/test-spec/test-spec.js';
import { GitFixture } from '../helpers/git-fixture.js';

/**
 * A history whose first-parent line is g1..g6 then a merge m7 of a side commit s (made on a
 * branch from g5), then the fix f8 (tagged, on a branch). With floors every 2 commits and
 * chains of 2 links, the floors are g1, g3 (chain 1) and g5, m7 (chain 2).
 */
function makeHistory() {
  const repo = new GitFixture('layers');
  const g: string[] = [];
  for (let i = 1; i <= 6; i++) {
    if (i === 6) {
      repo.git('checkout', '--quiet', '-b', 'side');
      repo.commit('side work', { 'side.txt': 'only in the merge\n' });
      repo.git('checkout', '--quiet', 'main');
    }
    g.push(repo.commit(`g${i}`, { 'a.txt': `${i}\n`, [`f${i}.txt`]: `file of g${i}\n` }));
  }
  repo.git('merge', '--quiet', '--no-ff', '-m', 'm7', 'side');
  const m7 = repo.git('rev-parse', 'HEAD');
  const fix = repo.commit('the fix', { 'a.txt': 'fixed\n', 'fix.txt': 'the fix\n' });
  repo.git('tag', 'v1.0');
  repo.git('branch', 'release', fix);
  repo.git('branch', '-D', 'side');
  return { repo, g4: g[3] as string, g6: g[5] as string, m7, fix };
}

const work = mkdtempSync(path.join(os.tmpdir(), 'repo-layers-'));
const made = new Set<string>();

function setup(name: string, source: string) {
  const repoName = `test/layers-${name}-${process.pid}`;
  const specDir = path.join(work, name, 'specs');
  mkdirSync(specDir, { recursive: true });
  writeFileSync(path.join(specDir, `${repoName.replace('/', '__')}.yaml`), `repo: ${repoName}\nspecs:\n  - versions: ["1"]\n    base: python\n    test_cmd: "true {tests}"\n    log_parser: pytest\n`);
  const config = loadHarnessConfig(undefined, {
    spec_dirs: [specDir],
    repo_cache: path.join(work, name, 'repos'),
    images: { log_dir: path.join(work, name, 'logs'), repo_layers: { every: 2, depth: 2 } },
  });
  const specs = SpecRegistry.forConfig(config);
  const instanceAt = (commit: string, id: string): Instance => ({
    instance_id: `${name}__${id}`, repo: repoName, base_commit: commit, patch: '', test_patch: '', problem_statement: 'x',
    hints_text: '', created_at: '', version: '1', FAIL_TO_PASS: [], PASS_TO_PASS: [], repo_source: source,
  });
  const build = async (instance: Instance) => {
    const spec = makeTestSpec(instance, specs.resolve(repoName, '1'), config);
    const built = await makeImageBuilder(config, specs, [instance]).ensureInstanceImage(spec);
    made.add(built.instance);
    return { tag: spec.instanceImage.tag, id: built.instance, built: built.built };
  };
  return { repoName, instanceAt, build };
}

function checkHidden(tag: string, commit: string): string {
  const r = spawnSync('docker', ['run', '--rm', '--network', 'none', tag, 'bash', '-c', hiddenHistoryCheckScript(commit)], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

/** The test's own shared layers and instance images, as prune sees them. */
async function ours(repoName: string) {
  return (await listManagedImages()).filter((img) => made.has(img.id) || img.tags.some((t) => t.startsWith(`swe-harness/repo:${repoName.replace('/', '__')}`)));
}

afterAll(async () => {
  for (const name of ['clone', 'bundle', 'url', 'prune']) await pruneImages(await ours(`test/layers-${name}-${process.pid}`), ['instance', 'repo']);
});

describe('instance images on shared repository layers', () => {
  const { repo, g4, g6, m7, fix } = makeHistory();
  const sources = { clone: repo.dir, bundle: repo.bundle(path.join(work, 'layers.bundle')), url: `file://${repo.dir}` };

  for (const [name, source] of Object.entries(sources)) {
    it(`an older instance built after a newer one sees nothing after its own base_commit (source: ${name})`, async () => {
      const t = setup(name, source);
      const newer = await t.build(t.instanceAt(m7, 'newer'));
      const older = await t.build(t.instanceAt(g6, 'older'));
      expect(newer.built.repo).toBe(true);
      // g6 stands on the same floor (g5) as m7: its link is shared, not built again.
      expect(older.built.repo).toBe(false);
      expect(checkHidden(newer.tag, m7)).toContain(HISTORY_HIDDEN);
      // The check itself sees a leak: the newer image holds history after g6.
      expect(checkHidden(newer.tag, g6)).toMatch(/LEAK: .*not reachable from base_commit/);
      const olderCheck = checkHidden(older.tag, g6);
      expect(olderCheck).toContain(HISTORY_HIDDEN);
      expect(olderCheck).toContain('untracked files: 0');
      // m7's merge brought side.txt: in the newer image's own layer, never in the older's.
      const side = spawnSync('docker', ['run', '--rm', older.tag, 'bash', '-c', `ls side.txt; git cat-file -e ${m7}; git cat-file -e ${fix}; git log --all --oneline | wc -l`], { encoding: 'utf8' });
      expect(side.stdout.trim()).toBe('6');
      expect(side.stderr).toContain('side.txt');
    });
  }

  it('images prune removes the shared layers no instance image uses any more, and keeps the rest', async () => {
    const t = setup('prune', sources.clone);
    const a = await t.build(t.instanceAt(g4, 'a'));
    const older = await t.build(t.instanceAt(g6, 'older'));
    const newer = await t.build(t.instanceAt(m7, 'newer'));
    const layers = async () => (await ours(t.repoName)).filter((i) => i.kind === 'repo');
    const floorOf = (img: { id: string }) => spawnSync('docker', ['image', 'inspect', '-f', `{{index .Config.Labels "${LABELS.commit}"}}`, img.id], { encoding: 'utf8' }).stdout.trim();
    expect(await layers()).toHaveLength(4);
    // Without the newer instance, the m7 link serves nobody; g5's serves 'older', g1 and g3 serve 'a'.
    await pruneImages((await ours(t.repoName)).filter((i) => i.id === newer.id || i.kind === 'repo'), ['instance', 'repo']);
    const left = await layers();
    expect(left).toHaveLength(3);
    expect(left.map(floorOf)).not.toContain(m7);
    const instances = (await ours(t.repoName)).filter((i) => i.kind === 'instance' && i.instance?.startsWith('prune__')).map((i) => i.id);
    expect(instances.sort()).toEqual([a.id, older.id].sort());
    await pruneImages(await ours(t.repoName), ['instance', 'repo']);
    expect(await ours(t.repoName)).toEqual([]);
  });
});
