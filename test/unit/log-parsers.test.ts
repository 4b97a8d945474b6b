import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../src/errors.js';
import { getLogParser, logParserNames, registerLogParser } from '../../src/grading/parsers/registry.js';
import type { TestStatusMap } from '../../src/grading/test-status.js';

/**
 * Every fixture under test/fixtures/logs is the real output of the named runner, made with
 * small throwaway test files (passes, failures, errors, skips, xfail, parametrized names
 * with spaces and brackets, nested subtests, docstrings). The one exception is said below.
 */
function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'utf8');
}

function parse(parser: string, log: string): Record<string, string> {
  return Object.fromEntries(getLogParser(parser).parse(log));
}

function parseFixture(parser: string, name: string): Record<string, string> {
  return parse(parser, fixture(name));
}

describe('pytest parser', () => {
  // Names are the first token after the status word, as SWE-bench's parse_log_pytest spells
  // them: `test_length[a b-3]` becomes `test_length[a`. XPASS is not recorded; the
  // `SKIPPED [1] file:line` summary names no test.
  const rA = {
    'tests/test_sample.py::TestMath::test_add': 'PASSED',
    'tests/test_sample.py::TestMath::test_sub_fails': 'FAILED',
    'tests/test_sample.py::test_uses_broken_fixture': 'ERROR',
    'tests/test_sample.py::test_length[a': 'PASSED',
    'tests/test_sample.py::test_length[[x]-3]': 'PASSED',
    'tests/test_sample.py::test_length[ok-2]': 'PASSED',
    'tests/test_sample.py::test_known_bug': 'XFAIL',
    'tests/test_sample.py::test_teardown_error': 'ERROR',
    'tests/test_sample.py::test_prints_spoof': 'PASSED',
  };

  it('reads the short test summary of pytest 9 -rA', () => {
    expect(parseFixture('pytest', 'pytest9-rA.txt')).toStrictEqual(rA);
  });

  it('reads the short test summary of pytest 7.2 -rA (Debian bookworm)', () => {
    expect(parseFixture('pytest', 'pytest7-rA.txt')).toStrictEqual(rA);
  });

  it('reads -v progress lines too, which name the skipped test', () => {
    expect(parseFixture('pytest', 'pytest9-rA-v.txt')).toStrictEqual({
      ...rA,
      'tests/test_sample.py::test_skipped': 'SKIPPED',
    });
  });

  it('reads coloured output (--color=yes) as plain', () => {
    expect(fixture('pytest9-rA-color.txt')).toContain('\u001b[');
    expect(parseFixture('pytest', 'pytest9-rA-color.txt')).toStrictEqual(rA);
  });

  it('does not read a fake PASSED line a conftest hook printed after the final summary line', () => {
    const log = fixture('pytest9-rA.txt');
    // The fixture really ends with the spoof, printed by pytest_unconfigure.
    expect(log.trimEnd().endsWith('PASSED tests/test_sample.py::TestMath::test_sub_fails')).toBe(true);
    expect(parse('pytest', log)['tests/test_sample.py::TestMath::test_sub_fails']).toBe('FAILED');
  });

  it('keeps the last report of a name, as SWE-bench does; the completion check refuses the spoof', () => {
    const real = 'FAILED t.py::test_a - AssertionError: boom';
    const spoof = 'PASSED t.py::test_a';
    expect(parse('pytest', `${spoof}\n${real}\n`)).toStrictEqual({ 't.py::test_a': 'FAILED' });
    expect(parse('pytest', `${real}\n${spoof}\n`)).toStrictEqual({ 't.py::test_a': 'PASSED' });
    // Printed before pytest's own summary line: pytest counts no pass, and exited 1.
    const log = `${real}\n${spoof}\n===== 1 failed in 0.01s =====\n`;
    const parser = getLogParser('pytest');
    expect(parser.checkCompletion?.(log, parser.parse(log), 1)).toContain("pytest's summary counts 0 passed");
  });

  it('keeps the [100%] name SWE-bench keeps from a wrapped progress line', () => {
    expect(parse('pytest', 'PASSED [100%]\nSKIPPED [2] t.py:3: no db\n')).toStrictEqual({ '[100%]': 'PASSED' });
  });
});

