/**
 * The unbiased pass@k estimator of Chen et al. (2021): from n samples of which c passed, the
 * probability that at least one of k drawn without replacement passes, 1 - C(n-c, k) / C(n, k).
 * One definition for agent runs (episodes per instance) and function-level runs (samples per task).
 */
export function passAtKEstimate(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || k < 1 || c < 0 || c > n || k > n) {
    throw new RangeError(`pass@k needs integers 0 <= c <= n and 1 <= k <= n (n=${n}, c=${c}, k=${k})`);
  }
  if (n - c < k) return 1;
  // A product rather than binomials, so large n neither overflows nor loses precision.
  let failAll = 1;
  for (let i = n - c + 1; i <= n; i++) failAll *= 1 - k / i;
  return 1 - failAll;
}

/** The k's to report: those asked that n allows (k <= n), in order; default 1, 10, 100. */
export function reportableKs(n: number, asked: readonly number[] = [1, 10, 100]): number[] {
  return [...new Set(asked)].filter((k) => Number.isInteger(k) && k >= 1 && k <= n).sort((a, b) => a - b);
}

/** The mean of the estimator over tasks, each with its own n (samples) and c (passed). */
export function meanPassAtK(tasks: ReadonlyArray<{ n: number; c: number }>, k: number): number | null {
  const usable = tasks.filter((t) => t.n >= k);
  if (usable.length === 0) return null;
  return usable.reduce((sum, t) => sum + passAtKEstimate(t.n, t.c, k), 0) / usable.length;
}
