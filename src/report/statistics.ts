import { seededRandom } from '../util/seeded-random.js';

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

/** Non-zero differences up to which the sign-flip test enumerates every flip (2^16 sums). */
const EXACT_FLIPS = 16;

/**
 * Two-sided sign-flip (randomization) test of a zero mean difference: under the null each
 * pair's difference is as likely to have either sign. Exact up to EXACT_FLIPS non-zero
 * differences, else `flips` seeded random flips with the (count + 1) / (flips + 1) estimate.
 */
function signFlipP(differences: number[], flips: number, random: () => number): number {
  const d = differences.filter((x) => Math.abs(x) > 1e-12);
  if (d.length === 0) return 1;
  const observed = Math.abs(d.reduce((s, x) => s + x, 0)) - 1e-9;
  if (d.length <= EXACT_FLIPS) {
    let extreme = 0;
    const total = 2 ** d.length;
    for (let mask = 0; mask < total; mask++) {
      let sum = 0;
      for (let i = 0; i < d.length; i++) sum += mask & (1 << i) ? -d[i]! : d[i]!;
      if (Math.abs(sum) >= observed) extreme++;
    }
    return extreme / total;
  }
  let extreme = 0;
  for (let r = 0; r < flips; r++) {
    let sum = 0;
    for (const x of d) sum += random() < 0.5 ? -x : x;
    if (Math.abs(sum) >= observed) extreme++;
  }
  return (extreme + 1) / (flips + 1);
}

/**
 * B - A over paired per-item scores (a task's pass@k in two runs): the mean difference, a 95%
 * percentile interval from a paired bootstrap (items drawn with replacement, `resamples`
 * times) and a two-sided sign-flip p. Both are seeded, so a report reads the same each time.
 */
export function pairedMeanDifference(a: readonly number[], b: readonly number[], resamples = 10_000): Interval & { difference: number; p_value: number } {
  const n = Math.min(a.length, b.length);
  if (n === 0) return { difference: 0, low: 0, high: 0, p_value: 1 };
  const d = Array.from({ length: n }, (_, i) => b[i]! - a[i]!);
  const difference = d.reduce((s, x) => s + x, 0) / n;
  const random = seededRandom(0x5eed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += d[Math.floor(random() * n)]!;
    means[r] = sum / n;
  }
  means.sort();
  const at = (q: number) => means[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))]!;
  return { difference, low: at(0.025), high: at(0.975), p_value: signFlipP(d, resamples, random) };
}
