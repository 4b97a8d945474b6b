/**
 * Dates as datasets write them, read strictly. SWE-bench's `created_at` is
 * "2023-06-28T16:44:09Z"; other datasets and users write "2023-06-28 16:44:09", a date alone,
 * fractions of a second or an offset ("+02:00", "+0200", "-05"). `Date.parse` is not used: it
 * reads "2023-06-28 16:44:09" in the machine's time zone and accepts "June 28" or "2023-02-30"
 * by guessing, and a time split must mean the same on every machine. The grammar here is the
 * ISO 8601 subset above, no more; a time without an offset, and a date alone (its midnight),
 * are UTC, as SWE-bench's timestamps are.
 */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

function offsetMinutes(offset: string | undefined): number | undefined {
  if (!offset || offset === 'Z' || offset === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Milliseconds since the epoch, or undefined for an empty or unreadable text (never a guess). */
export function parseTimestamp(text: string | null | undefined): number | undefined {
  const m = TIMESTAMP.exec((text ?? '').trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [number, number, number, number, number, number];
  const millis = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  // setUTCFullYear, not Date.UTC, which reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // 2023-02-30 rolls over to March 2nd: a day the month does not have is refused.
  if (date.getUTCDate() !== day) return undefined;
  const local = date.setUTCHours(hour, minute, second, millis);
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  return local - offset * 60_000;
}

/** The canonical form a summary records: "2023-06-28T16:44:09.000Z". */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
