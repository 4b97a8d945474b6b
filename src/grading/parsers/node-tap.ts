import { recordWorstStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { indentOf, logLines } from './log-text.js';
import { NameStack } from './node-test-names.js';

/**
 * TAP from Node's test runner (`node --test --test-reporter=tap`, and the default output of
 * Node 18 and of Node 20 when stdout is not a terminal). Subtests are announced by
 * `# Subtest: name` and indented four spaces per level; names are joined with ` > ` (see
 * node-test-names.ts). `# SKIP` is SKIPPED; `# TODO` follows Node, where a failing todo test
 * does not fail the run: `not ok … # TODO` is XFAIL and `ok … # TODO` is PASSED.
 *
 * YAML diagnostic blocks (`---` … `...`) are skipped, so an error message quoting TAP
 * cannot be read as a result. Output a test prints is a `# ` comment in Node 20's TAP.
 */
const INDENT_PER_LEVEL = 4;
const SUBTEST = /^# Subtest: (.*)$/;
const TEST_POINT = /^(not ok|ok)\b(?:\s+\d+)?(?:\s+-)?(?:\s+(.*))?$/;
const DIRECTIVE = /^\s*(SKIP|TODO)\b/i;

/** Node escapes `\` and `#` in names; an unescaped `#` starts a directive. */
function splitDescription(text: string): { name: string; directive?: string } {
  const hash = /(?:^|[^\\])(?:\\\\)*(#)/.exec(text);
  const at = hash ? hash.index + hash[0].length - 1 : -1;
  const description = at < 0 ? text : text.slice(0, at);
  const directive = at < 0 ? undefined : DIRECTIVE.exec(text.slice(at + 1))?.[1]?.toUpperCase();
  return { name: description.trim().replace(/\\([\\#])/g, '$1'), directive };
}

function statusOf(ok: boolean, directive: string | undefined): TestStatus {
  if (directive === 'SKIP') return 'SKIPPED';
  if (directive === 'TODO') return ok ? 'PASSED' : 'XFAIL';
  return ok ? 'PASSED' : 'FAILED';
}

/**
 * Whether `line` is inside the YAML block that may follow a test point. A block opens with
 * `---` right after the point and closes with `...`; a non-blank line indented less than
 * the `---` also ends it, so an unterminated block cannot swallow the rest of the log.
 */
class YamlBlock {
  private indent = -1;

  consume(line: string, afterTestPoint: boolean): boolean {
    const text = line.trim();
    if (this.indent >= 0) {
      if (text === '' || indentOf(line) >= this.indent) {
        if (text === '...') this.indent = -1;
        return true;
      }
      this.indent = -1;
    }
    if (afterTestPoint && text === '---') {
      this.indent = indentOf(line);
      return true;
    }
    return false;
  }
}

export function parseNodeTapLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  const stack = new NameStack();
  const yaml = new YamlBlock();
  let afterTestPoint = false;
  for (const line of logLines(log)) {
    const inYaml = yaml.consume(line, afterTestPoint);
    afterTestPoint = false;
    if (inYaml) continue;
    const text = line.trim();
    const level = Math.floor(indentOf(line) / INDENT_PER_LEVEL);
    const subtest = SUBTEST.exec(text);
    if (subtest) {
      stack.open(level, splitDescription(subtest[1] ?? '').name);
      continue;
    }
    const point = TEST_POINT.exec(text);
    if (!point) continue;
    const { name, directive } = splitDescription(point[2] ?? '');
    recordWorstStatus(statuses, stack.close(level, name), statusOf(point[1] === 'ok', directive));
    afterTestPoint = true;
  }
  return statuses;
}

export const nodeTapParser: LogParser = {
  name: 'node-tap',
  description: "TAP from node --test (Node 18 default, --test-reporter=tap); nested names joined by ' > '",
  parse: parseNodeTapLog,
};
