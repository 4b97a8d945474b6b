import { isTestStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { checkPytestCompletion, parseWith, readPytestLine, readStatusFirst, type Reading } from './pytest-log.js';

/**
 * pytest -rA output read as SWE-bench reads it for each repository (its MAP_REPO_TO_PARSER):
 * dataset test names were spelled by these readings, so a rerun must read the same names.
 * All read the short-summary lines (`STATUS name [- reason]`) and `-v` progress lines
 * (`name STATUS [ 50%]`), the last report of a name winning, and stop at pytest's final
 * summary line; they differ in how a name is spelled and which lines count.
 */

function parser(name: string, description: string, parse: (log: string) => TestStatusMap): LogParser {
  return { name, description, parse, checkCompletion: checkPytestCompletion };
}

/** SWE-bench's `parse_log_pytest` (pytest itself, flask, xarray, sqlfluff, astroid, ...). */
export const pytestParser = parser('pytest', 'pytest -rA output (short test summary and -v progress lines), SWE-bench spelling', (log) =>
  parseWith(log, readPytestLine),
);

/**
 * `parse_log_pytest_options` (requests, pylint, pydicom): a parameter that is an absolute
 * path is cut to its last part, `test_x[/opt/repo/tests/a.py]` -> `test_x[/a.py]`, the
 * spelling those datasets list. A parameter starting `//` or holding `*` stays whole.
 */
export function basenameParameter(name: string): string {
  const open = name.indexOf('[');
  if (open < 0 || !name.endsWith(']')) return name;
  const option = name.slice(open + 1, -1);
  if (!option.startsWith('/') || option.startsWith('//') || option.includes('*')) return name;
  return `${name.slice(0, open)}[/${option.split('/').pop() ?? ''}]`;
}

export const pytestOptionsParser = parser('pytest-options', 'pytest -rA, absolute-path parameters cut to `[/basename]` (SWE-bench: requests, pylint, pydicom)', (log) =>
  parseWith(log, (line) => {
    const reading = readPytestLine(line);
    return reading && [basenameParameter(reading[0]), reading[1]];
  }),
);

// `[31m`-style colour remnants and every control character, removed as SWE-bench's v2 parser does.
const COLOUR_REMNANT = /\[(\d+)m/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0001-\u001f]/g;

function v2Clean(line: string): string {
  return line.replace(COLOUR_REMNANT, '').replace(CONTROL, '');
}

const ENDS_WITH_STATUS = /(?:PASSED|FAILED|SKIPPED|ERROR|XFAIL)$/;

/**
 * `parse_log_pytest_v2` (astropy, scikit-learn, sphinx): the summary lines, or a line that
 * ends with a status word (`-o console_output_style=classic` progress lines:
 * `path::test PASSED`), read as `name status`.
 */
function readV2(line: string): Reading | undefined {
  const first = readStatusFirst(line);
  if (first || !ENDS_WITH_STATUS.test(line)) return first ?? readPytestLine(line);
  const [name, status = ''] = line.split(/\s+/).filter(Boolean);
  return name && isTestStatus(status) ? [name, status] : readPytestLine(line);
}

export const pytestV2Parser = parser('pytest-v2', 'pytest -rA of astropy, scikit-learn and sphinx (SWE-bench v2 reading: control characters removed, `name STATUS` lines)', (log) =>
  parseWith(log, readV2, v2Clean),
);

/** `parse_log_matplotlib`: `MouseButton.LEFT`/`RIGHT` in ids written `1`/`3`, as Pythons before 3.11 printed them. */
function matplotlibClean(line: string): string {
  return line.replaceAll('MouseButton.LEFT', '1').replaceAll('MouseButton.RIGHT', '3');
}

export const matplotlibParser = parser('matplotlib', 'pytest -rA of matplotlib (MouseButton.LEFT/RIGHT spelled 1/3, as SWE-bench)', (log) =>
  parseWith(log, readPytestLine, matplotlibClean),
);

/**
 * `parse_log_seaborn`: only FAILED and PASSED are read; ERROR, XFAIL and SKIPPED lines are
 * not, so such tests are missing (failed) for seaborn's datasets, as SWE-bench graded them.
 */
function readSeaborn(line: string): Reading | undefined {
  const reading = readPytestLine(line);
  return reading && (reading[1] === 'PASSED' || reading[1] === 'FAILED') ? reading : undefined;
}

export const seabornParser = parser('seaborn', 'pytest -rA of seaborn (SWE-bench reads only PASSED and FAILED)', (log) =>
  parseWith(log, readSeaborn),
);

/** seaborn's log read whole: SWE-bench's reading loses the truth its log shows (a skip is no regression). */
export const seabornFaithfulParser = parser('seaborn-faithful', 'pytest -rA of seaborn, every status read (not SWE-bench: ERROR, XFAIL, SKIPPED kept)', (log) =>
  parseWith(log, readPytestLine),
);

export const pytestParsers = [pytestParser, pytestOptionsParser, pytestV2Parser, matplotlibParser, seabornParser, seabornFaithfulParser];
