import { describe, expect, it } from 'vitest';
import { formatRepoSpec } from '../../src/config/spec-yaml.js';
import { END_MARKER, START_MARKER } from '../../src/grading/eval-markers.js';
import { isRejection, toCandidate } from '../../src/mining/candidates.js';
import { decideTests, type TestRun } from '../../src/mining/decide.js';
import { detectLanguage, draftSpec, requirementNames } from '../../src/mining/draft-spec.js';
import { minedRepoName, parseDateOption } from '../../src/mining/mine-options.js';
import { splitChange } from '../../src/mining/split-change.js';
import { parseIssues, problemStatement } from '../../src/mining/statement.js';
import { fileRole, splitRule } from '../../src/mining/test-files.js';
import type { HistoryCommit } from '../../src/repo/history.js';

function fileDiff(file: string, line: string): string {
  return `diff --git a/${file} b/${file}\nindex 1111111..2222222 100644\n--- a/${file}\n+++ b/${file}\n@@ -1 +1 @@\n-old\n+${line}\n`;
}

const commit: HistoryCommit = { commit: 'a'.repeat(40), parent: 'b'.repeat(40), isMerge: false, authorDate: '2024-01-01T00:00:00Z', committerDate: '2024-01-02T00:00:00Z', subject: 'Fix parse of empty input', body: 'Fixes #12.' };

describe('test-file conventions', () => {
  it.each([
    ['python', 'tests/test_x.py', 'test'],
    ['python', 'pkg/test_x.py', 'test'],
    ['python', 'pkg/x_test.py', 'test'],
    ['python', 'conftest.py', 'test'],
    ['python', 'pkg/x.py', 'code'],
    ['python', 'docs/index.rst', 'other'],
    ['javascript', 'src/a.test.ts', 'test'],
    ['javascript', 'src/__tests__/a.js', 'test'],
    ['javascript', 'src/a.js', 'code'],
    ['go', 'pkg/a_test.go', 'test'],
    ['go', 'pkg/testdata/in.txt', 'test'],
    ['go', 'pkg/a.go', 'code'],
    ['rust', 'tests/it.rs', 'test'],
    ['rust', 'src/lib.rs', 'code'],
    ['java', 'src/test/java/a/ATest.java', 'test'],
    ['java', 'src/main/java/a/A.java', 'code'],
  ] as const)('%s: %s is %s', (language, file, role) => {
    expect(fileRole(file, splitRule(language))).toBe(role);
  });

  it("a spec's test globs replace the language's", () => {
    const rule = splitRule('python', ['checks/**']);
    expect(rule.source).toBe('spec');
    expect(fileRole('checks/a.py', rule)).toBe('test');
    expect(fileRole('tests/test_a.py', rule)).toBe('code');
  });
});

