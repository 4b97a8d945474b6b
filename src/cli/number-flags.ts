import { HarnessError } from '../errors.js';

/**
 * The one reader of numeric flags: undefined stays undefined (the caller's default applies),
 * anything else must be a number of the asked kind, or the flag is a usage error naming it.
 */
export function numberFlag(raw: string | undefined, flag: string, kind: { whole?: boolean; min?: number; above?: number } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  const name = flag.startsWith('-') ? flag : `--${flag}`;
  const bad =
    !Number.isFinite(n) ||
    (kind.whole === true && !Number.isInteger(n)) ||
    (kind.min !== undefined && n < kind.min) ||
    (kind.above !== undefined && n <= kind.above);
  if (!bad) return n;
  const what = [kind.whole ? 'a whole number' : 'a number', kind.min !== undefined ? `of at least ${kind.min}` : '', kind.above !== undefined ? `above ${kind.above}` : ''].filter(Boolean).join(' ');
  throw new HarnessError('USAGE', `${name} takes ${what}, not ${JSON.stringify(raw)}`, { field: name });
}