describe('unittest parser', () => {
  it('reads Python 3.9 output: `test_x (module.Class)`', () => {
    expect(parseFixture('unittest', 'unittest-py39.txt')).toStrictEqual({
      'test_checkout_raises (shop.tests.CartTests)': 'ERROR',
      'test_discount (shop.tests.CartTests)': 'FAILED',
      'test_fixed_bug (shop.tests.CartTests)': 'FAILED',
      'test_noisy (shop.tests.CartTests)': 'PASSED',
      'test_payment (shop.tests.CartTests)': 'SKIPPED',
      'test_rounding_bug (shop.tests.CartTests)': 'XFAIL',
      // `test_subtests (…) ... test_total (…) ... ok`: a test whose subtest failed prints
      // no result; its FAIL: header names it. SWE-bench names the whole chain.
      'test_total (shop.tests.CartTests)': 'PASSED',
      'test_subtests (shop.tests.CartTests) ... test_total (shop.tests.CartTests)': 'PASSED',
      'test_subtests (shop.tests.CartTests)': 'FAILED',
      // A docstring test: SWE-bench's name is the docstring line; the id line is kept too.
      'Totals ignore removed items.': 'PASSED',
      'test_with_docstring (shop.tests.CartTests)': 'PASSED',
    });
  });

  it('reads Python 3.11 output: `test_x (module.Class.test_x)`, subtests indented', () => {
    expect(parseFixture('unittest', 'unittest-py311.txt')).toStrictEqual({
      'test_checkout_raises (shop.tests.CartTests.test_checkout_raises)': 'ERROR',
      'test_discount (shop.tests.CartTests.test_discount)': 'FAILED',
      'test_fixed_bug (shop.tests.CartTests.test_fixed_bug)': 'FAILED',
      'test_noisy (shop.tests.CartTests.test_noisy)': 'PASSED',
      'test_payment (shop.tests.CartTests.test_payment)': 'SKIPPED',
      'test_rounding_bug (shop.tests.CartTests.test_rounding_bug)': 'XFAIL',
      'test_subtests (shop.tests.CartTests.test_subtests) (i=1)': 'FAILED',
      'test_subtests (shop.tests.CartTests.test_subtests)': 'FAILED',
      'test_total (shop.tests.CartTests.test_total)': 'PASSED',
      'Totals ignore removed items.': 'PASSED',
      'test_with_docstring (shop.tests.CartTests.test_with_docstring)': 'PASSED',
    });
  });

  it('gives a result printed after interleaved output to the test still waiting', () => {
    const log = 'test_a (m.T) ... Loading ... done\nstill loading\nok\ntest_b (m.T) ... FAIL\n';
    expect(parse('unittest', log)).toStrictEqual({ 'test_a (m.T)': 'PASSED', 'test_b (m.T)': 'FAILED' });
  });

  it('does not take the final OK verdict as a waiting test passing', () => {
    const log = 'test_a (m.T) ... \nRan 1 test in 0.001s\n\nOK\n';
    expect(parse('unittest', log)).toStrictEqual({});
  });
});

describe('django parser', () => {
  it('reads Django 3.2 runner output at --verbosity 2 (migrations, interleaved stderr)', () => {
    expect(parseFixture('django', 'django32-verbosity2.txt')).toStrictEqual({
      'test_order_saved (shop.tests.OrderTests.test_order_saved)': 'PASSED',
      'test_checkout_raises (shop.tests.CartTests.test_checkout_raises)': 'ERROR',
      'test_discount (shop.tests.CartTests.test_discount)': 'FAILED',
      // `test_noisy (…) ... Internal Server Error: /cart/` then `ok` on its own line.
      'test_noisy (shop.tests.CartTests.test_noisy)': 'PASSED',
      'test_payment (shop.tests.CartTests.test_payment)': 'SKIPPED',
      'test_rounding_bug (shop.tests.CartTests.test_rounding_bug)': 'XFAIL',
      'test_total (shop.tests.CartTests.test_total)': 'PASSED',
      'Totals ignore removed items.': 'PASSED',
      'test_with_docstring (shop.tests.CartTests.test_with_docstring)': 'PASSED',
    });
  });

  it('reads a test line glued to migration output (django__django-7188)', () => {
    const log = 'Applying sites.0002_alter_domain_unique...test_no_migrations (migrations.test_x.T) ... ok\n';
    expect(parse('django', log)).toStrictEqual({ 'test_no_migrations (migrations.test_x.T)': 'PASSED' });
  });

  it("passes the admin_scripts test whose output breaks its line, as SWE-bench does", () => {
    const log = '--version is equivalent to version ... 3.0\nok\n';
    expect(parse('django', log)).toStrictEqual({ '--version is equivalent to version': 'PASSED' });
  });
});

