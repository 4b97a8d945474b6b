import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.js';
import { repoPath, resolveRepoPath } from '../../src/tools/sandbox-path.js';
import { testTarget } from '../../src/tools/run-tests.js';

const WORKDIR = '/testbed';

describe('resolveRepoPath', () => {
  it('keeps relative paths inside the repository, normalised', () => {
    expect(resolveRepoPath('textkit/slugify.py', WORKDIR)).toEqual({ path: 'textkit/slugify.py' });
    expect(resolveRepoPath('./textkit//slugify.py', WORKDIR)).toEqual({ path: 'textkit/slugify.py' });
    expect(resolveRepoPath('tests/../textkit/', WORKDIR)).toEqual({ path: 'textkit' });
    expect(resolveRepoPath('..foo/bar', WORKDIR)).toEqual({ path: '..foo/bar' });
  });

  it('reads an empty path and . as the repository root', () => {
    expect(resolveRepoPath('', WORKDIR)).toEqual({ path: '.' });
    expect(resolveRepoPath('./', WORKDIR)).toEqual({ path: '.' });
    expect(resolveRepoPath('/testbed/', WORKDIR)).toEqual({ path: '.' });
  });

  it('turns absolute paths inside the repository into relative ones', () => {
    expect(resolveRepoPath('/testbed/textkit/slugify.py', WORKDIR)).toEqual({ path: 'textkit/slugify.py' });
  });

  it('refuses absolute paths outside the repository, a sibling with the same prefix included', () => {
    for (const p of ['/etc/passwd', '/testbedx/a.py', '/testbed/../etc/passwd', '/']) {
      expect(resolveRepoPath(p, WORKDIR)).toEqual({ error: expect.stringMatching(/is outside the repository \(\/testbed\)/) });
    }
  });

  it('refuses .. escapes, also when they come after a real folder', () => {
    for (const p of ['..', '../x', 'textkit/../../x', 'a/b/../../..']) {
      expect(resolveRepoPath(p, WORKDIR)).toEqual({ error: expect.stringMatching(/leaves the repository with `\.\.`/) });
    }
  });
});

describe('repoPath (for tools)', () => {
  it('throws a TOOL_ARGS error the model can read', () => {
    const err = (() => {
      try {
        repoPath('/etc/passwd', WORKDIR);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(HarnessError);
    expect((err as HarnessError).code).toBe('TOOL_ARGS');
  });

  it('refuses the root where a file is needed', () => {
    expect(() => repoPath('.', WORKDIR, { file: true })).toThrow(/repository root, not a file/);
    expect(repoPath('.', WORKDIR)).toBe('.');
  });
});

describe('testTarget (run_tests arguments)', () => {
  it('keeps test ids after the path as they are', () => {
    expect(testTarget('./tests/test_slugify.py::test_x[a//b]', WORKDIR)).toBe('tests/test_slugify.py::test_x[a//b]');
    expect(testTarget('/testbed/tests/test_slugify.py', WORKDIR)).toBe('tests/test_slugify.py');
  });

  it('refuses escapes, outside paths, the whole repository and options', () => {
    expect(() => testTarget('../other/test_x.py', WORKDIR)).toThrow(/leaves the repository/);
    expect(() => testTarget('/tmp/test_x.py::t', WORKDIR)).toThrow(/outside the repository/);
    expect(() => testTarget('.', WORKDIR)).toThrow(/whole repository/);
    expect(() => testTarget('--collect-only', WORKDIR)).toThrow(/looks like an option/);
  });
});
