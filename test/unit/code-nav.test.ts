import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findDefinitions } from '../../src/code-nav/find-definitions.js';
import { formatOutline } from '../../src/code-nav/format-outline.js';
import { languageForPath, type Language } from '../../src/code-nav/language.js';
import { outline, type SymbolDef } from '../../src/code-nav/file-outline.js';
import { syntaxErrors } from '../../src/code-nav/syntax-errors.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/code-nav/${name}`, import.meta.url), 'utf8');

/** [name, kind, line, endLine, container] — compact enough to read a whole outline at once. */
type Row = [string, SymbolDef['kind'], number, number, string | null];
const rows = (defs: SymbolDef[]): Row[] => defs.map((d) => [d.name, d.kind, d.line, d.endLine, d.container ?? null]);

describe('languageForPath', () => {
  it('maps each supported extension and nothing else', () => {
    expect(['a.py', 'b.js', 'c.mjs', 'd.cjs', 'e.jsx', 'f.ts', 'g.mts', 'h.cts', 'i.tsx'].map(languageForPath)).toStrictEqual([
      'python', 'javascript', 'javascript', 'javascript', 'javascript', 'typescript', 'typescript', 'typescript', 'tsx',
    ]);
    expect(['README.md', 'Makefile', 'src.py/notes', '.py', 'x.pyc'].map(languageForPath)).toStrictEqual([
      undefined, undefined, undefined, undefined, undefined,
    ]);
    expect(languageForPath('pkg/Module.PY')).toBe('python');
  });
});

describe('outline of a Python module', () => {
  it('lists classes, methods, decorated and nested functions and module/class variables, not locals', async () => {
    const defs = await outline(fixture('inventory.py'), 'python');
    expect(rows(defs)).toStrictEqual<Row[]>([
      ['logger', 'variable', 12, 12, null],
      ['DEFAULT_REORDER_LEVEL', 'variable', 13, 13, null],
      ['_cache', 'variable', 14, 14, null],
      ['MIN_QTY', 'variable', 15, 15, null],
      ['MAX_QTY', 'variable', 15, 15, null],
      ['Item', 'class', 18, 27, null],
      ['sku', 'variable', 20, 20, 'Item'],
      ['name', 'variable', 21, 21, 'Item'],
      ['quantity', 'variable', 22, 22, 'Item'],
      ['tags', 'variable', 23, 23, 'Item'],
      ['in_stock', 'method', 25, 27, 'Item'],
      ['Inventory', 'class', 30, 54, null],
      ['currency', 'variable', 33, 33, 'Inventory'],
      ['__init__', 'method', 35, 37, 'Inventory'],
      ['add', 'method', 39, 42, 'Inventory'],
      ['parse_sku', 'method', 44, 48, 'Inventory'],
      ['reorder', 'method', 50, 54, 'Inventory'],
      ['below', 'function', 51, 52, 'Inventory.reorder'],
      ['retry', 'function', 57, 70, null],
      ['decorator', 'function', 58, 68, 'retry'],
      ['wrapper', 'function', 59, 66, 'retry.decorator'],
      ['fetch_prices', 'function', 73, 74, null],
    ]);
  });

  it('starts a decorated definition at its decorator but signs it with its def line', async () => {
    const defs = await outline(fixture('inventory.py'), 'python');
    expect(defs.find((d) => d.name === 'Item')).toStrictEqual({
      name: 'Item', kind: 'class', line: 18, endLine: 27, signature: 'class Item:',
    });
    expect(defs.find((d) => d.name === 'parse_sku')?.signature).toBe('def parse_sku(');
    expect(defs.find((d) => d.name === 'wrapper')?.signature).toBe('def wrapper(*args, **kwargs):');
  });

  it('reads CRLF sources with the same lines and signatures', async () => {
    const source = 'class A(B):\r\n    x = 1\r\n\r\n    def f(self, a):\r\n        return a\r\n';
    expect(await outline(source, 'python')).toStrictEqual([
      { name: 'A', kind: 'class', line: 1, endLine: 5, signature: 'class A(B):' },
      { name: 'x', kind: 'variable', line: 2, endLine: 2, container: 'A', signature: 'x = 1' },
      { name: 'f', kind: 'method', line: 4, endLine: 5, container: 'A', signature: 'def f(self, a):' },
    ]);
  });
});

describe('outline of a JavaScript module', () => {
  it('lists functions, generators, classes with fields and methods, and top-level bindings', async () => {
    const defs = await outline(fixture('http-client.js'), 'javascript');
    expect(rows(defs)).toStrictEqual<Row[]>([
      ['DEFAULT_TIMEOUT', 'variable', 3, 3, null],
      ['requestCount', 'variable', 4, 4, null],
      ['buildUrl', 'function', 6, 10, null],
      ['HttpClient', 'class', 12, 38, null],
      ['#retries', 'variable', 13, 13, 'HttpClient'],
      ['timeout', 'variable', 14, 14, 'HttpClient'],
      ['constructor', 'method', 16, 19, 'HttpClient'],
      ['get', 'method', 21, 24, 'HttpClient'],
      ['#send', 'method', 26, 33, 'HttpClient'],
      ['describe', 'function', 28, 30, 'HttpClient.#send'],
      ['fromEnv', 'method', 35, 37, 'HttpClient'],
      ['pages', 'function', 40, 43, null],
      ['createClient', 'function', 45, 47, null],
      ['log', 'function', 49, 51, null],
    ]);
    expect(defs.find((d) => d.name === 'buildUrl')?.signature).toBe('export const buildUrl = (base, path, query = {}) => {');
    expect(defs.find((d) => d.name === 'pages')?.signature).toBe('export function* pages(client, path) {');
  });
});

