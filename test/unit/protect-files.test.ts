import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { protectFiles } from '../../src/test-spec/eval-script.js';

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
}

describe('protectFiles', () => {
  // The restore step used `git ls-tree`, which rejects `:(glob)` pathspecs ("pathspec magic
  // not supported"): a patch that edited a tracked conftest.py kept its edit.
  it('restores tracked conftest.py files a patch changed, and removes new ones (regression: ls-tree glob)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'protect-'));
    git(dir, 'init', '-q');
    mkdirSync(path.join(dir, 'tests/sub'), { recursive: true });
    writeFileSync(path.join(dir, 'conftest.py'), 'root = 1\n');
    writeFileSync(path.join(dir, 'tests/conftest.py'), 'tests = 1\n');
    writeFileSync(path.join(dir, 'tests/test_a.py'), 'def test_a(): pass\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'base');
    const base = git(dir, 'rev-parse', 'HEAD').trim();
    writeFileSync(path.join(dir, 'conftest.py'), 'root = "patched"\n');
    writeFileSync(path.join(dir, 'tests/conftest.py'), 'tests = "patched"\n');
    writeFileSync(path.join(dir, 'tests/sub/conftest.py'), 'new = 1\n');
    writeFileSync(path.join(dir, 'tests/test_a.py'), 'def test_a(): assert True\n');
    execFileSync('bash', ['-euo', 'pipefail', '-c', protectFiles(base, ['conftest.py', '**/conftest.py']).join('\n')], { cwd: dir });
    expect(readFileSync(path.join(dir, 'conftest.py'), 'utf8')).toBe('root = 1\n');
    expect(readFileSync(path.join(dir, 'tests/conftest.py'), 'utf8')).toBe('tests = 1\n');
    expect(existsSync(path.join(dir, 'tests/sub/conftest.py'))).toBe(false);
    expect(readFileSync(path.join(dir, 'tests/test_a.py'), 'utf8')).toBe('def test_a(): assert True\n');
  });
});
