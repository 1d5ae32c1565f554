/**
 * Normal interval of the expected shortfall at `level` from its influence function (Manistre & Hancock, "Variance
 * of the CTE estimator", North American Actuarial Journal 9(2), 2005): with losses L, tail mass q = 1 − level,
 * value at risk v and expected shortfall e,
 *   Var(ES) ≈ [Var(L | L ≥ v) + (1 − q)(e − v)²] / (n q),
 * so the interval is e ± z·√Var. `sortedPnl` is the PnL ascending (losses are its negatives), `valueAtRisk` and
 * `expectedShortfall` as value-at-risk.ts computes them (positive losses). Null when the tail holds fewer than two
 * paths, where the tail's variance is undefined. Deterministic (no bootstrap). Tested in
 * expected-shortfall-interval.test.ts.
 */
export function expectedShortfallInterval(sortedPnl: Float64Array, level: number, valueAtRisk: number, expectedShortfall: number, z: number): readonly [number, number] | null {
  const n = sortedPnl.length;
  const q = 1 - level;
  // The worst ⌈nq⌉ paths: the losses at or beyond the value at risk.
  const tail = Math.max(1, Math.ceil(n * q - 1e-9));
  if (tail < 2) return null;
  let mean = 0;
  for (let i = 0; i < tail; i++) mean += -(sortedPnl[i] ?? 0);
  mean /= tail;
  let squares = 0;
  for (let i = 0; i < tail; i++) squares += (-(sortedPnl[i] ?? 0) - mean) ** 2;
  const tailVariance = squares / (tail - 1);
  const variance = (tailVariance + (1 - q) * (expectedShortfall - valueAtRisk) ** 2) / (n * q);
  const half = z * Math.sqrt(variance);
  return [expectedShortfall - half + 0, expectedShortfall + half + 0];
}
