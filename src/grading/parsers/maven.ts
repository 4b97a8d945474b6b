import { recordStatus, type TestStatusMap } from '../test-status.js';
import type { LogParser } from './log-parser.js';
import { logLines } from './log-text.js';

/**
 * Maven, read as SWE-bench's `parse_log_maven` reads it (gson, druid, javaparser): Surefire
 * prints no line per passing test, so the eval script runs one `mvn test -Dtest=<id>` per
 * test under `set -x`, and each test is named by its `-Dtest=` value and passes when its run
 * ends `BUILD SUCCESS`. Commands and results pair in order (the trace line of the next command
 * may be printed before the previous build's result). For per-method results of one run,
 * print the Surefire XML reports (`target/surefire-reports/TEST-*.xml`) and use junit-xml.
 */
const TEST_COMMAND = /-Dtest=(\S+)/;
const BUILD_RESULT = /BUILD (SUCCESS|FAILURE)$/;

function readRuns(log: string): { commands: string[]; results: string[] } {
  const commands: string[] = [];
  const results: string[] = [];
  for (const raw of logLines(log)) {
    const line = raw.trim();
    const command = TEST_COMMAND.exec(line);
    if (command) commands.push((command[1] ?? '').replace(/^["']|["']$/g, ''));
    const result = BUILD_RESULT.exec(line);
    if (result) results.push(result[1] ?? '');
  }
  return { commands, results };
}

export function parseMavenLog(log: string): TestStatusMap {
  const statuses: TestStatusMap = new Map();
  const { commands, results } = readRuns(log);
  commands.forEach((test, i) => {
    const result = results[i];
    if (result) recordStatus(statuses, test, result === 'SUCCESS' ? 'PASSED' : 'FAILED');
  });
  return statuses;
}

/**
 * One BUILD line per test command: fewer means a run did not finish, more means a test
 * printed one (a `BUILD SUCCESS` line is easy to imitate, so the count is the evidence).
 */
function checkMavenCompletion(log: string): string | undefined {
  const { commands, results } = readRuns(log);
  if (commands.length === 0) return 'no `mvn ... -Dtest=` command in the log (the eval script must run under set -x)';
  if (results.length !== commands.length) return `${commands.length} test commands but ${results.length} BUILD result lines`;
  return undefined;
}

export const mavenParser: LogParser = {
  name: 'maven',
  description: 'one `mvn test -Dtest=<id>` per test under set -x, each judged by BUILD SUCCESS/FAILURE (SWE-bench)',
  parse: parseMavenLog,
  checkCompletion: checkMavenCompletion,
};
