import { HarnessError } from '../../errors.js';
import { cargoParser } from './cargo.js';
import { djangoParser } from './django.js';
import { goTestParser } from './gotest.js';
import { gradleParser } from './gradle.js';
import { gtestParser } from './gtest.js';
import { jestJsonParser, jestParser } from './jest.js';
import { junitXmlParser } from './junit-xml.js';
import type { LogParser } from './log-parser.js';
import { mavenParser } from './maven.js';
import { minitestParser } from './minitest.js';
import { mochaJsonParser, mochaParser } from './mocha.js';
import { nodeSpecParser } from './node-spec.js';
import { nodeTapParser } from './node-tap.js';
import { phpunitParser } from './phpunit.js';
import { pytestParsers } from './pytest.js';
import { rspecJsonParser, rspecParser } from './rspec.js';
import { sympyFaithfulParser, sympyParser } from './sympy.js';
import { unittestParser } from './unittest.js';
import { vitestParser } from './vitest.js';

/** Log parsers by the name specs give in `log_parser`. */
const parsers = new Map<string, LogParser>();

/**
 * Adds a parser, or replaces the one of the same name, so a project can plug in its own
 * runner's format (or a stricter variant of a built-in one) without forking.
 */
export function registerLogParser(parser: LogParser): void {
  parsers.set(parser.name, parser);
}

export function logParserNames(): string[] {
  return [...parsers.keys()].sort();
}

export function getLogParser(name: string): LogParser {
  const parser = parsers.get(name);
  if (!parser) {
    throw new HarnessError(
      'PARSER_UNKNOWN',
      `unknown log parser "${name}"; known parsers: ${logParserNames().join(', ')}`,
    );
  }
  return parser;
}

for (const parser of [
  ...pytestParsers,
  unittestParser,
  djangoParser,
  sympyParser,
  sympyFaithfulParser,
  nodeTapParser,
  nodeSpecParser,
  junitXmlParser,
  goTestParser,
  cargoParser,
  jestParser,
  jestJsonParser,
  vitestParser,
  mochaParser,
  mochaJsonParser,
  phpunitParser,
  rspecParser,
  rspecJsonParser,
  minitestParser,
  gtestParser,
  mavenParser,
  gradleParser,
]) {
  registerLogParser(parser);
}
