import { describe, expect, it } from 'vitest';
import { changedLines, mentionedPaths } from '../../src/test-spec/patch-files.js';
import { protectedChanges, pytestConfigPaths, refusal, runnerGuard } from '../../src/test-spec/runner-guard.js';
import { globToRegExp } from '../../src/util/glob.js';

const newFile = (file: string, lines: string[]) =>
  [`diff --git a/${file} b/${file}`, 'new file mode 100644', '--- /dev/null', `+++ b/${file}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`), ''].join('\n');
const edit = (file: string, removed: string[], added: string[]) =>
  [`diff --git a/${file} b/${file}`, `--- a/${file}`, `+++ b/${file}`, `@@ -1,${removed.length + 1} +1,${added.length + 1} @@`, ' context', ...removed.map((l) => `-${l}`), ...added.map((l) => `+${l}`), ''].join('\n');

describe('globs as git pathspecs read them', () => {
  it('** crosses folders, * does not, braces are alternatives', () => {
    expect(globToRegExp('**/conftest.py').test('conftest.py')).toBe(true);
    expect(globToRegExp('**/conftest.py').test('a/b/conftest.py')).toBe(true);
    expect(globToRegExp('*.py').test('a/b.py')).toBe(false);
    expect(globToRegExp('vendor/**').test('vendor/x/y.go')).toBe(true);
    expect(globToRegExp('**/*.test.{js,ts}').test('src/a.test.ts')).toBe(true);
    expect(globToRegExp('**/*.test.{js,ts}').test('src/a.test.py')).toBe(false);
  });
});

describe('patch headers read for refusal', () => {
  it('a patch without diff --git headers, and renames, still name their paths', () => {
    const plain = ['--- a/.git/config', '+++ b/.git/config', '@@ -1 +1 @@', '-x', '+y', ''].join('\n');
    expect(mentionedPaths(plain)).toContain('.git/config');
    const rename = ['diff --git a/x b/.git/hooks/pre-commit', 'similarity index 100%', 'rename from x', 'rename to .git/hooks/pre-commit', ''].join('\n');
    expect(mentionedPaths(rename)).toContain('.git/hooks/pre-commit');
  });

  it('a removed line that starts with "-- " inside a hunk is not a file header', () => {
    const patch = edit('a.sql', ['-- old comment'], ['-- new comment']);
    expect(changedLines(patch)).toEqual([
      { file: 'a.sql', sign: '-', text: '-- old comment' },
      { file: 'a.sql', sign: '+', text: '-- new comment' },
    ]);
  });
});

