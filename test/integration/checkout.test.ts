import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.js';
import { checkoutAtCommit } from '../../src/repo/checkout.js';
import { GitFixture } from '../helpers/git-fixture.js';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

function makeRepo() {
  const repo = new GitFixture();
  const first = repo.commit('first', { 'a.txt': 'one\n' });
  const base = repo.commit('base', { 'a.txt': 'two\n' });
  const fix = repo.commit('the fix', { 'a.txt': 'fixed\n' });
  repo.git('tag', 'v1.0');
  repo.git('branch', 'release', fix);
  return { repo, first, base, fix };
}

describe('checkoutAtCommit', () => {
  for (const kind of ['clone', 'bundle', 'git URL'] as const) {
    it(`leaves no history after base_commit (source: ${kind})`, async () => {
      const { repo, first, base, fix } = makeRepo();
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'checkout-'));
      const source = kind === 'bundle' ? repo.bundle(path.join(tmp, 'r.bundle')) : kind === 'git URL' ? `file://${repo.dir}` : repo.dir;
      const dest = path.join(tmp, 'testbed');
      await checkoutAtCommit({ repo: 'demo/r', source, cacheDir: path.join(tmp, 'cache') }, base, dest);

      expect(git(dest, 'rev-parse', 'HEAD')).toBe(base);
      expect(git(dest, 'show', 'HEAD:a.txt')).toBe('two');
      expect(git(dest, 'log', '--all', '--format=%H').split('\n')).toEqual([base, first]);
      expect(git(dest, 'tag')).toBe('');
      expect(git(dest, 'remote')).toBe('');
      expect(git(dest, 'status', '--porcelain')).toBe('');
      expect(() => git(dest, 'cat-file', '-e', fix)).toThrow();
    });
  }

  it('fails with REPO_SOURCE naming base_commit when the commit does not exist', async () => {
    const { repo } = makeRepo();
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'checkout-'));
    const missing = 'f'.repeat(40);
    const err = await checkoutAtCommit({ repo: 'demo/r', source: repo.dir, cacheDir: tmp, instanceId: 'demo__r-1' }, missing, path.join(tmp, 'x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('REPO_SOURCE');
    expect((err as HarnessError).context).toMatchObject({ instanceId: 'demo__r-1', field: 'base_commit' });
  });

  it('fetches into the cached mirror when a later instance needs a newer commit', async () => {
    const { repo, base } = makeRepo();
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'checkout-'));
    const loc = { repo: 'demo/r', source: repo.dir, cacheDir: path.join(tmp, 'cache') };
    await checkoutAtCommit(loc, base, path.join(tmp, 'one'));
    const later = repo.commit('later', { 'b.txt': 'b\n' });
    await checkoutAtCommit(loc, later, path.join(tmp, 'two'));
    expect(git(path.join(tmp, 'two'), 'show', 'HEAD:b.txt')).toBe('b');
  });
});
