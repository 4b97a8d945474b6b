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
