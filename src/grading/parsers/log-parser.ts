import type { TestStatusMap } from '../test-status.js';

/** Turns a test run's output (between the markers) into per-test statuses. */
export interface LogParser {
  /** The name specs use in `log_parser`. */
  readonly name: string;
  readonly description: string;
  parse(log: string): TestStatusMap;
}
