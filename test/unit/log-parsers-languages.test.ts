import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getLogParser } from '../../src/grading/parsers/registry.js';

/**
 * Parsers for the runners SWE-bench Multilingual and Multi-SWE-bench grade. Every fixture is
 * the real output of the named runner on this machine, on small throwaway test files with a
 * pass, a failure, an error, a skip, nested groups and a test that prints an imitation of
 * another test's result: jest 30.5, vitest 4.1 and mocha 12.0 (npm), cargo 1.x (rustup),
 * PHPUnit 9.6, RSpec 3.12, minitest 5.17, GoogleTest 1.12, Maven 3.8 (offline, plugins from the
 * local repository) and gradle 4.4.1 on OpenJDK 17 (Debian bookworm packages).
 */
function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/logs/${name}`, import.meta.url), 'utf8');
}

function parse(parser: string, name: string): Record<string, string> {
  return Object.fromEntries(getLogParser(parser).parse(fixture(name)));
}

describe('cargo', () => {
  it('reads cargo test --no-fail-fast: unit tests by path, integration tests, ignored, should_panic', () => {
    expect(parse('cargo', 'cargo-test.txt')).toStrictEqual({
      'tests::applies_discount': 'FAILED',
      'tests::needs_network': 'SKIPPED',
      // It printed `test result: ok. 99 passed`; libtest captured it.
      'tests::nested::deep_ok': 'PASSED',
      'tests::panics_on_overflow': 'PASSED',
      'tests::sums_items': 'PASSED',
      integration_total: 'PASSED',
    });
  });

  it('cargo stderr interleaved into a test line: `test unknown_unit ...    Doc-tests durations`, then `ok` (seen in CI)', () => {
    const statuses = parse('cargo', 'cargo-test-stderr-interleaved.txt');
    expect(statuses.unknown_unit).toBe('PASSED');
    expect(Object.keys(statuses)).toHaveLength(15);
    expect(Object.values(statuses).every((s) => s === 'PASSED')).toBe(true);
    const parser = getLogParser('cargo');
    const log = fixture('cargo-test-stderr-interleaved.txt');
    expect(parser.checkCompletion?.(log, parser.parse(log), 0)).toBeUndefined();
  });

  it('cargo stderr between a status and its newline: `test days ... ok     Running tests/parse.rs (...)` (seen in CI)', () => {
    const statuses = parse('cargo', 'cargo-test-stderr-after-status.txt');
    expect(statuses.days).toBe('PASSED');
    expect(statuses.compound_every_unit).toBe('FAILED');
    expect(Object.keys(statuses)).toHaveLength(15);
  });

  it('cargo stderr blanks before a test line: ` test seconds ... ok` (seen in CI)', () => {
    const statuses = parse('cargo', 'cargo-test-stderr-before-name.txt');
    expect(statuses.seconds).toBe('PASSED');
    expect(Object.keys(statuses)).toHaveLength(15);
    expect(Object.values(statuses).every((s) => s === 'PASSED')).toBe(true);
  });

  it('a name waiting for its status takes only a status word alone, and reads `ignored, reason`', () => {
    const log = ['running 3 tests', 'test a ...    Doc-tests x', 'not a status', 'FAILED', 'test b ... ignored, needs network', 'test c ... ', 'okay', 'test result: FAILED. 0 passed; 1 failed; 1 ignored;'].join('\n');
    expect(Object.fromEntries(getLogParser('cargo').parse(log))).toStrictEqual({ a: 'FAILED', b: 'SKIPPED' });
  });

  it("checks every test binary's result line against the exit code", () => {
    const parser = getLogParser('cargo');
    const log = fixture('cargo-test.txt');
    expect(parser.checkCompletion?.(log, parser.parse(log), 101)).toBeUndefined();
    expect(parser.checkCompletion?.(log, parser.parse(log), 0)).toContain('exited 0');
    const cut = log.slice(0, log.indexOf('test integration_total'));
    expect(parser.checkCompletion?.(cut, parser.parse(cut), 101)).toContain('did not finish');
  });
});

describe('jest', () => {
  it('reads --verbose as SWE-bench does: titles alone; `○ skipped` keeps its word; todo not read', () => {
    expect(parse('jest', 'jest30-verbose.txt')).toStrictEqual({
      // The test that printed `✓ applies discount (3 ms)`: jest shows console output first,
      // so the real `✕ applies discount` comes later and wins.
      'applies discount': 'FAILED',
      'adds items': 'PASSED',
      'skipped payment gateway': 'SKIPPED',
      'with card': 'PASSED',
      'rejects expired [2024-01-01]': 'FAILED',
      'prints a fake pass': 'PASSED',
      'formats money': 'PASSED',
    });
  });

  it('reads the --json report among other output, tests by fullName', () => {
    expect(parse('jest-json', 'jest30-json.txt')).toStrictEqual({
      'adds items': 'PASSED',
      'applies discount': 'FAILED',
      'payment gateway': 'SKIPPED',
      refunds: 'SKIPPED',
      'checkout with card': 'PASSED',
      'checkout voucher rejects expired [2024-01-01]': 'FAILED',
      'checkout voucher prints a fake pass': 'PASSED',
      'formats money': 'PASSED',
    });
  });
});

describe('vitest', () => {
  it('reads --reporter=verbose (coloured) as SWE-bench does: `file > suite > test`, duration removed', () => {
    expect(parse('vitest', 'vitest4-verbose.txt')).toStrictEqual({
      // The imitation printed at the margin gets its own odd name, which no dataset lists.
      'applies discount (3 ms)': 'PASSED',
      'cart.test.js > adds items': 'PASSED',
      'cart.test.js > applies discount': 'FAILED',
      'cart.test.js > payment gateway': 'SKIPPED',
      'cart.test.js > checkout > with card': 'PASSED',
      'cart.test.js > checkout > voucher > rejects expired [2024-01-01]': 'FAILED',
      'cart.test.js > checkout > voucher > prints a fake pass': 'PASSED',
      'format.test.js > formats money': 'PASSED',
    });
  });
});

describe('mocha', () => {
  const expected = {
    'adds items': 'PASSED',
    'applies discount': 'FAILED',
    'payment gateway': 'SKIPPED',
    refunds: 'SKIPPED',
    'formats money': 'PASSED',
    'checkout with card': 'PASSED',
    'checkout voucher rejects expired [2024-01-01]': 'FAILED',
    'checkout voucher prints a fake pass': 'PASSED',
  };

  it('reads the spec reporter by indentation, and not the imitation a test printed at the margin', () => {
    expect(parse('mocha', 'mocha12-spec.txt')).toStrictEqual(expected);
  });

  it('reads the json reporter the same', () => {
    expect(parse('mocha-json', 'mocha12-json.txt')).toStrictEqual(expected);
  });
});

describe('phpunit', () => {
  it('reads --testdox, not the `✔ Applies discount` lines a test echoed', () => {
    expect(parse('phpunit', 'phpunit9-testdox.txt')).toStrictEqual({
      'Cart > Adds items': 'PASSED',
      'Cart > Applies discount': 'FAILED',
      'Cart > Throws on checkout': 'FAILED',
      'Cart > Payment gateway': 'SKIPPED',
      'Cart > Refunds': 'SKIPPED',
      'Cart > Positive with data set "one"': 'PASSED',
      'Cart > Positive with data set "two items"': 'PASSED',
    });
  });

  it('reads its --log-junit report with the junit-xml parser, by Class.method', () => {
    expect(parse('junit-xml', 'phpunit9-junit.txt')).toStrictEqual({
      'CartTest.testAddsItems': 'PASSED',
      'CartTest.testAppliesDiscount': 'FAILED',
      'CartTest.testThrowsOnCheckout': 'ERROR',
      'CartTest.testPaymentGateway': 'SKIPPED',
      'CartTest.testRefunds': 'SKIPPED',
      'CartTest.testPositive with data set "one"': 'PASSED',
      'CartTest.testPositive with data set "two items"': 'PASSED',
    });
  });
});

describe('rspec', () => {
  it('reads --format documentation by indentation, examples by full description', () => {
    expect(parse('rspec', 'rspec3-documentation.txt')).toStrictEqual({
      'Cart adds items': 'PASSED',
      'Cart applies discount': 'FAILED',
      'Cart payment gateway': 'SKIPPED',
      'Cart refunds': 'SKIPPED',
      // A line the example printed (`adds items (FAILED - 1)`): a fake failure, which can
      // only count against the patch; the json reporter has no such line.
      'Cart when checking out adds items': 'FAILED',
      'Cart when checking out accepts a card': 'PASSED',
      'Cart when checking out raises on an expired voucher': 'FAILED',
    });
  });

  it('reads --format json', () => {
    expect(parse('rspec-json', 'rspec3-json.txt')).toStrictEqual({
      'Cart adds items': 'PASSED',
      'Cart applies discount': 'FAILED',
      'Cart payment gateway': 'SKIPPED',
      'Cart refunds': 'SKIPPED',
      'Cart when checking out accepts a card': 'PASSED',
      'Cart when checking out raises on an expired voucher': 'FAILED',
    });
  });
});

describe('minitest', () => {
  it('reads --verbose, a result after printed output going to the test that waits for it', () => {
    expect(parse('minitest', 'minitest5-verbose.txt')).toStrictEqual({
      'PriceTest#test_formats_money': 'PASSED',
      // test_prints_fake_pass printed `CartTest#test_applies_discount = 0.00 s = .`.
      'CartTest#test_applies_discount': 'FAILED',
      'CartTest#test_raises_on_checkout': 'ERROR',
      'CartTest#test_payment_gateway': 'SKIPPED',
      'CartTest#test_adds_items': 'PASSED',
      'CartTest#test_prints_fake_pass': 'PASSED',
    });
  });
});