describe('sympy parser', () => {
  it('reads bin/test --verbose output as SWE-bench does: ok, F, E, not the last test of a file', () => {
    // `test_raises_ok ok   [FAIL]` and `test_price_format ok   [OK]` do not end with ` ok`.
    expect(parseFixture('sympy', 'sympy-verbose.txt')).toStrictEqual({
      test_total: 'PASSED',
      test_discount: 'FAILED',
      test_checkout_raises: 'ERROR',
      // Traceback headers, recorded as SWE-bench records them.
      'sympy/zzshop/tests/test_cart.py:test_checkout_raises': 'FAILED',
      'sympy/zzshop/tests/test_cart.py::test_discount': 'FAILED',
    });
  });

  it('sympy-faithful reads every mark and the last test of each file', () => {
    expect(parseFixture('sympy-faithful', 'sympy-verbose.txt')).toStrictEqual({
      test_total: 'PASSED',
      test_discount: 'FAILED',
      test_checkout_raises: 'ERROR',
      test_rounding_bug: 'XFAIL',
      test_gateway: 'SKIPPED',
      test_skipped_decorator: 'SKIPPED',
      test_raises_ok: 'PASSED',
      test_price_format: 'PASSED',
      'sympy/zzshop/tests/test_cart.py:test_checkout_raises': 'FAILED',
      'sympy/zzshop/tests/test_cart.py::test_discount': 'FAILED',
    });
  });
});

describe('node-tap parser', () => {
  const cart = {
    'adds items': 'PASSED',
    'applies discount': 'FAILED',
    'checkout > with card': 'PASSED',
    'checkout > with voucher': 'FAILED',
    'checkout > nested group > deep # not a directive': 'PASSED',
    'checkout > nested group': 'PASSED',
    checkout: 'FAILED',
    'payment gateway': 'SKIPPED',
    'rounding bug': 'XFAIL',
    'Cart (suite) > starts empty': 'PASSED',
    'Cart (suite) > rejects negative quantity': 'FAILED',
    'Cart (suite) > totals > sums [1, 2]': 'PASSED',
    'Cart (suite) > totals': 'PASSED',
    'Cart (suite)': 'FAILED',
    'formats money': 'PASSED',
  };

  it('reads node 20 --test-reporter=tap output', () => {
    expect(parseFixture('node-tap', 'node20-tap.txt')).toStrictEqual(cart);
  });

  it("reads node 18's default output (Debian bookworm's node 18.20)", () => {
    expect(parseFixture('node-tap', 'node18-default-tap.txt')).toStrictEqual(cart);
  });

  it('names a file that failed to load by its path, and reads skip/todo directives', () => {
    expect(parseFixture('node-tap', 'node20-tap-file-error.txt')).toStrictEqual({
      '/tmp/lg/node2/test/broken.test.mjs': 'FAILED',
      // The test printed `ok 99 - applies discount`: Node 20 turns it into a # comment.
      'prints fake results': 'PASSED',
      'skip true': 'SKIPPED',
      'todo true passes': 'PASSED',
      'ctx skip': 'SKIPPED',
      'ctx todo fails': 'XFAIL',
      // A newline in a name comes out of Node's TAP escaping as backslash-n.
      'multi\\nline # name\\ok': 'PASSED',
      'formats money': 'PASSED',
    });
  });

  it('leaves the per-file level of Node 18.0-18.18 out of test names', () => {
    // Constructed in that format (as in Node's own TAP lexer tests): no such Node here.
    expect(parseFixture('node-tap', 'node-tap-file-wrapper.txt')).toStrictEqual({
      'adds items': 'PASSED',
      'checkout > with voucher': 'FAILED',
      checkout: 'FAILED',
      '/testbed/test/cart.test.mjs': 'FAILED',
      'formats money': 'PASSED',
      'test/util.test.js': 'PASSED',
    });
  });

  it('does not read TAP quoted inside a YAML diagnostic block', () => {
    const log = ['# Subtest: a', 'not ok 1 - a', '  ---', '  error: |-', '    ok 2 - b', '  ...', '1..1'].join('\n');
    expect(parse('node-tap', log)).toStrictEqual({ a: 'FAILED' });
  });
});

