import { describe, expect, it } from 'vitest';
import { afterEdit, syntaxReport } from '../../src/tools/after-edit.js';
import { formatExec } from '../../src/tools/bash.js';
import { formatDefinition } from '../../src/tools/find-symbol.js';
import { formatListing } from '../../src/tools/list-dir.js';
import { lineWindow, numberLines } from '../../src/tools/read-file.js';
import { formatMatches } from '../../src/tools/search.js';

describe('read_file windows', () => {
  it('shows a short file whole, without a note', () => {
    expect(lineWindow(20)).toEqual({ start: 1, end: 20 });
  });

  it('cuts a long file at the default window and says how to read on', () => {
    expect(lineWindow(1000)).toEqual({ start: 1, end: 400, note: '[lines 1-400 of 1000; read more with start_line=401]' });
    expect(lineWindow(1000, 990)).toEqual({ start: 990, end: 1000, note: '[lines 990-1000 of 1000]' });
  });

  it('shows a range asked for, clipped to the file', () => {
    expect(lineWindow(1000, 10, 20)).toEqual({ start: 10, end: 20, note: '[lines 10-20 of 1000]' });
    expect(lineWindow(15, 10, 99)).toEqual({ start: 10, end: 15, note: '[lines 10-15 of 15]' });
  });

  it('refuses a range past the end or backwards', () => {
    expect(() => lineWindow(15, 16)).toThrow(/past the end of the file, which has 15 lines/);
    expect(() => lineWindow(15, 10, 5)).toThrow(/before start_line/);
  });

  it('numbers lines like cat -n', () => {
    expect(numberLines(['a', 'b', 'c'], 2, 3)).toBe('    2\tb\n    3\tc');
  });
});

describe('list_dir and search output', () => {
  it('lists repository-relative entries with / after directories and the count when cut', () => {
    const out = 'd sub\nf a.py\nl link\n__swe_harness_total__ 600\n';
    expect(formatListing('pkg', out)).toBe('pkg/sub/\npkg/a.py\npkg/link@\n[3 of 600 entries shown; list a subdirectory or use a smaller depth]');
    expect(formatListing('.', 'f README.md\n__swe_harness_total__ 1\n')).toBe('README.md');
    expect(formatListing('empty', '__swe_harness_total__ 0\n')).toBe('(empty is empty)');
  });

  it('shows matches and says how many were left out', () => {
    expect(formatMatches('a.py:3:def f():\n__swe_harness_total__ 1\n')).toBe('a.py:3:def f():');
    expect(formatMatches('./a.py:3:x\n__swe_harness_total__ 250\n')).toBe('a.py:3:x\n[1 of 250 matches shown; narrow the pattern, path or glob]');
    expect(formatMatches('__swe_harness_total__ 0\n')).toBe('no matches');
  });
});

describe('bash and find_symbol output', () => {
  it('gives the exit code, or says the command timed out', () => {
    expect(formatExec({ exitCode: 2, output: 'oops\n', timedOut: false, truncated: false, durationMs: 5 })).toBe('exit code 2\noops');
    expect(formatExec({ exitCode: null, output: '', timedOut: true, truncated: false, durationMs: 2049 })).toBe('TIMED OUT after 2 s: the command was killed (the sandbox lives on). Output so far:\n(no output)');
  });

  it('formats a definition with its container', () => {
    expect(formatDefinition({ path: 'm.py', line: 3, endLine: 9, name: 'save', kind: 'method', container: 'Model', signature: 'def save(self):' })).toBe('m.py:3 method Model.save — def save(self):');
  });
});

describe('the syntax check after an edit', () => {
  it('appends the syntax errors of changed files it can parse, and keeps the result a success', async () => {
    const result = await afterEdit('edited x', [
      { path: 'pkg/broken.py', content: 'def f(:\n    return 1\n' },
      { path: 'pkg/fine.py', content: 'def g():\n    return 2\n' },
      { path: 'notes.txt', content: 'def (((' },
      { path: 'gone.py', content: null },
    ]);
    expect(result.isError).toBeUndefined();
    expect(result.output).toMatch(/^edited x\n\nWARNING: .*syntax errors.*\nsyntax errors in pkg\/broken\.py: line 1 col \d+: /);
    expect(result.output).not.toContain('fine.py');
    expect(result.output).not.toContain('notes.txt');
  });

  it('says when the file did not parse before the edit either, so the model does not chase old errors', async () => {
    const fresh = await syntaxReport([{ path: 'a.py', content: 'def f(:\n', before: 'def f():\n    pass\n' }]);
    expect(fresh).toMatch(/^syntax errors in a\.py: line 1 /);
    expect(fresh).not.toContain('before this change');
    const old = await syntaxReport([{ path: 'a.py', content: 'def g(:\n    pass\ndef f(:\n', before: 'def g(:\n    pass\n' }]);
    expect(old).toMatch(/had syntax errors before this change too/);
  });

  it('says nothing when the files parse', async () => {
    expect(await syntaxReport([{ path: 'a.ts', content: 'export const x: number = 1;\n' }])).toBe('');
    expect(await afterEdit('ok', [{ path: 'a.js', content: 'let y = 2;\n' }])).toEqual({ output: 'ok' });
  });
});