describe('gtest', () => {
  it('ties each result to its [ RUN ] line, so an imitation printed by another test is not read', () => {
    expect(parse('gtest', 'gtest-1.12.txt')).toStrictEqual({
      'CartTest.AddsItems': 'PASSED',
      'CartTest.AppliesDiscount': 'FAILED',
      'CartTest.PaymentGateway': 'SKIPPED',
      'CartTest.PrintsFakePass': 'PASSED',
      'Small/AmountTest.Positive/0': 'PASSED',
      'Small/AmountTest.Positive/1': 'FAILED',
    });
  });
});

describe('maven', () => {
  it("reads one `mvn -Dtest=` run per test under set -x, as SWE-bench does (maven 3.8, surefire 3.2)", () => {
    // The trace of the second command is printed glued to the first run's colour codes.
    expect(parse('maven', 'maven38-dtest.txt')).toStrictEqual({ 'CartTest#sumsItems': 'PASSED', 'CartTest#appliesDiscount': 'FAILED' });
  });

  it('refuses a log with more BUILD lines than test commands (a test printed one)', () => {
    const parser = getLogParser('maven');
    const log = fixture('maven38-dtest.txt');
    expect(parser.checkCompletion?.(log, parser.parse(log))).toBeUndefined();
    const spoofed = log.replace('[INFO] Scanning for projects...', '[INFO] BUILD SUCCESS\n[INFO] Scanning for projects...');
    expect(parser.checkCompletion?.(spoofed, parser.parse(spoofed))).toContain('BUILD result lines');
  });
});