describe('node-spec parser', () => {
  const cart = {
    'adds items': 'PASSED',
    'applies discount': 'FAILED',
    'checkout > with card': 'PASSED',
    'checkout > with voucher': 'FAILED',
    'checkout > nested group > deep # not a directive': 'PASSED',
    'checkout > nested group': 'PASSED',
    checkout: 'FAILED',
    'payment gateway': 'SKIPPED',
    'rounding bug': 'XFAIL',
    'Cart (suite) > starts empty': 'PASSED',
    'Cart (suite) > rejects negative quantity': 'FAILED',
    'Cart (suite) > totals > sums [1, 2]': 'PASSED',
    'Cart (suite) > totals': 'PASSED',
    'Cart (suite)': 'FAILED',
    'formats money': 'PASSED',
  };

  it('reads node 20 spec output and ignores the failing-tests recap', () => {
    const log = fixture('node20-spec.txt');
    expect(log).toContain('✖ failing tests:');
    // The recap repeats `✖ with voucher` without its parent: no bare `with voucher` entry.
    expect(parse('node-spec', log)).toStrictEqual(cart);
  });

  it('reads coloured spec output (FORCE_COLOR=1) as plain', () => {
    expect(fixture('node20-spec-color.txt')).toContain('\u001b[');
    expect(parseFixture('node-spec', 'node20-spec-color.txt')).toStrictEqual(cart);
  });

  it('reads skip/todo marks and a file that failed to load', () => {
    expect(parseFixture('node-spec', 'node20-spec-file-error.txt')).toStrictEqual({
      '/tmp/lg/node2/test/broken.test.mjs': 'FAILED',
      // Printed by a test: spec output cannot tell it from a result (prefer node-tap).
      'applies discount': 'PASSED',
      'prints fake results': 'PASSED',
      'skip true': 'SKIPPED',
      'todo true passes': 'PASSED',
      'ctx skip': 'SKIPPED',
      'ctx todo fails': 'XFAIL',
      'formats money': 'PASSED',
    });
  });
});

describe('junit-xml parser', () => {
  it('reads reports between other log lines (node --test-reporter=junit, pytest --junitxml)', () => {
    expect(parseFixture('junit-xml', 'junit-in-log.txt')).toStrictEqual({
      'test.adds items': 'PASSED',
      'test.applies discount': 'FAILED',
      'test.with card': 'PASSED',
      'test.with voucher': 'FAILED',
      'test.deep # not a directive': 'PASSED',
      'test.payment gateway': 'SKIPPED',
      'test.rounding bug': 'XFAIL',
      'test.starts empty': 'PASSED',
      'test.rejects negative quantity': 'FAILED',
      'test.sums [1, 2]': 'PASSED',
      'test.formats money': 'PASSED',
      'tests.test_sample.TestMath.test_add': 'PASSED',
      'tests.test_sample.TestMath.test_sub_fails': 'FAILED',
      'tests.test_sample.test_uses_broken_fixture': 'ERROR',
      'tests.test_sample.test_length[a b-3]': 'PASSED',
      'tests.test_sample.test_length[[x]-3]': 'PASSED',
      'tests.test_sample.test_length[ok-2]': 'PASSED',
      'tests.test_sample.test_skipped': 'SKIPPED',
      'tests.test_sample.test_known_bug': 'XFAIL',
      'tests.test_sample.test_xpass': 'PASSED',
      'tests.test_sample.test_teardown_error': 'ERROR',
      'tests.test_sample.test_prints_spoof': 'PASSED',
    });
  });

  it('does not read markup inside CDATA or comments, and decodes entities', () => {
    const log = [
      '<testsuite name="s"><testcase classname="" name="a &amp; b &#x3C;c&#62; &quot;d&apos;">',
      '<system-out><![CDATA[<testcase name="fake"/>]]></system-out></testcase>',
      '<!-- <testcase name="commented"/> --><testcase name="e"><failure/></testcase></testsuite>',
    ].join('\n');
    expect(parse('junit-xml', log)).toStrictEqual({ 'a & b <c> "d\'': 'PASSED', e: 'FAILED' });
  });

  it('keeps the closed testcases of a report cut off by the end of the log', () => {
    const log = '<testsuites><testsuite><testcase name="done"/><testcase name="cut"><failure messa';
    expect(parse('junit-xml', log)).toStrictEqual({ done: 'PASSED' });
  });
});

