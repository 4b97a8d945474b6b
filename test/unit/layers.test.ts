import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKENDS, LAYERS, LIBRARIES } from '../../src/layers.js';

const SRC = path.resolve(import.meta.dirname, '../../src');

interface Import {
  file: string;
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The folder under src/ a file belongs to; a file directly in src/ is its own (errors.ts: errors). */
function folderOf(file: string): string {
  const [first, ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length ? (first as string) : (first as string).replace(/\.ts$/, '');
}

/** Static and dynamic imports and re-exports, with whether they bring types only. */
function importsOf(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const text = readFileSync(file, 'utf8');
  const found: Array<{ spec: string; typeOnly: boolean }> = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm)) {
    found.push({ spec: m[4] as string, typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push({ spec: m[1] as string, typeOnly: false });
  return found;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

const files = sourceFiles(SRC);
const local: Import[] = [];
const external: Array<{ file: string; from: string; lib: string }> = [];
for (const file of files) {
  for (const { spec, typeOnly } of importsOf(file)) {
    const from = folderOf(file);
    if (spec.startsWith('.')) {
      const to = folderOf(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
      if (to !== from) local.push({ file: path.relative(SRC, file), from, to, typeOnly });
    } else if (!spec.startsWith('node:')) {
      external.push({ file: path.relative(SRC, file), from, lib: packageName(spec) });
    }
  }
}

const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

/** An implementation's type imports of the interface it implements are not a dependency on its layer. */
function implementsInterface(i: Import): boolean {
  return BACKENDS[i.from] === i.to && i.typeOnly;
}

/** Folder cycles in a graph of folder -> folders it imports, each as a path a -> b -> a. */
function cycles(edges: Import[]): string[] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
  const found = new Set<string>();
  const visit = (node: string, trail: string[]) => {
    const at = trail.indexOf(node);
    if (at >= 0) {
      // One entry per cycle, however it was entered: start it at its smallest folder name.
      const cycle = trail.slice(at);
      const first = cycle.indexOf([...cycle].sort()[0] as string);
      const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
      found.add([...rotated, rotated[0]].join(' -> '));
      return;
    }
    if (trail.length > graph.size) return;
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
  };
  for (const node of graph.keys()) visit(node, []);
  return [...found];
}

describe('layers (DESIGN.md): imports only point down', () => {
  it('reads the imports of src/ (the check checks something)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(local.length).toBeGreaterThan(100);
  });

  it('every folder of src/ has a place in the layer order', () => {
    const unplaced = [...new Set(files.map(folderOf))].filter((f) => !rank.has(f));
    expect(unplaced, 'add these folders to LAYERS in src/layers.ts').toEqual([]);
  });

  it('has no folder cycle', () => {
    expect(cycles(local.filter((i) => !implementsInterface(i)))).toEqual([]);
  });

  it('no import goes up the layer order or sideways to a sibling', () => {
    const wrong = local
      .filter((i) => !implementsInterface(i))
      .filter((i) => (rank.get(i.to) ?? -1) <= (rank.get(i.from) ?? Infinity))
      .map((i) => `${i.file}: ${i.from} (rank ${rank.get(i.from)}) imports ${i.to} (rank ${rank.get(i.to)})`);
    expect(wrong).toEqual([]);
  });

  it('only runtime/ imports a container backend', () => {
    const wrong = local.filter((i) => i.to in BACKENDS && BACKENDS[i.to] !== i.from).map((i) => `${i.file}: ${i.from} imports the backend ${i.to}`);
    expect(wrong).toEqual([]);
  });

  it('each external library is imported only in its module', () => {
    const wrong = external
      .filter(({ from, lib }) => {
        const owners = LIBRARIES[lib];
        return !owners || !(owners.includes('*') || owners.includes(from));
      })
      .map(({ file, lib }) => `${file}: imports ${lib} (owned by ${LIBRARIES[lib]?.join(', ') ?? 'nobody: add it to LIBRARIES in src/layers.ts'})`);
    expect(wrong).toEqual([]);
  });
});
