import { HarnessError } from '../errors.js';
import { shellQuote } from '../util/shell.js';
import type { Sandbox } from '../sandbox/sandbox.js';

export type TextFile = { kind: 'text'; text: string } | { kind: 'missing'; isDirectory: boolean } | { kind: 'binary'; bytes: number };

/** A NUL byte in the first 8 KiB: the test git and grep use to call a file binary. */
export function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** A file of the sandbox as text, or why it cannot be read as text. */
export async function readTextFile(sandbox: Sandbox, path: string): Promise<TextFile> {
  const bytes = await sandbox.readFile(path);
  if (bytes === null) {
    const probe = await sandbox.exec(`test -d ${shellQuote(path)}`);
    return { kind: 'missing', isDirectory: probe.exitCode === 0 };
  }
  if (looksBinary(bytes)) return { kind: 'binary', bytes: bytes.length };
  return { kind: 'text', text: bytes.toString('utf8') };
}

/** The text of a file, or a failure the model can act on (wrong path, a directory, a binary file). */
export async function requireTextFile(sandbox: Sandbox, path: string): Promise<string> {
  const file = await readTextFile(sandbox, path);
  if (file.kind === 'text') return file.text;
  throw new HarnessError('TOOL_ARGS', unreadableMessage(path, file));
}

export function unreadableMessage(path: string, file: Exclude<TextFile, { kind: 'text' }>): string {
  if (file.kind === 'binary') return `\`${path}\` is a binary file (${file.bytes} bytes); it cannot be shown as text`;
  if (file.isDirectory) return `\`${path}\` is a directory, not a file; use list_dir to see what is in it`;
  return `no file \`${path}\`; use list_dir or search to find the right path`;
}
