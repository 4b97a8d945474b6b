import type { TestStatusMap } from '../test-status.js';

/** Turns a test run's output (between the markers) into per-test statuses. */
export interface LogParser {
  /** The name specs use in `log_parser`. */
  readonly name: string;
  readonly description: string;
  parse(log: string): TestStatusMap;
  /**
   * Whether the runner reached its own end (its final summary) and the summary agrees with
   * the parsed statuses and the test command's exit code (when known); the reason when it
   * did not. This, not the order of lines, is what keeps printed result lines from deciding
   * a verdict. Parsers that cannot tell leave it out.
   */
  checkCompletion?(log: string, statuses: TestStatusMap, exitCode?: number | null): string | undefined;
}
