/**
 * Dotted-number versions as SWE-bench spells them ("0.12", "7.0", "2022.03"), and ranges of
 * space- or comma-separated comparators: ">=7.0 <8.1", ">=3.0,<=3.2", "==1.0".
 */
function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

const COMPARATOR = /^(>=|<=|==|=|>|<)?\s*(\d+(?:\.\d+)*)$/;

export function isValidRange(range: string): boolean {
  const parts = range.split(/[\s,]+/).filter(Boolean);
  return parts.length > 0 && parts.every((p) => COMPARATOR.test(p));
}

export function versionInRange(version: string, range: string): boolean {
  return range
    .split(/[\s,]+/)
    .filter(Boolean)
    .every((part) => {
      const match = COMPARATOR.exec(part);
      if (!match) return false;
      const cmp = compareVersions(version, match[2] ?? '');
      switch (match[1]) {
        case '>=': return cmp >= 0;
        case '<=': return cmp <= 0;
        case '>': return cmp > 0;
        case '<': return cmp < 0;
        default: return cmp === 0;
      }
    });
}
