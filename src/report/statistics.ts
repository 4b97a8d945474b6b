/** The normal quantile for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson's score interval for k successes in n trials: unlike the Wald interval it stays inside
 * [0, 1] and keeps its coverage at the small n and extreme rates of a benchmark run.
 */
export function wilsonInterval(k: number, n: number, z = Z95): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** C(n, k) * 0.5^n, summed in log space so large discordant counts do not overflow. */
function binomialHalfPmf(n: number, k: number): number {
  let logC = 0;
  for (let i = 1; i <= k; i++) logC += Math.log(n - k + i) - Math.log(i);
  return Math.exp(logC - n * Math.LN2);
}

/**
 * McNemar's exact test: under the null, each of the b + c discordant pairs goes either way
 * with probability 1/2. Two-sided p = 2 * P(X <= min(b, c)), capped at 1.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  let tail = 0;
  for (let i = 0; i <= Math.min(b, c); i++) tail += binomialHalfPmf(n, i);
  return Math.min(1, 2 * tail);
}

/**
 * A 95% interval for the difference of paired rates (B - A) over n pairs, b = resolved by A
 * only, c = by B only. Agresti and Min's (2005) adjusted Wald: add 1/2 to each of the four
 * cells, so the interval behaves at zero counts.
 */
export function pairedDifferenceInterval(b: number, c: number, n: number, z = Z95): Interval & { difference: number } {
  const difference = n === 0 ? 0 : (c - b) / n;
  const bb = b + 0.5;
  const cc = c + 0.5;
  const nn = n + 2;
  const d = (cc - bb) / nn;
  const se = Math.sqrt(bb + cc - (cc - bb) ** 2 / nn) / nn;
  return { difference, low: Math.max(-1, d - z * se), high: Math.min(1, d + z * se) };
}

/**
 * A 95% interval for the difference of two independent rates, k2/n2 - k1/n1: Newcombe's (1998)
 * hybrid score interval (his method 10), built from each rate's Wilson interval, so it keeps
 * its coverage at the small counts and extreme rates of a time split where Wald's does not.
 * Both n1 and n2 must be above 0 (a rate of nothing has no difference).
 */
export function independentDifferenceInterval(k1: number, n1: number, k2: number, n2: number, z = Z95): Interval & { difference: number } {
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const w1 = wilsonInterval(k1, n1, z);
  const w2 = wilsonInterval(k2, n2, z);
  const difference = p2 - p1;
  return {
    difference,
    low: difference - Math.sqrt((p2 - w2.low) ** 2 + (w1.high - p1) ** 2),
    high: difference + Math.sqrt((w2.high - p2) ** 2 + (p1 - w1.low) ** 2),
  };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
