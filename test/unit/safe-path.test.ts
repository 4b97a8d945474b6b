import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelDirName } from '../../src/run/evaluate-batch.js';
import { instanceSchema } from '../../src/instance/instance-schema.js';
import { displayText } from '../../src/util/display-text.js';
import { isSafeName, pathInside } from '../../src/util/safe-path.js';

const HOSTILE = ['..', '.', '', '../x', 'a/b', '/etc/passwd', 'a\u0000b', 'a\nb', '$(id)', '`id`', 'a;b', 'a b', 'x'.repeat(201)];

describe('pathInside: the one guard for paths joined from data (issue 17)', () => {
  it('joins safe names under the root', () => {
    expect(pathInside('/runs', 'test-1', 'gold', 'psf__requests-1963', 'report.json')).toBe('/runs/test-1/gold/psf__requests-1963/report.json');
    expect(pathInside('runs', 'r')).toBe(path.resolve('runs', 'r'));
  });

  it.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 30), h]))('refuses the segment %s with UNSAFE_INPUT', (_name, segment) => {
    expect(() => pathInside('/runs', 'r', segment)).toThrow(expect.objectContaining({ code: 'UNSAFE_INPUT' }));
    expect(isSafeName(segment)).toBe(false);
  });

  it('accepts SWE-bench ids and names with dots inside', () => {
    for (const id of ['django__django-11099', 'sympy__sympy-20590', 'a..b', '.hidden-ok', 'v1.2.3']) expect(isSafeName(id), id).toBe(true);
  });
});

describe('modelDirName: SWE-bench folder names, and always a safe name', () => {
  it('keeps SWE-bench spelling for / in a model name', () => {
    expect(modelDirName('openai/gpt-4o')).toBe('openai__gpt-4o');
  });

  it.each([['..'], ['.'], ['../../x'], ['my model (v2)'], ['m'.repeat(300)], ['']])('makes %s a safe name', (model) => {
    expect(isSafeName(modelDirName(model))).toBe(true);
  });

  it('gives two models that clean up alike two folders', () => {
    expect(modelDirName('a b')).not.toBe(modelDirName('a;b'));
  });
});

describe('displayText: data printed to a terminal', () => {
  it('leaves plain text alone, quotes control characters, cuts long values', () => {
    expect(displayText('psf__requests-1963')).toBe('psf__requests-1963');
    expect(displayText('a\nforged')).toBe('"a\\nforged"');
    expect(displayText('\u001b[2J')).toBe('"\\u001b[2J"');
    expect(displayText('a'.repeat(500))).toBe(`${'a'.repeat(120)}…(500 chars)`);
  });
});

describe('instance schema: fields that become paths, tags or shell words', () => {
  const good = { instance_id: 'o__r-1', repo: 'o/r', base_commit: 'abc1234', patch: '', test_patch: '', problem_statement: '', version: '1.0', FAIL_TO_PASS: [], PASS_TO_PASS: [] };
  const fieldsOf = (over: Record<string, unknown>) => {
    const r = instanceSchema.safeParse({ ...good, ...over });
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts a SWE-bench record', () => {
    expect(fieldsOf({})).toEqual([]);
  });

  it.each([
    [{ instance_id: '..' }, 'instance_id'],
    [{ repo: '../r' }, 'repo'],
    [{ repo: 'o/..' }, 'repo'],
    [{ repo: 'o/r/x' }, 'repo'],
    [{ base_commit: 'HEAD;id' }, 'base_commit'],
    [{ environment_setup_commit: '$(id)' }, 'environment_setup_commit'],
    [{ version: '1.0 && id' }, 'version'],
    [{ repo_source: '--upload-pack=id' }, 'repo_source'],
    [{ created_at: 'x\ny' }, 'created_at'],
  ])('refuses %j in field %s', (over, field) => {
    expect(fieldsOf(over)).toEqual([field]);
  });
});
