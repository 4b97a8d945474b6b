/**
 * Helpers every log parser shares. Logs come from containers, CI captures and terminals, so
 * they may carry colour codes and Windows line ends; parsers see neither.
 */

// CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks).
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The log's lines without colour codes or carriage returns. */
export function logLines(log: string): string[] {
  return stripAnsi(log).split(/\r?\n|\r/);
}

/** Number of leading spaces (tabs count as one; runners here indent with spaces). */
export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