describe('outline of a TypeScript module', () => {
  it('lists interfaces, type aliases, enums, abstract and generic classes and overloads', async () => {
    const defs = await outline(fixture('shapes.ts'), 'typescript');
    expect(rows(defs)).toStrictEqual<Row[]>([
      ['Point', 'interface', 1, 4, null],
      ['Transform', 'type', 6, 6, null],
      ['Unit', 'enum', 8, 11, null],
      ['Axis', 'enum', 13, 16, null],
      ['Shape', 'class', 18, 26, null],
      ['constructor', 'method', 19, 19, 'Shape'],
      ['area', 'method', 21, 21, 'Shape'],
      ['describe', 'method', 23, 25, 'Shape'],
      ['Rect', 'class', 28, 39, null],
      ['count', 'variable', 29, 29, 'Rect'],
      ['constructor', 'method', 31, 34, 'Rect'],
      ['area', 'method', 36, 38, 'Rect'],
      ['Registry', 'class', 41, 47, null],
      ['items', 'variable', 42, 42, 'Registry'],
      ['get', 'method', 44, 46, 'Registry'],
      ['scale', 'function', 49, 51, null],
      ['largest', 'function', 53, 53, null],
      ['largest', 'function', 54, 56, null],
      ['ORIGIN', 'variable', 58, 58, null],
    ]);
    expect(defs.find((d) => d.name === 'Registry')?.signature).toBe('export class Registry<K extends string, V extends Shape> {');
  });

  it('lists a TSX component file without the locals inside components', async () => {
    const defs = await outline(fixture('todo-list.tsx'), 'tsx');
    expect(rows(defs)).toStrictEqual<Row[]>([
      ['TodoItem', 'interface', 3, 7, null],
      ['Filter', 'type', 9, 9, null],
      ['TodoList', 'function', 11, 22, null],
      ['TodoRow', 'function', 24, 28, null],
    ]);
  });

  it('parses files of several languages at once with the shared parser', async () => {
    const [py, js, ts, tsx] = await Promise.all([
      outline(fixture('inventory.py'), 'python'),
      outline(fixture('http-client.js'), 'javascript'),
      outline(fixture('shapes.ts'), 'typescript'),
      outline(fixture('todo-list.tsx'), 'tsx'),
    ]);
    expect([py.length, js.length, ts.length, tsx.length]).toStrictEqual([22, 14, 19, 4]);
  });
});

describe('syntaxErrors', () => {
  it('finds a missing colon and an unclosed parenthesis in a Python file at their lines', async () => {
    expect(await syntaxErrors(fixture('broken.py'), 'python')).toStrictEqual([
      { line: 9, column: 5, message: 'syntax error near `parse(text)` (missing `:`?)' },
      { line: 15, column: 5, message: 'syntax error near `result = sum(values` (unclosed `(`?)' },
    ]);
  });

  it('reports tokens the parser had to invent as missing', async () => {
    const source = 'function f(x) {\n  return x +;\n}\nconst y = [1, 2;\n';
    expect(await syntaxErrors(source, 'javascript')).toStrictEqual([
      { line: 2, column: 13, message: 'missing identifier' },
      { line: 4, column: 16, message: 'missing `]`' },
    ]);
  });

  it.each<[string, Language]>([
    ['inventory.py', 'python'],
    ['http-client.js', 'javascript'],
    ['shapes.ts', 'typescript'],
    ['todo-list.tsx', 'tsx'],
  ])('finds none in the valid file %s', async (name, language) => {
    expect(await syntaxErrors(fixture(name), language)).toStrictEqual([]);
  });

  it('finds JSX invalid in plain TypeScript, where only the tsx grammar accepts it', async () => {
    expect(await syntaxErrors(fixture('todo-list.tsx'), 'typescript')).not.toStrictEqual([]);
  });
});

describe('findDefinitions', () => {
  const files = [
    { path: 'shop/inventory.py', source: fixture('inventory.py') },
    { path: 'web/http-client.js', source: fixture('http-client.js') },
    { path: 'geometry/shapes.ts', source: fixture('shapes.ts') },
    { path: 'ui/todo-list.tsx', source: fixture('todo-list.tsx') },
    { path: 'README.md', source: '# describe\n' },
  ];

  it('finds every definition of a name across files, with its path', async () => {
    const found = await findDefinitions(files, 'describe');
    expect(found.map((d) => [d.path, d.kind, d.line, d.container])).toStrictEqual([
      ['web/http-client.js', 'function', 28, 'HttpClient.#send'],
      ['geometry/shapes.ts', 'method', 23, 'Shape'],
    ]);
  });

  it('matches names exactly, and a dotted name by its container', async () => {
    expect(await findDefinitions(files, 'Describe')).toStrictEqual([]);
    expect(await findDefinitions(files, 'area')).toHaveLength(2);
    expect((await findDefinitions(files, 'Rect.area')).map((d) => [d.path, d.line])).toStrictEqual([['geometry/shapes.ts', 36]]);
    expect((await findDefinitions(files, 'decorator.wrapper')).map((d) => d.line)).toStrictEqual([59]);
  });
});

describe('formatOutline', () => {
  it('prints line ranges and signatures indented by nesting', async () => {
    const source = 'class A(B):\n    x = 1\n\n    def f(self):\n        def g():\n            pass\n        return g\n\n\nMAX = 3\n';
    expect(formatOutline(await outline(source, 'python'))).toBe(
      [
        '1-7  class A(B):',
        '  2    x = 1',
        '4-7    def f(self):',
        '5-6      def g():',
        ' 10  MAX = 3',
      ].join('\n'),
    );
  });

  it('says so when a file has no definitions', () => {
    expect(formatOutline([])).toBe('(no definitions found)');
  });
});
