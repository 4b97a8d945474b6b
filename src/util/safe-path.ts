import path from 'node:path';
import { HarnessError } from '../errors.js';
import { displayText } from './display-text.js';

/**
 * Names that come from data (instance ids, run ids, model names, session and snapshot names)
 * become folder and file names. These helpers are the one place that decides which names may:
 * letters, digits and `_ . -`, not `.` or `..`, bounded, so a name can never climb out of the
 * folder it is joined to, hide as a dot-only entry, or exceed a file system's name limit.
 */
export const SAFE_NAME_MAX = 200;
const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

/** Why `value` may not be a path segment, or undefined when it may. */
export function unsafeNameReason(value: string, max = SAFE_NAME_MAX): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.length > max) return `is ${value.length} characters long (at most ${max})`;
  if (!SAFE_NAME.test(value)) return 'may hold only letters, digits, _ . -';
  if (value === '.' || value === '..') return 'may not be . or ..';
  return undefined;
}

export function isSafeName(value: string, max = SAFE_NAME_MAX): boolean {
  return unsafeNameReason(value, max) === undefined;
}

/** `value` when it is a safe path segment; otherwise an UNSAFE_INPUT error naming `what`. */
export function safePathSegment(value: string, what: string, max = SAFE_NAME_MAX): string {
  const reason = unsafeNameReason(value, max);
  if (reason) throw new HarnessError('UNSAFE_INPUT', `${what} ${displayText(value)} ${reason}`);
  return value;
}

/**
 * `root` joined with `segments`, each checked by safePathSegment, and the result checked to be
 * strictly inside `root`: the guard for every path built from data.
 */
export function pathInside(root: string, ...segments: string[]): string {
  const base = path.resolve(root);
  for (const segment of segments) safePathSegment(segment, 'path segment');
  const joined = path.resolve(base, ...segments);
  if (!joined.startsWith(base + path.sep)) {
    throw new HarnessError('UNSAFE_INPUT', `${displayText(joined)} is not inside ${displayText(base)}`);
  }
  return joined;
}