describe('candidates', () => {
  const rule = splitRule('python');
  const opts = { repo: 'local/p', rule, issues: new Map([['12', 'Parsing "" crashes with IndexError']]), minStatementWords: 0 };

  it('splits a change into the code patch and the test patch, each file whole', () => {
    const diff = fileDiff('pkg/parse.py', 'fixed') + fileDiff('tests/test_parse.py', 'new test') + fileDiff('README.md', 'doc');
    const split = splitChange(diff, rule);
    expect(split).toMatchObject({ codeFiles: ['pkg/parse.py'], testFiles: ['tests/test_parse.py'], otherFiles: ['README.md'] });
    expect(split.patch).toBe(fileDiff('pkg/parse.py', 'fixed') + fileDiff('README.md', 'doc'));
    expect(split.testPatch).toBe(fileDiff('tests/test_parse.py', 'new test'));
  });

  it('keeps a commit touching code and tests, with its issue text and provenance', () => {
    const found = toCandidate(commit, fileDiff('pkg/parse.py', 'x') + fileDiff('tests/test_parse.py', 'y'), opts);
    expect(isRejection(found)).toBe(false);
    expect(found).toMatchObject({ instance_id: 'local__p-aaaaaaaaaaaa', base_commit: 'b'.repeat(40), created_at: '2024-01-02T00:00:00Z', provenance: { commit: 'a'.repeat(40), issues: ['12'], split_rule: { language: 'python', source: 'convention' } } });
    expect((found as { problem_statement: string }).problem_statement).toMatch(/^Parsing "" crashes with IndexError\n\nFix parse of empty input\n\nFixes #12\.$/);
  });

  it.each([
    [fileDiff('pkg/parse.py', 'x') + fileDiff('README.md', 'y'), 0, 'no_tests_touched'],
    [fileDiff('tests/test_parse.py', 'y'), 0, 'no_code_touched'],
    [fileDiff('pkg/parse.py', 'x') + fileDiff('tests/test_parse.py', 'y'), 50, 'thin_statement'],
  ] as const)('rejects with a reason (%#: %s)', (diff, words, reason) => {
    expect(toCandidate(commit, diff, { ...opts, minStatementWords: words })).toMatchObject({ reason });
  });

  it('reads issue references and both issue file shapes', () => {
    expect(parseIssues('{"#3": "three"}').get('3')).toBe('three');
    const lines = parseIssues('{"id": "PROJ-4", "title": "T", "body": "B"}\n{"id": 5, "text": "five"}\n');
    expect([...lines]).toEqual([['PROJ-4', 'T\n\nB'], ['5', 'five']]);
    expect(problemStatement('fix', 'see PROJ-4 and gh-5', lines).issues).toEqual(['PROJ-4', '5']);
  });
});

/** An eval script's output around a pytest -rA summary. */
function pytestRun(lines: string[], exitCode: number): TestRun {
  const count = (word: string) => lines.filter((l) => l.startsWith(word)).length;
  const summary = [['failed', count('FAILED')], ['passed', count('PASSED')]].filter(([, n]) => n).map(([w, n]) => `${n} ${w}`).join(', ');
  return { output: `+ git apply\n${START_MARKER}\n=== short test summary info ===\n${lines.join('\n')}\n=== ${summary} in 0.10s ===\n${END_MARKER}\n`, exitCode };
}

describe('the tests decide', () => {
  const before = pytestRun(['PASSED t.py::test_old', 'FAILED t.py::test_new - assert 1 == 2', 'PASSED t.py::test_flip'], 1);
  const after = pytestRun(['PASSED t.py::test_old', 'PASSED t.py::test_new', 'PASSED t.py::test_flip'], 0);
  const afterFlipped = pytestRun(['PASSED t.py::test_old', 'PASSED t.py::test_new', 'FAILED t.py::test_flip - lost'], 1);

  it('FAIL_TO_PASS fail before and pass after in every run; PASS_TO_PASS pass in all; a test that flips is dropped', () => {
    const decision = decideTests([before, before], [after, afterFlipped], 'pytest');
    expect(decision).toMatchObject({ kept: true, failToPass: ['t.py::test_new'], passToPass: ['t.py::test_old'] });
    expect(decision.flaky).toEqual({ 't.py::test_flip': { before: ['PASSED'], after: ['PASSED', 'FAILED'] } });
  });

  it('no stable FAIL_TO_PASS: flaky when tests were dropped, else no_fail_to_pass', () => {
    const flipNew = pytestRun(['PASSED t.py::test_old', 'FAILED t.py::test_new - x', 'PASSED t.py::test_flip'], 1);
    expect(decideTests([before, before], [after, flipNew], 'pytest')).toMatchObject({ kept: false, reason: 'flaky' });
    expect(decideTests([after, after], [after, after], 'pytest')).toMatchObject({ kept: false, reason: 'no_fail_to_pass' });
  });

  it('no test results after the fix: build_failed, with the first lines of the output', () => {
    const broken = { output: `${START_MARKER}\n./max_test.go:6:5: undefined: Maximum\nFAIL\tx [build failed]\n${END_MARKER}\n`, exitCode: 2 };
    expect(decideTests([broken], [broken], 'gotest')).toMatchObject({ kept: false, reason: 'build_failed', detail: expect.stringContaining('undefined: Maximum') });
  });

  it('regression: tests printed by an inner pytest run (pytest testing itself) are not listed', () => {
    const inner = (status: string) => pytestRun(['PASSED testing/test_a.py::test_old', `${status} testing/test_a.py::test_new`, 'PASSED test_inner.py::test_x'], status === 'PASSED' ? 0 : 1);
    const decision = decideTests([inner('FAILED')], [inner('PASSED')], 'pytest', ['testing/test_a.py']);
    expect(decision).toMatchObject({ kept: true, failToPass: ['testing/test_a.py::test_new'], passToPass: ['testing/test_a.py::test_old'] });
  });

  it('a gold run whose exit code contradicts its log does not resolve: gold_does_not_resolve', () => {
    const lying = { ...after, exitCode: 1 };
    expect(decideTests([before], [lying], 'pytest')).toMatchObject({ kept: false, reason: 'gold_does_not_resolve' });
  });
});

describe('drafting a spec from the repository', () => {
  const repo = (files: Record<string, string>) => ({ files: Object.keys(files), read: async (f: string) => files[f] });

  it('Python: Debian packages for the requirements, pip -e for a setup file, pytest', async () => {
    const draft = await draftSpec(repo({ 'pyproject.toml': '[build-system]\nrequires = ["hatchling"]\n[project]\ndependencies = [\n  "attrs>=22",\n  "PyYAML",\n]\n', 'pkg/a.py': '' }));
    expect(draft?.language).toBe('python');
    expect(draft?.entry).toMatchObject({ base: 'python', system_packages: ['python3-attr', 'python3-hatchling', 'python3-pytest', 'python3-yaml'], install: ['python3 -m pip install --no-deps --no-build-isolation -e .'], log_parser: 'pytest' });
  });

  it("JavaScript: the test script's runner and its parser; npm ci for a lockfile", async () => {
    const draft = await draftSpec(repo({ 'package.json': '{"scripts":{"test":"jest --ci"},"devDependencies":{"jest":"29"}}', 'package-lock.json': '{}', 'a.js': '' }));
    expect(draft?.entry).toMatchObject({ base: 'node', test_cmd: 'npx jest --verbose {tests}', log_parser: 'jest', install: ['npm ci --ignore-scripts --no-audit --no-fund'] });
  });

  it('Go: go mod download only when go.mod requires modules', async () => {
    const draft = await draftSpec(repo({ 'go.mod': 'module x\n\nrequire golang.org/x/text v0.3.0\n', 'a.go': '' }));
    expect(draft?.entry).toMatchObject({ base: 'go', install: ['go mod download', 'go build ./...'], log_parser: 'gotest' });
  });

  it('Rust, Java, and nothing recognised', () => {
    expect(detectLanguage(['Cargo.toml', 'src/lib.rs'])).toBe('rust');
    expect(detectLanguage(['pom.xml', 'src/main/java/A.java'])).toBe('java');
    expect(detectLanguage(['README.md'])).toBeUndefined();
    expect(requirementNames('requests[socks]>=2 # http\n-r other.txt\nzope.interface\n')).toEqual(['requests', 'zope-interface']);
  });

  it('writes YAML the spec parser reads back, with its notes as comments', async () => {
    const draft = await draftSpec(repo({ 'go.mod': 'module x\n', 'a.go': '' }));
    const text = formatRepoSpec({ repo: 'local/x', mining: { language: 'go' }, specs: [draft?.entry] }, draft?.notes ?? [], 'local__x.yaml');
    expect(text).toMatch(/^# go\.mod: standard library only/);
  });
});

describe('mining options', () => {
  it('dates: ISO accepted, anything else names the flag', () => {
    expect(parseDateOption('2024-01-31', '--since')).toBe('2024-01-31T00:00:00.000Z');
    expect(() => parseDateOption('yesterday', '--until')).toThrow(/--until takes a date/);
    expect(() => parseDateOption('2024-13-45', '--since')).toThrow(/--since/);
  });

  it('repository names: a URL’s owner/name, or local/<folder>', () => {
    expect(minedRepoName('https://github.com/pytest-dev/pytest.git')).toBe('pytest-dev/pytest');
    expect(minedRepoName('git@example.com:team/app.git')).toBe('team/app');
    expect(minedRepoName('/src/my app')).toBe('local/my-app');
  });
});
