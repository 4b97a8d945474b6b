import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { HarnessError } from '../errors.js';

/**
 * Where a repository's shared layers stop: commits of a commit's first-parent line at fixed
 * positions counted from the root (1, 1 + every, 1 + 2 * every, ...). A commit's floors are
 * its own first-parent ancestors, so a layer holding history up to a floor holds nothing a
 * later instance could not see anyway, and they depend only on the commit, not on the batch:
 * instances of any batch on the same line of history share them.
 */
export interface LayerPlan {
  /** Commits between two floors (first-parent). */
  every: number;
  /** Links in one chain of layers: the first link of a chain holds a full checkout. */
  depth: number;
}

export interface Floor {
  commit: string;
  /** Its position on the first-parent line divided by `every` (0: the root commit). */
  index: number;
}

/**
 * The chain of floors below `commit`, oldest first: the last floor at or before it, back to
 * the chain's start (an index that is a multiple of `depth`, so every commit of one line
 * shares the same chains). Each link adds to the one before; the first is a full checkout.
 */
export async function floorsBelow(gitDir: string, commit: string, plan: LayerPlan): Promise<Floor[]> {
  const line = (await simpleGit(gitDir).raw(['rev-list', '--first-parent', commit])).trim().split('\n');
  const at = (index: number): Floor => ({ commit: line[line.length - 1 - index * plan.every] as string, index });
  const top = Math.floor((line.length - 1) / plan.every);
  const start = top - (top % plan.depth);
  return Array.from({ length: top - start + 1 }, (_, k) => at(start + k));
}

/**
 * Writes into `dir` one pack (and its index) of the objects reachable from `to` and not from
 * `from`: what a layer holding history up to `from` lacks to hold it up to `to`. Only objects
 * reachable from `to` are ever packed, so nothing after `to` can be in it. Self-contained
 * (not thin): the image never has to complete it.
 */
export async function writeObjectPack(gitDir: string, from: string, to: string, dir: string, instanceId?: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  if (from === to) return;
  const child = spawn('git', ['pack-objects', '--revs', '--quiet', '--delta-base-offset', path.join(dir, 'pack')], { cwd: gitDir, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(`${to}\n^${from}\n`);
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) throw new HarnessError('REPO_SOURCE', `cannot pack the history from ${from} to ${to}: ${stderr.trim()}`, { instanceId, field: 'base_commit' });
}
