import { HarnessError } from '../../errors.js';
import { djangoParser } from './django.js';
import { goTestParser } from './gotest.js';
import { junitXmlParser } from './junit-xml.js';
import type { LogParser } from './log-parser.js';
import { nodeSpecParser } from './node-spec.js';
import { nodeTapParser } from './node-tap.js';
import { pytestParsers } from './pytest.js';
import { sympyFaithfulParser, sympyParser } from './sympy.js';
import { unittestParser } from './unittest.js';

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
]) {
  registerLogParser(parser);
}
