import { displayText } from '../errors.js';

/** A plain text table with aligned columns; cells come from data, so they are printed escaped. */
export function renderTable(header: string[], untrustedRows: string[][]): string {
  const rows = untrustedRows.map((r) => r.map((cell) => displayText(cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
