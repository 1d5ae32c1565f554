/**
 * The smallest number of paths n whose Wilson interval at `z`, with the proportion p observed so far, would leave
 * `limit` outside it, so that a limit on the probability passes or fails instead of staying undecided. null when
 * the estimate sits on the limit (no number of paths separates them).
 *
 * The Wilson interval's ends are the roots π of (p − π)² = z²·π(1 − π)/n (Wilson 1927), so a value L lies outside
 * the interval exactly when (p − L)² > z²·L(1 − L)/n, i.e. n > z²·L(1 − L)/(p − L)², and
 *   n = ⌊z²·L(1 − L)/(p − L)²⌋ + 1.
 * With no event seen (p = 0) this is ⌊z²(1 − L)/L⌋ + 1: 3,838 paths to show p < 0.1 % at 95 %, against the "rule
 * of three"'s 3/L = 3,000 (a one-sided 95 % bound; the two-sided Wilson interval spends 2.5 % on each side).
 * Tested against hand computations and by checking n and n − 1 with the interval itself in paths-to-decide.test.ts.
 */
export function pathsToDecide(p: number, limit: number, z: number): number | null {
  if (!(p >= 0 && p <= 1) || !(limit >= 0 && limit <= 1) || !(z > 0)) throw new RangeError(`pathsToDecide: expected p and limit in [0, 1] and z > 0, got ${p}, ${limit}, ${z}`);
  if (p === limit) return null;
  return Math.floor((z * z * limit * (1 - limit)) / ((p - limit) * (p - limit))) + 1;
}
