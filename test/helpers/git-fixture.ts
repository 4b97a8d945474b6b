import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A real git repository made in the test, with fixed identities and dates. */
export class GitFixture {
  readonly dir: string;
  private tick = 0;

  constructor(name = 'repo') {
    this.dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'git-fixture-')), name);
    mkdirSync(this.dir, { recursive: true });
    this.git('init', '--quiet', '--initial-branch=main');
  }

  git(...args: string[]): string {
    const date = `2024-01-01T00:00:${String(this.tick).padStart(2, '0')}Z`;
    return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    }).trim();
  }

  /** Writes files and commits them; returns the commit's SHA. */
  commit(message: string, files: Record<string, string>): string {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(this.dir, name)), { recursive: true });
      writeFileSync(path.join(this.dir, name), content);
    }
    this.tick++;
    this.git('add', '-A');
    this.git('commit', '--quiet', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  diff(from: string, to: string, ...paths: string[]): string {
    return `${this.git('diff', from, to, '--', ...paths)}\n`;
  }

  /** A real `git diff` of `files` written over `base`, made in a throwaway worktree. */
  patchAgainst(base: string, files: Record<string, string>): string {
    const tree = mkdtempSync(path.join(os.tmpdir(), 'worktree-'));
    this.git('worktree', 'add', '--quiet', '--detach', tree, base);
    try {
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
        writeFileSync(path.join(tree, name), content);
      }
      execFileSync('git', ['add', '-A'], { cwd: tree });
      return execFileSync('git', ['diff', '--cached'], { cwd: tree, encoding: 'utf8' });
    } finally {
      this.git('worktree', 'remove', '--force', tree);
    }
  }

  bundle(file: string): string {
    this.git('bundle', 'create', file, '--all');
    return file;
  }
}
