
/**
 * One base error with a stable `code`, so reports and the CLI can classify failures without
 * matching on messages. A failing instance is recorded with its code and the batch goes on;
 * only the CLI maps errors to exit codes.
 */
export interface ErrorContext {
  instanceId?: string;
  file?: string;
  field?: string;
  logPath?: string;
}

export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'DATASET_INVALID'
  | 'DATASET_NOT_FOUND'
  | 'PREDICTIONS_INVALID'
  | 'SPEC_INVALID'
  | 'SPEC_NOT_FOUND'
  | 'REPO_SOURCE'
  | 'IMAGE_BUILD'
  | 'IMAGE_PULL'
  | 'DOCKER_UNAVAILABLE'
  | 'DOCKER'
  | 'INFRA'
  | 'CONTAINER_EXITED'
  | 'TEST_CRASHED'
  | 'PATCH_APPLY'
  | 'TEST_PATCH_APPLY'
  | 'TEST_TIMEOUT'
  | 'TEST_LOG'
  | 'PARSER_UNKNOWN'
  | 'SANDBOX'
  | 'PATCH_UNREADABLE'
  | 'RUN_LOCKED'
  | 'QUEUE_UNREACHABLE'
  | 'QUEUE_JOB_FAILED'
  | 'SESSION_GONE'
  | 'TOOL_ARGS'
  | 'MODEL_AUTH'
  | 'MODEL_RATE_LIMIT'
  | 'MODEL_SERVER'
  | 'MODEL_FORMAT'
  | 'MODEL_CONTEXT_LIMIT'
  | 'MODEL_ERROR'
  | 'INTERRUPTED'
  | 'UNSAFE_INPUT'
  | 'USAGE';

export class HarnessError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
    this.code = code;
    this.context = context;
  }

  /** The message with its context, as a user should read it. */
  describe(): string {
    const where = [
      this.context.instanceId && `instance ${displayText(this.context.instanceId)}`,
      this.context.file && `file ${this.context.file}`,
      this.context.field && `field ${this.context.field}`,
    ].filter(Boolean);
    const log = this.context.logPath ? ` (log: ${this.context.logPath})` : '';
    return `${where.length ? `${where.join(', ')}: ` : ''}${this.message}${log}`;
  }
}

/** One problem in a file of many records; several are gathered and thrown together. */
export interface InputProblem {
  file: string;
  /** 1-based line for JSONL, 0-based index for JSON arrays, or a YAML document's position. */
  location?: string;
  instanceId?: string;
  field?: string;
  message: string;
}

export function formatProblem(p: InputProblem): string {
  const parts = [p.file + (p.location ? `:${p.location}` : '')];
  // The id may be the very value that was refused: printed so it cannot forge a line.
  if (p.instanceId) parts.push(`instance ${displayText(p.instanceId)}`);
  if (p.field) parts.push(`field ${p.field}`);
  return `${parts.join(', ')}: ${p.message}`;
}

/** Many input problems at once, so a user fixes a file in one pass. */
export class InputError extends HarnessError {
  readonly problems: InputProblem[];

  constructor(code: ErrorCode, problems: InputProblem[]) {
    super(code, problems.map(formatProblem).join('\n'), { file: problems[0]?.file });
    this.name = 'InputError';
    this.problems = problems;
  }
}

export function errorCode(err: unknown): string {
  return err instanceof HarnessError ? err.code : 'INTERNAL';
}

export function errorMessage(err: unknown): string {
  if (err instanceof HarnessError) return err.describe();
  return err instanceof Error ? err.message : String(err);
}

const DISPLAY_MAX = 120;

/**
 * A value as it may be printed to a terminal or a log line: as it is when it is plain text,
 * JSON-quoted when it holds control characters (a newline could forge a line of output, an
 * escape sequence could rewrite the screen), and cut short when it is very long.
 */
export function displayText(value: string, max = DISPLAY_MAX): string {
  const short = value.length > max ? `${value.slice(0, max)}…(${value.length} chars)` : value;
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(short) ? JSON.stringify(short) : short;
}
