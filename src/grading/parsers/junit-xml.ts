import { recordWorstStatus, type TestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { stripAnsi } from './log-text.js';
import { xmlTags, type XmlTag } from './xml-scan.js';

/**
 * JUnit XML reports (`<testsuites>`/`<testsuite>` holding `<testcase classname name>` with
 * `<failure>`, `<error>` or `<skipped>`), wherever they sit in a log: each report is read
 * from its opening `<testsuite(s)>` to the matching close, and the text around it is ignored.
 * A test is named `classname.name`, or `name` when classname is empty.
 *
 * Producers' own conventions kept: pytest writes xfail as `<skipped type="pytest.xfail">`,
 * read as XFAIL; Node writes a todo test as `<skipped type="todo">`, plus `<failure>` when
 * it failed, read as XFAIL (failed) or PASSED, as node-tap does.
 */
const REPORT_START = /<testsuites?(?=[\s/>])/g;
const SUITE_TAGS = new Set(['testsuite', 'testsuites']);

interface OpenTestcase {
  name: string;
  outcomes: Set<string>;
}

function testName(tag: XmlTag): string {
  const name = tag.attributes.get('name') ?? '';
  const classname = tag.attributes.get('classname') ?? '';
  return classname ? `${classname}.${name}` : name;
}

function outcomeOf(tag: XmlTag): string | undefined {
  if (tag.name === 'failure' || tag.name === 'error') return tag.name;
  if (tag.name !== 'skipped') return undefined;
  const type = tag.attributes.get('type');
  return type === 'pytest.xfail' ? 'xfail' : type === 'todo' ? 'todo' : 'skipped';
}

function statusOf(outcomes: Set<string>): TestStatus {
  const failed = outcomes.has('failure') || outcomes.has('error');
  if (outcomes.has('todo')) return failed ? 'XFAIL' : 'PASSED';
  if (outcomes.has('error')) return 'ERROR';
  if (outcomes.has('failure')) return 'FAILED';
  if (outcomes.has('xfail')) return 'XFAIL';
  return outcomes.has('skipped') ? 'SKIPPED' : 'PASSED';
}

/** Reads one report starting at `from`; returns where it ended. */
function readReport(text: string, from: number, statuses: TestStatusMap): number {
  let depth = 0;
  let open: OpenTestcase | undefined;
  const finish = () => {
    if (open) recordWorstStatus(statuses, open.name, statusOf(open.outcomes));
    open = undefined;
  };
  for (const tag of xmlTags(text, from)) {
    if (SUITE_TAGS.has(tag.name)) {
      if (tag.closing) depth--;
      else if (!tag.selfClosing) depth++;
      if (depth <= 0) return tag.end;
    } else if (tag.name === 'testcase') {
      // An unclosed <testcase> before this one is malformed: its outcome is unknown.
      if (!tag.closing) open = { name: testName(tag), outcomes: new Set() };
      if (tag.closing || tag.selfClosing) finish();
    } else if (open && !tag.closing) {
      const outcome = outcomeOf(tag);
      if (outcome) open.outcomes.add(outcome);
    }
  }
  // A report cut off by the log's end still counts for the testcases it closed; the one
  // left open may have lost its <failure>, so it is not recorded.
  return text.length;
}

export function parseJunitXmlLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  const text = stripAnsi(log);
  const start = new RegExp(REPORT_START.source, 'g');
  for (let match = start.exec(text); match; match = start.exec(text)) {
    start.lastIndex = readReport(text, match.index, statuses);
  }
  return statuses;
}

export const junitXmlParser: LogParser = {
  name: 'junit-xml',
  description: 'JUnit XML reports anywhere in the log; tests named classname.name',
  parse: parseJunitXmlLog,
};
