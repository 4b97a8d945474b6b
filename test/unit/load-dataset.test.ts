import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/instance/load-dataset.js';
import { selectInstances } from '../../src/instance/select.js';

/** Two real SWE-bench Lite records (psf/requests; SWE-bench is MIT-licensed), as published. */
const LITE = path.resolve(__dirname, '../fixtures/datasets/swe-bench-lite-requests.jsonl');

function record(id: string, extra: Record<string, unknown> = {}) {
  return {
    instance_id: id,
    repo: 'demo/x',
    base_commit: 'a'.repeat(40),
    patch: 'diff --git a/x b/x\n',
    test_patch: '',
    problem_statement: 'p',
    version: '1.0',
    FAIL_TO_PASS: '["t1"]',
    PASS_TO_PASS: [],
    ...extra,
  };
}

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dataset-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('loadDataset', () => {
  it('reads the real SWE-bench Lite JSONL, with FAIL_TO_PASS as JSON-encoded strings', () => {
    const { instances, problems } = loadDataset(LITE);
    expect(problems).toEqual([]);
    expect(instances).toHaveLength(2);
    expect(Array.isArray(instances[0]?.FAIL_TO_PASS)).toBe(true);
    expect(instances[0]?.FAIL_TO_PASS.length).toBeGreaterThan(0);
  });

  it('reads a JSON array and accepts test lists as arrays or strings', () => {
    const file = tempFile('d.json', JSON.stringify([record('a-1'), record('a-2', { FAIL_TO_PASS: ['t2'] })]));
    const { instances } = loadDataset(file);
    expect(instances.map((i) => [i.instance_id, i.FAIL_TO_PASS])).toEqual([['a-1', ['t1']], ['a-2', ['t2']]]);
  });

  it('reports every bad record at once with line, instance and field, and keeps the good ones', () => {
    const lines = [JSON.stringify(record('ok-1')), '{not json', JSON.stringify(record('bad-1', { base_commit: 42, FAIL_TO_PASS: 'nope' })), JSON.stringify(record('ok-1'))];
    const file = tempFile('d.jsonl', lines.join('\n'));
    const { instances, problems } = loadDataset(file);
    expect(instances.map((i) => i.instance_id)).toEqual(['ok-1']);
    expect(problems.map((p) => [p.location, p.instanceId, p.field])).toEqual([
      ['2', undefined, undefined],
      ['3', 'bad-1', 'base_commit'],
      ['3', 'bad-1', 'FAIL_TO_PASS'],
      ['4', 'ok-1', 'instance_id'],
    ]);
    expect(problems[0]?.file).toBe(file);
    expect(problems[3]?.message).toMatch(/duplicate id \(first at .*d\.jsonl:1\)/);
  });

  it('refuses a YAML version that became a number, and resolves repo_source relative to the file', () => {
    const file = tempFile('one.yaml', `instance_id: y-1\nrepo: demo/y\nbase_commit: ${'b'.repeat(40)}\npatch: ''\ntest_patch: ''\nproblem_statement: s\nversion: 1.0\nFAIL_TO_PASS: [a]\nPASS_TO_PASS: []\nrepo_source: repos/y.bundle\n`);
    const { instances, problems } = loadDataset(file);
    expect(instances).toEqual([]);
    expect(problems.map((p) => [p.instanceId, p.field])).toEqual([['y-1', 'version']]);
    const quoted = tempFile('two.yaml', `instance_id: y-2\nrepo: demo/y\nbase_commit: ${'b'.repeat(40)}\npatch: ''\ntest_patch: ''\nproblem_statement: s\nversion: "1.10"\nFAIL_TO_PASS: [a]\nPASS_TO_PASS: []\nrepo_source: repos/y.bundle\n`);
    const again = loadDataset(quoted);
    expect(again.instances[0]?.version).toBe('1.10');
    expect(again.instances[0]?.repo_source).toBe(path.join(path.dirname(quoted), 'repos/y.bundle'));
  });
});

describe('selectInstances', () => {
  const all = Array.from({ length: 20 }, (_, i) => ({ ...record(`r-${i}`), FAIL_TO_PASS: [], PASS_TO_PASS: [], hints_text: '', created_at: '' }));

  it('selects by ids and reports unknown ones', () => {
    const { instances, unknownIds } = selectInstances(all, { ids: ['r-3', 'r-1', 'zzz'] });
    expect(instances.map((i) => i.instance_id)).toEqual(['r-1', 'r-3']);
    expect(unknownIds).toEqual(['zzz']);
  });

  it('filters by regex and draws the same seeded sample every time', () => {
    expect(selectInstances(all, { filter: '^r-1\\d$' }).instances).toHaveLength(10);
    const a = selectInstances(all, { sample: 5, seed: 7 }).instances.map((i) => i.instance_id);
    const b = selectInstances(all, { sample: 5, seed: 7 }).instances.map((i) => i.instance_id);
    const c = selectInstances(all, { sample: 5, seed: 8 }).instances.map((i) => i.instance_id);
    expect(a).toEqual(b);
    expect(a).toHaveLength(5);
    expect(c).not.toEqual(a);
  });
});