describe('the runner guard of each language', () => {
  const python = runnerGuard('python', 'pytest', ['tests/unit/test_a.py']);

  it('pytest: the ini files on the way from the root to the test files are protected, others are not', () => {
    expect(pytestConfigPaths(['tests/unit/test_a.py'])).toEqual(expect.arrayContaining(['pytest.ini', 'pyproject.toml', 'tests/tox.ini', 'tests/unit/setup.cfg', 'tests/unit/.pytest.ini']));
    const changes = protectedChanges(
      newFile('pytest.ini', ['[pytest]', 'addopts = -p evil']) + edit('pyproject.toml', [], ['addopts = "-p evil"']) + newFile('docs/pyproject.toml', ['x = 1']) + newFile('tests/conftest.py', ['x = 1']),
      python.protect,
    );
    expect(changes).toEqual({ restored: ['pyproject.toml'], removed: ['pytest.ini', 'tests/conftest.py'] });
  });

  it('python: package metadata (entry points), .pth files and site-packages are refused', () => {
    expect(refusal(newFile('calc.egg-info/entry_points.txt', ['[pytest11]', 'evil = evil']), python)).toContain('package metadata');
    expect(refusal(newFile('evil-1.0.dist-info/entry_points.txt', ['[pytest11]']), python)).toContain('package metadata');
    expect(refusal(newFile('zz.pth', ['import evil']), python)).toContain('.pth');
    expect(refusal(newFile('calc.py', ['x = 1']), python)).toBeUndefined();
  });

  it('python: compiled modules that would be imported instead of a test module are refused', () => {
    expect(refusal(newFile('tests/test_calc.cpython-311-x86_64-linux-gnu.so', ['x']), python)).toContain('compiled Python');
    expect(refusal(newFile('tests/__pycache__/test_calc.cpython-311.pyc', ['x']), python)).toContain('compiled Python');
    expect(refusal(newFile('tests/test_calc.pyc', ['x']), python)).toContain('compiled Python');
  });

  it('report files a parser reads (JUnit XML) are refused in every language', () => {
    expect(refusal(newFile('target/surefire-reports/TEST-x.xml', ['<testsuite/>']), runnerGuard('java', 'junit-xml', []))).toContain('report files');
    expect(refusal(newFile('build/test-results/test/TEST-x.xml', ['<testsuite/>']), runnerGuard('python', 'junit-xml', []))).toContain('report files');
  });

  it('every language refuses .git', () => {
    for (const base of ['python', 'node', 'go', 'rust', 'java', 'unknown']) {
      expect(refusal(newFile('.git/hooks/post-checkout', ['#!/bin/sh']), runnerGuard(base, 'x', []))).toContain('.git');
    }
  });

  it('go: test files are protected (a TestMain of the patch is removed), replace directives refused', () => {
    const go = runnerGuard('go', 'gotest', ['limiter_test.go']);
    expect(protectedChanges(newFile('zz_main_test.go', ['package x']), go.protect).removed).toEqual(['zz_main_test.go']);
    expect(protectedChanges(newFile('pkg/limiter.go', ['package x']), go.protect).removed).toEqual([]);
    expect(refusal(edit('go.mod', [], ['replace github.com/stretchr/testify => ./fake']), go)).toContain('replace');
    expect(refusal(edit('go.mod', [], ['require golang.org/x/text v0.3.0']), go)).toBeUndefined();
  });

  it('javascript: runner configs and test files protected; package.json test settings and node_modules refused', () => {
    const js = runnerGuard('node', 'node-tap', ['test/a.test.js']);
    const changes = protectedChanges(newFile('.mocharc.yml', ['require: evil']) + newFile('jest.config.js', ['x']) + newFile('src/__tests__/a.js', ['x']), js.protect);
    expect(changes.removed).toEqual(['.mocharc.yml', 'jest.config.js', 'src/__tests__/a.js']);
    expect(refusal(edit('package.json', ['    "test": "node --test"'], ['    "test": "echo ok"']), js)).toContain('package.json');
    expect(refusal(edit('package.json', [], ['  "jest": { "reporters": ["./evil"] },']), js)).toContain('package.json');
    expect(refusal(edit('package.json', ['  "version": "1.0.0",'], ['  "version": "1.0.1",']), js)).toBeUndefined();
    expect(refusal(newFile('node_modules/chai/index.js', ['x']), js)).toContain('node_modules');
  });

  it('rust and the JVM: custom harnesses, patched crates and test plugin settings are refused', () => {
    const rust = runnerGuard('rust', 'cargo', []);
    expect(refusal(edit('Cargo.toml', [], ['harness = false']), rust)).toContain('Cargo.toml');
    expect(refusal(edit('Cargo.toml', [], ['[patch.crates-io]']), rust)).toContain('Cargo.toml');
    expect(refusal(edit('Cargo.toml', [], ['serde = "1"']), rust)).toBeUndefined();
    expect(protectedChanges(newFile('.cargo/config.toml', ['[target.x]', 'runner = "evil"']), rust.protect).removed).toEqual(['.cargo/config.toml']);
    const jvm = runnerGuard('java', 'junit-xml', []);
    expect(refusal(edit('pom.xml', [], ['<testFailureIgnore>true</testFailureIgnore>']), jvm)).toContain('pom.xml');
    expect(refusal(edit('build.gradle', [], ['test { ignoreFailures = true }']), jvm)).toContain('Gradle');
    expect(refusal(newFile('src/main/resources/META-INF/services/org.junit.platform.launcher.TestExecutionListener', ['x']), jvm)).toContain('JUnit');
    expect(protectedChanges(newFile('src/test/java/Zz.java', ['x']), jvm.protect).removed).toEqual(['src/test/java/Zz.java']);
  });

  it("a spec's protected_files add to the language's own", () => {
    const guard = runnerGuard('python', 'django', [], ['tests/runtests.py']);
    expect(guard.protect).toEqual(expect.arrayContaining(['tests/runtests.py', '**/conftest.py']));
  });
});
