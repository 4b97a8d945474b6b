/**
 * A git repository of a real project's size made without the network: `files` source files
 * and `commits` commits on one branch (a merge every 50 commits, as a project that merges
 * pull requests), each commit rewriting a few lines of two or three files. Deterministic
 * (a seeded generator, fixed dates), streamed into `git fast-import`, then repacked as a
 * clone would be. Made once per shape and reused from `dir`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface RepoShape {
  files: number;
  commits: number;
}

/** mulberry32: small, seeded, the same sequence everywhere. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['expr', 'symbol', 'result', 'args', 'matrix', 'simplify', 'solve', 'value', 'index', 'other', 'self', 'coeff', 'power', 'series', 'limit', 'integral'];

function line(rand: () => number): string {
  const n = 3 + Math.floor(rand() * 8);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]);
  return `    ${words.join(rand() < 0.5 ? ' = ' : '.')}(${Math.floor(rand() * 1000)})`;
}

function blob(lines: string[]): string {
  const text = `${lines.join('\n')}\n`;
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** The fast-import stream, written in chunks so that a large history never sits in memory. */
async function writeStream(shape: RepoShape, write: (chunk: string) => Promise<void>): Promise<void> {
  const rand = random(11);
  const contents: string[][] = Array.from({ length: shape.files }, () => Array.from({ length: 60 + Math.floor(rand() * 200) }, () => line(rand)));
  const fileName = (i: number) => `pkg/mod${i % 40}/file_${i}.py`;
  const commitHeader = (i: number, ref: string, message: string) => {
    const when = 1300000000 + i * 3600;
    return `commit ${ref}\nmark :${i + 1}\nauthor Bench <bench@example.com> ${when} +0000\ncommitter Bench <bench@example.com> ${when} +0000\n${blob([message]).replace(/\n$/, '')}\n`;
  };
  let out = commitHeader(0, 'refs/heads/main', 'initial import');
  for (let f = 0; f < shape.files; f++) out += `M 100644 inline ${fileName(f)}\n${blob(contents[f] as string[])}`;
  await write(out);
  for (let i = 1; i < shape.commits; i++) {
    const merge = i % 50 === 0 && i > 50;
    let chunk = commitHeader(i, 'refs/heads/main', merge ? `Merge pull request #${i}` : `change ${i}`);
    chunk += `from :${i}\n`;
    if (merge) chunk += `merge :${i - 25}\n`;
    for (let k = 0; k < 2 + Math.floor(rand() * 2); k++) {
      const f = Math.floor(rand() * shape.files);
      const lines = contents[f] as string[];
      const at = Math.floor(rand() * lines.length);
      lines.splice(at, Math.floor(rand() * 3), ...Array.from({ length: 1 + Math.floor(rand() * 4) }, () => line(rand)));
      chunk += `M 100644 inline ${fileName(f)}\n${blob(lines)}`;
    }
    await write(chunk);
  }
}

/** The repository of this shape under `dir` (a bare repository), made if missing. */
export async function syntheticRepo(dir: string, shape: RepoShape): Promise<string> {
  const repo = path.join(dir, `synthetic-${shape.files}f-${shape.commits}c.git`);
  if (existsSync(repo)) return repo;
  const partial = `${repo}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', partial]);
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: partial, stdio: ['pipe', 'inherit', 'inherit'] });
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  await writeStream(shape, (chunk) => new Promise((resolve) => (child.stdin.write(chunk) ? resolve() : child.stdin.once('drain', () => resolve()))));
  child.stdin.end();
  if ((await done) !== 0) throw new Error('git fast-import failed');
  execFileSync('git', ['repack', '-a', '-d', '-f', '--quiet', '--depth=50', '--window=10'], { cwd: partial });
  renameSync(partial, repo);
  return repo;
}
