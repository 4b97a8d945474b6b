import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { floorsBelow, writeObjectPack } from '../../src/repo/history-layers.js';
import { GitFixture } from '../helpers/git-fixture.js';

function line(n: number): { repo: GitFixture; commits: string[] } {
  const repo = new GitFixture();
  const commits = Array.from({ length: n }, (_, i) => repo.commit(`c${i + 1}`, { 'a.txt': `${i}\n`, [`f${i}.txt`]: `file ${i}\n` }));
  return { repo, commits };
}

describe('floorsBelow', () => {
  it('puts floors at fixed first-parent positions, the chain starting every `depth` floors', async () => {
    const { repo, commits } = line(10);
    // every 3: floors at c1, c4, c7, c10 (indexes 0..3); depth 2: chains [0, 1] and [2, 3].
    const floors = await floorsBelow(repo.dir, commits[8] as string, { every: 3, depth: 2 });
    expect(floors).toEqual([{ commit: commits[6], index: 2 }]);
    expect(await floorsBelow(repo.dir, commits[9] as string, { every: 3, depth: 2 })).toEqual([{ commit: commits[6], index: 2 }, { commit: commits[9], index: 3 }]);
    expect(await floorsBelow(repo.dir, commits[5] as string, { every: 3, depth: 2 })).toEqual([{ commit: commits[0], index: 0 }, { commit: commits[3], index: 1 }]);
  });
});

describe('writeObjectPack', () => {
  it('packs the objects from one commit to another and nothing reachable only from later ones', async () => {
    const { repo, commits } = line(4);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pack-'));
    await writeObjectPack(repo.dir, commits[1] as string, commits[2] as string, dir);
    const idx = readdirSync(dir).find((f) => f.endsWith('.idx')) as string;
    const listed = execFileSync('git', ['show-index'], { input: execFileSync('cat', [path.join(dir, idx)]), encoding: 'utf8' });
    const ids = listed.trim().split('\n').map((l) => l.split(' ')[1]);
    expect(ids).toContain(commits[2]);
    expect(ids).not.toContain(commits[1]);
    expect(ids).not.toContain(commits[3]);
    // c3's commit, its tree, a.txt's new blob and f2.txt: four objects.
    expect(ids).toHaveLength(4);
  });

  it('writes an empty folder when the layer is already at the commit', async () => {
    const { repo, commits } = line(2);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pack-'));
    await writeObjectPack(repo.dir, commits[1] as string, commits[1] as string, dir);
    expect(readdirSync(dir)).toEqual([]);
  });
});
