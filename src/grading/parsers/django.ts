import { recordStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { checkUnittestCompletion, parseUnittestStyleLog, type UnittestDialect } from './unittest-log.js';

/**
 * Django's `tests/runtests.py --verbosity 2`: the unittest format plus the special cases
 * SWE-bench's `parse_log_django` carries for real Django logs.
 */

// One admin_scripts test's output breaks its result line; SWE-bench passes it on sight.
const VERSION_TEST = '--version is equivalent to version';
// Migration progress glued to a test line: `Applying sites.0002_x...test_y (…) ... ok`
// (django__django-7188). Normal `Applying x... OK` lines have a space after the dots.
const GLUED_MIGRATION = /^Applying \S+?\.\.\.(?=\S)/;

const djangoDialect: UnittestDialect = {
  normalize: (line) => line.replace(GLUED_MIGRATION, ''),
  special(line: string, statuses: TestStatusMap) {
    if (line.includes(VERSION_TEST)) recordStatus(statuses, VERSION_TEST, 'PASSED');
  },
};

export const djangoParser: LogParser = {
  name: 'django',
  description: "Django runtests.py --verbosity 2 output, with SWE-bench's Django special cases",
  parse: (log) => parseUnittestStyleLog(log, djangoDialect),
  checkCompletion: checkUnittestCompletion,
};