describe('gotest parser', () => {
  it('reads go test -v output with nested subtests, and keeps a failure a test printed PASS over', () => {
    expect(parseFixture('gotest', 'gotest-v.txt')).toStrictEqual({
      TestTotal: 'PASSED',
      // TestPrintsSpoof printed `--- PASS: TestDiscount (0.00s)` after the real FAIL.
      TestDiscount: 'FAILED',
      TestGateway: 'SKIPPED',
      TestTable: 'FAILED',
      'TestTable/empty_cart': 'PASSED',
      'TestTable/one_item': 'PASSED',
      'TestTable/two/items': 'FAILED',
      TestNested: 'PASSED',
      'TestNested/outer': 'PASSED',
      'TestNested/outer/inner': 'PASSED',
      'TestNested/outer/skipped_inner': 'SKIPPED',
      TestPrintsSpoof: 'PASSED',
    });
  });
});

describe('every parser', () => {
  const cases: [string, string][] = [
    ['pytest', 'pytest9-rA-v.txt'],
    ['unittest', 'unittest-py311.txt'],
    ['django', 'django32-verbosity2.txt'],
    ['sympy-faithful', 'sympy-verbose.txt'],
    ['node-tap', 'node20-tap.txt'],
    ['node-spec', 'node20-spec.txt'],
    ['junit-xml', 'junit-in-log.txt'],
    ['gotest', 'gotest-v.txt'],
  ];

  it.each(cases)('%s reads a CRLF copy of %s the same', (parser, name) => {
    const log = fixture(name);
    const crlf = log.replace(/\n/g, '\r\n');
    expect(parse(parser, crlf)).toStrictEqual(parse(parser, log));
    expect(Object.keys(parse(parser, log)).length).toBeGreaterThan(5);
  });

  it.each(cases)('%s reads nothing from an empty log', (parser) => {
    expect(parse(parser, '')).toStrictEqual({});
  });
});

describe('log parser registry', () => {
  it('lists the built-in parsers', () => {
    expect(logParserNames()).toStrictEqual([
      'cargo',
      'django',
      'gotest',
      'gradle',
      'gtest',
      'jest',
      'jest-json',
      'junit-xml',
      'matplotlib',
      'maven',
      'minitest',
      'mocha',
      'mocha-json',
      'node-spec',
      'node-tap',
      'phpunit',
      'pytest',
      'pytest-options',
      'pytest-v2',
      'rspec',
      'rspec-json',
      'seaborn',
      'seaborn-faithful',
      'sympy',
      'sympy-faithful',
      'unittest',
      'vitest',
    ]);
  });

  it('rejects an unknown name with PARSER_UNKNOWN, listing the known ones', () => {
    let caught: unknown;
    try {
      getLogParser('nope');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(HarnessError);
    expect((caught as HarnessError).code).toBe('PARSER_UNKNOWN');
    for (const name of logParserNames()) expect((caught as HarnessError).message).toContain(name);
    expect((caught as HarnessError).message).toContain('"nope"');
  });

  it('takes a parser registered by a project', () => {
    const parser = {
      name: 'test-only-lines',
      description: 'one test name per line, all passing',
      parse: (log: string): TestStatusMap => new Map(log.split('\n').filter(Boolean).map((t) => [t, 'PASSED'])),
    };
    registerLogParser(parser);
    expect(getLogParser('test-only-lines')).toBe(parser);
    expect(parse('test-only-lines', 'a\nb\n')).toStrictEqual({ a: 'PASSED', b: 'PASSED' });
  });
});
