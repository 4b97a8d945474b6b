import { GitFixture } from './git-fixture.js';

/**
 * Small real histories for `tasks mine`, one per language, each commit a case the miner must
 * classify: a clean fix with its tests, a commit of code only, one of tests only, a fix whose
 * test is flaky, a fix whose tests do not build, and a fix merged from a branch.
 */
export interface MinedRepo {
  fixture: GitFixture;
  /** Commit -> the outcome mining must reach: 'kept' or a rejection reason. */
  expected: Record<string, string>;
}

const PY_OPS = 'def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return b - a\n';
const PY_TESTS = 'from calc import ops\n\n\ndef test_add():\n    assert ops.add(2, 3) == 5\n';

/** A flaky test that passes before the fix (nothing to check yet), then passes half the time. */
const PY_FLAKY = [
  'import random',
  'import pytest',
  'from calc import ops',
  '',
  '',
  '@pytest.mark.parametrize("n", range(12))',
  'def test_div_timing(n):',
  '    if not hasattr(ops, "div"):',
  '        return',
  '    assert ops.div(4, 2) == 2',
  '    assert random.random() < 0.5, "lost the race"',
  '',
].join('\n');

export function pythonRepo(): MinedRepo {
  const f = new GitFixture('pycalc');
  f.commit('calc: add and sub', { 'calc/__init__.py': '', 'calc/ops.py': PY_OPS, 'tests/test_ops.py': PY_TESTS });
  const fix = f.commit('Fix sub: it returned b - a\n\nsub(5, 3) gave -2 instead of 2; fixes #7.', {
    'calc/ops.py': PY_OPS.replace('return b - a', 'return a - b'),
    'tests/test_ops.py': `${PY_TESTS}\n\ndef test_sub():\n    assert ops.sub(5, 3) == 2\n`,
  });
  const codeOnly = f.commit('ops: a docstring', { 'calc/ops.py': `"""Arithmetic."""\n${PY_OPS.replace('return b - a', 'return a - b')}` });
  const testsOnly = f.commit('tests: one more add case', { 'tests/test_more.py': 'from calc import ops\n\n\ndef test_add_negative():\n    assert ops.add(-1, 1) == 0\n' });
  const opsNow = `"""Arithmetic."""\n${PY_OPS.replace('return b - a', 'return a - b')}`;
  const flaky = f.commit('Add div, with a timing test', { 'calc/ops.py': `${opsNow}\n\ndef div(a, b):\n    return a // b\n`, 'tests/test_flaky.py': PY_FLAKY });
  f.git('checkout', '--quiet', '-b', 'feature');
  const branchFix = f.commit('Add mul\n\nmul was missing from the calculator.', {
    'calc/ops.py': `${opsNow}\n\ndef div(a, b):\n    return a // b\n\n\ndef mul(a, b):\n    return a * b\n`,
    'tests/test_mul.py': 'from calc import ops\n\n\ndef test_mul():\n    assert ops.mul(3, 4) == 12\n',
  });
  f.git('checkout', '--quiet', 'main');
  const docs = f.commit('docs: readme', { 'README.md': '# calc\n' });
  f.git('merge', '--quiet', '--no-ff', '-m', 'Merge branch feature', 'feature');
  return { fixture: f, expected: { [fix]: 'kept', [codeOnly]: 'no_tests_touched', [testsOnly]: 'no_code_touched', [flaky]: 'flaky', [branchFix]: 'kept', [docs]: 'no_tests_touched' } };
}

const JS_SLUG = "export function slug(text) {\n  return text.toLowerCase().replace(/ /g, '-');\n}\n";
const JS_TEST = "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { slug } from '../lib/slug.js';\n\ntest('lower-cases', () => {\n  assert.strictEqual(slug('Ab'), 'ab');\n});\n";

/** JavaScript with node's test runner; the fix comes in by a merge (mined with --merges). */
export function javascriptRepo(): MinedRepo {
  const f = new GitFixture('slugs');
  f.commit('slug', { 'package.json': '{"name":"slugs","type":"module","scripts":{"test":"node --test"}}\n', 'lib/slug.js': JS_SLUG, 'test/slug.test.js': JS_TEST });
  f.git('checkout', '--quiet', '-b', 'trim');
  f.commit('Trim spaces before slugging\n\nslug(" a b ") gave "-a-b-".', {
    'lib/slug.js': JS_SLUG.replace('text.toLowerCase()', 'text.trim().toLowerCase()'),
    'test/slug.test.js': `${JS_TEST}\ntest('trims', () => {\n  assert.strictEqual(slug(' a b '), 'a-b');\n});\n`,
  });
  f.git('checkout', '--quiet', 'main');
  f.commit('package: description', { 'package.json': '{"name":"slugs","type":"module","description":"slugs","scripts":{"test":"node --test"}}\n' });
  f.git('merge', '--quiet', '--no-ff', '-m', 'Merge branch trim: trim spaces before slugging', 'trim');
  const merge = f.git('rev-parse', 'HEAD');
  return { fixture: f, expected: { [merge]: 'kept' } };
}

const GO_CALC = 'package calc\n\nfunc Abs(x int) int {\n\tif x < 0 {\n\t\treturn x\n\t}\n\treturn x\n}\n';
const GO_TEST = 'package calc\n\nimport "testing"\n\nfunc TestAbsPositive(t *testing.T) {\n\tif Abs(2) != 2 {\n\t\tt.Fatal("Abs(2)")\n\t}\n}\n';

/** Go: a clean fix, and a fix whose tests call a function nobody wrote (they do not build). */
export function goRepo(): MinedRepo {
  const f = new GitFixture('gocalc');
  f.commit('calc: Abs', { 'go.mod': 'module example.com/calc\n\ngo 1.19\n', 'calc.go': GO_CALC, 'calc_test.go': GO_TEST });
  const fix = f.commit('Fix Abs of a negative number\n\nAbs(-3) returned -3.', {
    'calc.go': GO_CALC.replace('\t\treturn x\n\t}', '\t\treturn -x\n\t}'),
    'calc_test.go': `${GO_TEST}\nfunc TestAbsNegative(t *testing.T) {\n\tif Abs(-3) != 3 {\n\t\tt.Fatal("Abs(-3)")\n\t}\n}\n`,
  });
  const noBuild = f.commit('Add Max\n\nMax of two ints.', {
    'max.go': 'package calc\n\nfunc Max(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n',
    'max_test.go': 'package calc\n\nimport "testing"\n\nfunc TestMax(t *testing.T) {\n\tif Maximum(1, 2) != 2 {\n\t\tt.Fatal("Max")\n\t}\n}\n',
  });
  return { fixture: f, expected: { [fix]: 'kept', [noBuild]: 'build_failed' } };
}
