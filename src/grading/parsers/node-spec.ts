import { recordWorstStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { indentOf, logLines } from './log-text.js';
import { NameStack } from './node-test-names.js';

/**
 * Node's `spec` reporter (`node --test --test-reporter=spec`, Node 20's default on a
 * terminal): `✔ name (1.2ms)`, `✖ name (3ms)`, `﹣ name (0.1ms) # reason` for a skip, and
 * `▶ suite` opening a group whose members are indented two more spaces. Names are joined
 * with ` > ` as in node-tap (see node-test-names.ts).
 *
 * A todo test keeps ✔/✖ and gains ` # reason` after its duration; as in node-tap, a failing
 * todo is XFAIL. The `✖ failing tests:` recap at the end repeats failures without their
 * parents' names, so it is not read; a new run's first ✔/▶/﹣ line ends it.
 *
 * Test output is printed raw in this format, so a test can print lines that look like
 * results; worse outcomes win, so it cannot hide a real failure. Prefer node-tap for grading.
 */
const INDENT_PER_LEVEL = 2;
const MARK_LINE = /^([✔✖﹣▶])\s(.*)$/u;
// Greedy, so the duration found is the last one: a name may itself contain `(1ms)`.
const TIMED = /^(.*) \(\d+(?:\.\d+)?m?s\)(?: # (.*))?$/;
const RECAP_START = '✖ failing tests:';

function statusOf(mark: string, directive: string | undefined): TestStatus {
  if (mark === '﹣') return 'SKIPPED';
  if (mark === '✔') return 'PASSED';
  return directive === undefined ? 'FAILED' : 'XFAIL';
}

export function parseNodeSpecLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  const stack = new NameStack();
  let inRecap = false;
  for (const line of logLines(log)) {
    const text = line.trim();
    if (text === RECAP_START) {
      inRecap = true;
      continue;
    }
    const marked = MARK_LINE.exec(text);
    if (!marked) continue;
    const [, mark = '', rest = ''] = marked;
    const level = Math.floor(indentOf(line) / INDENT_PER_LEVEL);
    if (inRecap && (mark === '✖' || level > 0)) continue;
    inRecap = false;
    const timed = TIMED.exec(rest);
    if (mark === '▶') {
      // `▶ suite` opens a group; `▶ suite (2ms)` is how older Node 20 releases closed one.
      if (timed) stack.close(level, timed[1] ?? '');
      else stack.open(level, rest);
      continue;
    }
    // Without a duration the line is not a result (e.g. the first line of a multi-line name).
    if (!timed) continue;
    recordWorstStatus(statuses, stack.close(level, timed[1] ?? ''), statusOf(mark, timed[2]));
  }
  return statuses;
}

export const nodeSpecParser: LogParser = {
  name: 'node-spec',
  description: "node --test --test-reporter=spec output (✔/✖/﹣, ▶ suites); nested names joined by ' > '",
  parse: parseNodeSpecLog,
};
