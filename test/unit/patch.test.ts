import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.js';
import { applyUnifiedDiff, type DiffApplyResult } from '../../src/patch/apply-unified-diff.js';
import { formatHunkFailures } from '../../src/patch/format-hunk-failures.js';
import { GitFixture } from '../helpers/git-fixture.js';

const INVENTORY = readFileSync(new URL('../fixtures/code-nav/inventory.py', import.meta.url), 'utf8');
const HTTP_CLIENT = readFileSync(new URL('../fixtures/code-nav/http-client.js', import.meta.url), 'utf8');

/** A readFile over an in-memory tree that remembers every path asked for. */
function tree(files: Record<string, string>) {
  const asked: string[] = [];
  const readFile = async (path: string) => {
    asked.push(path);
    return files[path] ?? null;
  };
  return { readFile, asked };
}

/** Replaces `from` with `to` in `text`, failing loudly if the edit does not apply. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture edit does not apply: ${from}`);
  return text.replace(from, to);
}

// Two hunks in the Python module (far apart, so git keeps them apart) and one in the JS one.
const INVENTORY_AFTER = edit(
  edit(INVENTORY, 'DEFAULT_REORDER_LEVEL = 5\n', 'DEFAULT_REORDER_LEVEL = 10\nMAX_ITEMS = 500\n'),
  '            return item.quantity < level\n',
  '            return item.quantity <= level\n',
);
const HTTP_CLIENT_AFTER = edit(HTTP_CLIENT, '  static fromEnv() {\n', '  static fromEnv(env = process.env) {\n');

function changedRepo() {
  const repo = new GitFixture();
  const base = repo.commit('base', { 'shop/inventory.py': INVENTORY, 'web/http-client.js': HTTP_CLIENT });
  const head = repo.commit('change', { 'shop/inventory.py': INVENTORY_AFTER, 'web/http-client.js': HTTP_CLIENT_AFTER });
  return { repo, base, head };
}

const BASE_TREE = { 'shop/inventory.py': INVENTORY, 'web/http-client.js': HTTP_CLIENT };
const EXPECTED_CHANGES = [
  { path: 'shop/inventory.py', before: INVENTORY, after: INVENTORY_AFTER },
  { path: 'web/http-client.js', before: HTTP_CLIENT, after: HTTP_CLIENT_AFTER },
];

function failuresOf(result: DiffApplyResult) {
  if (result.ok) throw new Error('expected the diff to fail');
  return result.failures;
}

describe('applyUnifiedDiff on real git diffs', () => {
  it('applies a multi-file, multi-hunk git diff', async () => {
    const { repo, base, head } = changedRepo();
    const diff = repo.diff(base, head);
    expect(diff.match(/^@@ /gm)).toHaveLength(3);
    expect(await applyUnifiedDiff(diff, tree(BASE_TREE).readFile)).toStrictEqual({ ok: true, changes: EXPECTED_CHANGES });
  });

  it('applies hunks whose line numbers are 20 lines off (the file grew a header since)', async () => {
    const { repo, base, head } = changedRepo();
    const banner = Array.from({ length: 20 }, (_, i) => `# banner line ${i + 1}\n`).join('');
    const result = await applyUnifiedDiff(repo.diff(base, head, 'shop/inventory.py'), tree({ 'shop/inventory.py': banner + INVENTORY }).readFile);
    expect(result).toStrictEqual({
      ok: true,
      changes: [{ path: 'shop/inventory.py', before: banner + INVENTORY, after: banner + INVENTORY_AFTER }],
    });
  });

  it('applies hunks whose header counts are wrong, as models write them', async () => {
    const { repo, base, head } = changedRepo();
    const diff = repo.diff(base, head).replace(/^@@ -(\d+),\d+ \+(\d+),\d+ @@/gm, '@@ -$1,3 +$2,99 @@');
    expect(diff).toContain(',99 @@');
    expect(await applyUnifiedDiff(diff, tree(BASE_TREE).readFile)).toStrictEqual({ ok: true, changes: EXPECTED_CHANGES });
  });

  it('applies a diff without a/ and b/ prefixes, with or without `diff --git` lines', async () => {
    const { repo, base, head } = changedRepo();
    const noPrefix = `${repo.git('diff', '--no-prefix', base, head)}\n`;
    expect(noPrefix).toContain('--- shop/inventory.py\n+++ shop/inventory.py');
    const plain = noPrefix.replace(/^(diff --git|index) .*\n/gm, '');
    for (const diff of [noPrefix, plain]) {
      const { readFile, asked } = tree(BASE_TREE);
      expect(await applyUnifiedDiff(diff, readFile)).toStrictEqual({ ok: true, changes: EXPECTED_CHANGES });
      expect(asked).toStrictEqual(['shop/inventory.py', 'web/http-client.js']);
    }
  });

  it('creates and deletes files', async () => {
    const repo = new GitFixture();
    const base = repo.commit('base', { 'shop/inventory.py': INVENTORY, 'shop/legacy.py': 'OLD = True\n' });
    repo.git('rm', '--quiet', 'shop/legacy.py');
    const head = repo.commit('change', { 'shop/prices.py': 'def price(sku):\n    return 0\n' });
    const diff = repo.diff(base, head);
    expect(diff).toContain('--- /dev/null\n+++ b/shop/prices.py');
    expect(diff).toContain('--- a/shop/legacy.py\n+++ /dev/null');
    const result = await applyUnifiedDiff(diff, tree({ 'shop/inventory.py': INVENTORY, 'shop/legacy.py': 'OLD = True\n' }).readFile);
    expect(result).toStrictEqual({
      ok: true,
      changes: [
        { path: 'shop/legacy.py', before: 'OLD = True\n', after: null },
        { path: 'shop/prices.py', before: null, after: 'def price(sku):\n    return 0\n' },
      ],
    });
  });

  it('refuses to create a file that exists with different content, and treats identical content as done', async () => {
    const repo = new GitFixture();
    const base = repo.commit('base', { 'README.md': '# shop\n' });
    const head = repo.commit('add', { 'shop/prices.py': 'def price(sku):\n    return 0\n' });
    const diff = repo.diff(base, head);
    const clash = await applyUnifiedDiff(diff, tree({ 'shop/prices.py': 'PRICES = {}\n' }).readFile);
    expect(failuresOf(clash)).toStrictEqual([
      {
        path: 'shop/prices.py',
        hunkIndex: -1,
        header: '--- /dev/null\n+++ b/shop/prices.py',
        reason: 'cannot create `shop/prices.py`: it already exists with different content',
        hunk: '',
      },
    ]);
    expect(clash.changes).toStrictEqual([]);
    const again = await applyUnifiedDiff(diff, tree({ 'shop/prices.py': 'def price(sku):\n    return 0\n' }).readFile);
    expect(again).toStrictEqual({ ok: true, changes: [] });
  });

  it('applies a rename with edits from `git diff -M`', async () => {
    const repo = new GitFixture();
    const base = repo.commit('base', { 'shop/inventory.py': INVENTORY });
    repo.git('mv', 'shop/inventory.py', 'shop/stock.py');
    const head = repo.commit('rename', { 'shop/stock.py': INVENTORY_AFTER });
    const diff = `${repo.git('diff', '-M', base, head)}\n`;
    expect(diff).toContain('rename from shop/inventory.py');
    expect(await applyUnifiedDiff(diff, tree({ 'shop/inventory.py': INVENTORY }).readFile)).toStrictEqual({
      ok: true,
      changes: [
        { path: 'shop/inventory.py', before: INVENTORY, after: null },
        { path: 'shop/stock.py', before: null, after: INVENTORY_AFTER },
      ],
    });
  });
});

describe('line endings', () => {
  const crlf = (s: string) => s.replace(/\n/g, '\r\n');

  it('applies a git diff of a CRLF file and keeps its CRLF endings', async () => {
    const repo = new GitFixture();
    repo.git('config', 'core.autocrlf', 'false');
    const base = repo.commit('base', { 'shop/inventory.py': crlf(INVENTORY) });
    const head = repo.commit('change', { 'shop/inventory.py': crlf(INVENTORY_AFTER) });
    const diff = repo.diff(base, head);
    expect(diff).toContain('+DEFAULT_REORDER_LEVEL = 10\r\n');
    const result = await applyUnifiedDiff(diff, tree({ 'shop/inventory.py': crlf(INVENTORY) }).readFile);
    expect(result).toStrictEqual({ ok: true, changes: [{ path: 'shop/inventory.py', before: crlf(INVENTORY), after: crlf(INVENTORY_AFTER) }] });
  });

  it('applies an LF diff to a CRLF file, writing the added lines with CRLF', async () => {
    const { repo, base, head } = changedRepo();
    const diff = repo.diff(base, head, 'shop/inventory.py');
    const result = await applyUnifiedDiff(diff, tree({ 'shop/inventory.py': crlf(INVENTORY) }).readFile);
    expect(result).toStrictEqual({ ok: true, changes: [{ path: 'shop/inventory.py', before: crlf(INVENTORY), after: crlf(INVENTORY_AFTER) }] });
  });

  it('handles a file without a final newline, and a diff whose own final newline was trimmed', async () => {
    const repo = new GitFixture();
    const before = 'VERSION = "1.0"\nNAME = "shop"';
    const after = 'VERSION = "1.1"\nNAME = "shop"';
    const base = repo.commit('base', { 'shop/version.py': before });
    const head = repo.commit('bump', { 'shop/version.py': after });
    const diff = repo.diff(base, head);
    expect(diff).toContain('\\ No newline at end of file');
    for (const text of [diff, diff.trimEnd()]) {
      expect(await applyUnifiedDiff(text, tree({ 'shop/version.py': before }).readFile)).toStrictEqual({
        ok: true,
        changes: [{ path: 'shop/version.py', before, after }],
      });
    }
  });

  it('ignores a `No newline at end of file` marker the file contradicts', async () => {
    const diff = ['--- a/shop/version.py', '+++ b/shop/version.py', '@@ -1,2 +1,2 @@', '-VERSION = "1.0"', '+VERSION = "1.1"', ' NAME = "shop"', '\\ No newline at end of file', ''].join('\n');
    const before = 'VERSION = "1.0"\nNAME = "shop"\n';
    expect(await applyUnifiedDiff(diff, tree({ 'shop/version.py': before }).readFile)).toStrictEqual({
      ok: true,
      changes: [{ path: 'shop/version.py', before, after: 'VERSION = "1.1"\nNAME = "shop"\n' }],
    });
  });
});

describe('hand-written diffs', () => {
  it('accepts bare @@ headers, blank context lines without their space, a code fence and trailing whitespace', async () => {
    const diff = [
      'Here is the fix:',
      '```diff',
      '--- shop/inventory.py',
      '+++ shop/inventory.py',
      '@@',
      '     def add(self, item: Item) -> None:',
      '         if item.sku in self._items:',
      '-            raise ValueError(f"duplicate sku {item.sku}")',
      '+            raise KeyError(item.sku)',
      '         self._items[item.sku] = item',
      '',
      '     @staticmethod   ',
      '```',
      '',
    ].join('\n');
    const after = edit(INVENTORY, 'raise ValueError(f"duplicate sku {item.sku}")', 'raise KeyError(item.sku)');
    expect(await applyUnifiedDiff(diff, tree({ 'shop/inventory.py': INVENTORY }).readFile)).toStrictEqual({
      ok: true,
      changes: [{ path: 'shop/inventory.py', before: INVENTORY, after }],
    });
  });

  it('applies two sections for the same file on top of each other', async () => {
    const section = (from: string, to: string) => ['--- a/web/http-client.js', '+++ b/web/http-client.js', '@@ -1 +1 @@', `-${from}`, `+${to}`].join('\n');
    const diff = `${section('const DEFAULT_TIMEOUT = 30_000;', 'const DEFAULT_TIMEOUT = 5_000;')}\n${section('let requestCount = 0;', 'let requestCount = 1;')}\n`;
    const after = edit(edit(HTTP_CLIENT, '30_000', '5_000'), 'requestCount = 0', 'requestCount = 1');
    expect(await applyUnifiedDiff(diff, tree({ 'web/http-client.js': HTTP_CLIENT }).readFile)).toStrictEqual({
      ok: true,
      changes: [{ path: 'web/http-client.js', before: HTTP_CLIENT, after }],
    });
  });

  it('creates a file written as a patch to a missing file when its hunk only adds lines', async () => {
    const diff = '--- a/NOTES.md\n+++ b/NOTES.md\n@@ -0,0 +1,2 @@\n+# Notes\n+Restock on Mondays.\n';
    expect(await applyUnifiedDiff(diff, tree({}).readFile)).toStrictEqual({
      ok: true,
      changes: [{ path: 'NOTES.md', before: null, after: '# Notes\nRestock on Mondays.\n' }],
    });
  });
});

describe('failures', () => {
  it('names the file, hunk and context line that is not in the file, and applies the other hunks', async () => {
    const { repo, base, head } = changedRepo();
    const diff = repo.diff(base, head, 'shop/inventory.py').replace('         def below(item: Item) -> bool:', '         def below(item: Item) -> int:');
    const result = await applyUnifiedDiff(diff, tree({ 'shop/inventory.py': INVENTORY }).readFile);
    const [failure, ...rest] = failuresOf(result);
    expect(rest).toStrictEqual([]);
    expect(failure).toMatchObject({ path: 'shop/inventory.py', hunkIndex: 1 });
    expect(failure?.header).toBe('@@ -49,7 +50,7 @@ class Inventory:');
    expect(failure?.reason).toBe(
      'context line 3 `        def below(item: Item) -> int:` not found in the file; closest match at lines 49-54 (5 of 6 lines match)',
    );
    expect(failure?.hunk.split('\n')[3]).toBe('         def below(item: Item) -> int:');
    // The first hunk still applies; the caller decides whether to write a partial result.
    expect(result.changes).toStrictEqual([
      { path: 'shop/inventory.py', before: INVENTORY, after: edit(INVENTORY, 'DEFAULT_REORDER_LEVEL = 5\n', 'DEFAULT_REORDER_LEVEL = 10\nMAX_ITEMS = 500\n') },
    ]);
    const text = formatHunkFailures(failuresOf(result));
    expect(text).toContain('- `shop/inventory.py`, hunk 2: context line 3 `        def below(item: Item) -> int:` not found');
    expect(text).toContain('```diff\n@@ -49,7 +50,7 @@ class Inventory:\n \n     def reorder(');
  });

  it('points at a line that differs only in indentation', async () => {
    const diff = ['--- a/shop/inventory.py', '+++ b/shop/inventory.py', '@@ -35,2 +35,2 @@', ' def __init__(self, items: Iterable[Item] = ()):', '-        total = 0', '+        total = 1'].join('\n');
    const [failure] = failuresOf(await applyUnifiedDiff(diff, tree({ 'shop/inventory.py': INVENTORY }).readFile));
    expect(failure?.reason).toBe(
      'context line 1 `def __init__(self, items: Iterable[Item] = ()):` not found in the file' +
        ' (file line 35 `    def __init__(self, items: Iterable[Item] = ()):` differs only in whitespace); closest match at lines 36-37 (1 of 2 lines match)',
    );
  });

  it('rejects paths that escape the repository or are absolute, without reading them', async () => {
    const escape = '--- a/../../etc/passwd\n+++ b/../../etc/passwd\n@@ -1 +1 @@\n-root:x:0:0\n+root::0:0\n';
    const absolute = '--- /etc/passwd\n+++ /etc/passwd\n@@ -1 +1 @@\n-root:x:0:0\n+root::0:0\n';
    const { readFile, asked } = tree({});
    expect(failuresOf(await applyUnifiedDiff(escape, readFile)).map((f) => [f.hunkIndex, f.reason])).toStrictEqual([
      [-1, 'path `../../etc/passwd` escapes the repository with `..`'],
    ]);
    expect(failuresOf(await applyUnifiedDiff(absolute, readFile)).map((f) => f.reason)).toStrictEqual([
      'path `/etc/passwd` is absolute; use a path relative to the repository root',
    ]);
    expect(asked).toStrictEqual([]);
  });

  it('says when a patched file does not exist, and when the text is not a diff', async () => {
    const { repo, base, head } = changedRepo();
    const missing = await applyUnifiedDiff(repo.diff(base, head, 'web/http-client.js'), tree({}).readFile);
    expect(failuresOf(missing).map((f) => f.reason)).toStrictEqual([
      'cannot patch `web/http-client.js`: the file does not exist (a new file needs `--- /dev/null`)',
    ]);
    const prose = await applyUnifiedDiff('I changed the timeout to 5 seconds.\n', tree(BASE_TREE).readFile);
    expect(formatHunkFailures(failuresOf(prose))).toBe(
      'The diff did not apply (1 problem):\n\n- the diff names no files: expected `--- a/<path>` and `+++ b/<path>` lines followed by `@@` hunks',
    );
    const headless = await applyUnifiedDiff('@@ -1 +1 @@\n-a\n+b\n', tree(BASE_TREE).readFile);
    expect(failuresOf(headless).map((f) => f.reason)).toStrictEqual([
      'the diff has hunks but no `--- a/<path>` and `+++ b/<path>` lines naming their file',
    ]);
  });

  it('rejects a fuzz factor that is not a non-negative integer', async () => {
    await expect(applyUnifiedDiff('', tree({}).readFile, { fuzzFactor: -1 })).rejects.toBeInstanceOf(HarnessError);
    await expect(applyUnifiedDiff('', tree({}).readFile, { fuzzFactor: 1.5 })).rejects.toMatchObject({ code: 'TOOL_ARGS' });
  });

  it('applies a hunk with one wrong context line when the caller allows fuzz', async () => {
    const diff = ['--- a/web/http-client.js', '+++ b/web/http-client.js', '@@ -35,3 +35,3 @@', '   static fromEnv() {', '-    return new HttpClient(process.env.API_URL);', '+    return new HttpClient(process.env.API_BASE_URL);', '   }', ' }', ' // end of class'].join('\n');
    const readFile = tree({ 'web/http-client.js': HTTP_CLIENT }).readFile;
    expect((await applyUnifiedDiff(diff, readFile)).ok).toBe(false);
    const fuzzy = await applyUnifiedDiff(diff, readFile, { fuzzFactor: 1 });
    expect(fuzzy).toStrictEqual({
      ok: true,
      changes: [{ path: 'web/http-client.js', before: HTTP_CLIENT, after: edit(HTTP_CLIENT, 'env.API_URL', 'env.API_BASE_URL') }],
    });
  });
});

describe('hunk placement', () => {
  it('carries the offset where one hunk landed to the next, so a repeated block is patched in the right copy', async () => {
    const block = (n: number) => `def handler_${n}(event):\n    if event is None:\n        return None\n    return process(event)\n\n\n`;
    const lines = ['import os\n', 'import sys\n', 'VERSION = 1\n', '\n\n'];
    const before = lines.join('') + block(1) + '# ---- second group ----\n'.repeat(20) + block(2);
    const after = edit(edit(before, 'VERSION = 1\n', 'VERSION = 2\n'), 'def handler_2(event):\n    if event is None:\n        return None', 'def handler_2(event):\n    if event is None:\n        return {}');
    // Only the second copy of `if event is None: return None` may change; hunk 2's context is
    // three lines that appear in both copies.
    const diff = [
      '--- a/app.py', '+++ b/app.py',
      '@@ -3,1 +3,1 @@', '-VERSION = 1', '+VERSION = 2',
      '@@ -33,3 +33,3 @@', '     if event is None:', '-        return None', '+        return {}', '     return process(event)',
    ].join('\n');
    const banner = Array.from({ length: 20 }, (_, i) => `# banner ${i + 1}\n`).join('');
    const result = await applyUnifiedDiff(diff, tree({ 'app.py': banner + before }).readFile);
    expect(result).toStrictEqual({ ok: true, changes: [{ path: 'app.py', before: banner + before, after: banner + after }] });
  });
});
