import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getLogParser } from '../../src/grading/parsers/registry.js';
import { countLine, logTail, summarizeTestRun, type TestRun } from '../../src/tools/test-summary.js';

const log = readFileSync(new URL('../fixtures/logs/pytest9-rA.txt', import.meta.url), 'utf8');

function run(over: Partial<TestRun> = {}): TestRun {
  return { command: 'python3 -m pytest -rA tests/test_sample.py', exitCode: 1, timedOut: false, timeoutSeconds: 900, statuses: getLogParser('pytest').parse(log), log, parser: 'pytest', ...over };
}

describe('summarizeTestRun', () => {
  it('gives the ending, counts per status and the failing and erroring tests by name (real pytest -rA log)', () => {
    const lines = summarizeTestRun(run()).split('\n');
    expect(lines[0]).toBe('$ python3 -m pytest -rA tests/test_sample.py');
    expect(lines[1]).toBe('exit code 1; 9 tests: 5 PASSED, 1 FAILED, 2 ERROR, 1 XFAIL');
    expect(lines.slice(2, 7)).toEqual([
      'FAILED (1):',
      // The spoofed `PASSED` line printed after it does not hide the failure.
      '  tests/test_sample.py::TestMath::test_sub_fails',
      'ERROR (2):',
      '  tests/test_sample.py::test_teardown_error',
      '  tests/test_sample.py::test_uses_broken_fixture',
    ]);
  });

  it('names no passing test, and ends with the tail of the log', () => {
    const text = summarizeTestRun(run());
    const [head = ''] = text.split('--- last 60 lines of output ---');
    expect(head).not.toContain('test_known_bug');
    expect(head).not.toContain('test_add');
    expect(text).toContain('--- last 60 lines of output ---\n=====');
    expect(text.trimEnd().endsWith('PASSED tests/test_sample.py::TestMath::test_sub_fails')).toBe(true);
  });

  it('says so when no result could be read, and when the run timed out', () => {
    const text = summarizeTestRun(run({ statuses: new Map(), log: 'ImportError: no module named textkit\n', exitCode: null, timedOut: true }));
    expect(text).toContain('TIMED OUT after 900 s (killed; results so far); 0 tests');
    expect(text).toContain('No test results could be read from the output (pytest format)');
    expect(text).toContain('ImportError: no module named textkit');
  });

  it('cuts a long list of failures and says how many more there are', () => {
    const statuses = new Map(Array.from({ length: 70 }, (_, i) => [`t${i}`, 'FAILED' as const]));
    const text = summarizeTestRun(run({ statuses, log: '' }));
    expect(text).toContain('FAILED (70):');
    expect(text).toContain('  t49\n  ... and 20 more');
    expect(text).not.toContain('  t50\n');
  });
});

describe('countLine and logTail', () => {
  it('counts one test in the singular and none at all', () => {
    expect(countLine(new Map([['a', 'PASSED']]))).toBe('1 test: 1 PASSED');
    expect(countLine(new Map())).toBe('0 tests');
  });

  it('keeps the last lines, trailing blank lines dropped, and says how many came before', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n\n\n';
    const tail = logTail(text, 60).split('\n');
    expect(tail[0]).toBe('[... 40 earlier lines not shown ...]');
    expect(tail[1]).toBe('line 41');
    expect(tail.at(-1)).toBe('line 100');
    expect(logTail('a\nb\n', 60)).toBe('a\nb');
  });
});