describe('Surefire XML reports', () => {
  it('reads `mvn test` then `cat target/surefire-reports/TEST-*.xml` with junit-xml, by class.method', () => {
    // emptyIsZero printed a Surefire-like `Tests run:` line; it stays inside its CDATA.
    expect(parse('junit-xml', 'maven38-surefire-xml.txt')).toStrictEqual({
      'cart.CartTest.appliesDiscount': 'FAILED',
      'cart.CartTest.throwsOnCheckout': 'ERROR',
      'cart.CartTest.paymentGateway': 'SKIPPED',
      'cart.CartTest.positive(int)[1]': 'PASSED',
      'cart.CartTest.positive(int)[2]': 'PASSED',
      'cart.CartTest.sumsItems': 'PASSED',
      'cart.CartTest$Totals.emptyIsZero': 'PASSED',
      'cart.PriceTest.formatsMoney': 'PASSED',
    });
  });
});

describe('gradle', () => {
  it("reads Debian's gradle 4.4 with testLogging events, as SWE-bench does", () => {
    expect(parse('gradle', 'gradle4-test.txt')).toStrictEqual({
      'cart.CartTest > appliesDiscount': 'FAILED',
      'cart.CartTest > printsFakePass': 'PASSED',
      'cart.CartTest > paymentGateway': 'SKIPPED',
      'cart.CartTest > sumsItems': 'PASSED',
      // gradle's own task line, which SWE-bench's pattern reads too; no dataset lists it.
      ':test': 'FAILED',
    });
  });
});
