/**
 * Distribution-free interval of the p-quantile from order statistics (Conover, Practical Nonparametric Statistics,
 * 3rd ed., 1999, §3.2): the number of values below the true quantile is Binomial(n, p), so the ranks
 *   l = ⌊np − z√(np(1 − p))⌋,  u = ⌈np + z√(np(1 − p))⌉   (1-based, clamped to [1, n])
 * bracket it with probability near the level (normal approximation to the binomial), and [x(l), x(u)] is the
 * interval. No resampling, so it is deterministic and cheap; it needs no assumption on the distribution, which for
 * a route's PnL has a liquidation cliff in it. With few values in the tail the interval reaches the sample's
 * extreme, which is the honest answer. `sorted` ascending, without NaN. Tested in quantile-interval.test.ts.
 */
export function quantileInterval(sorted: Float64Array, p: number, z: number): readonly [number, number] {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantileInterval: no values");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileInterval: p must be in [0, 1], got ${p}`);
  const centre = n * p;
  const spread = z * Math.sqrt(n * p * (1 - p));
  const low = Math.min(n, Math.max(1, Math.floor(centre - spread)));
  const high = Math.min(n, Math.max(1, Math.ceil(centre + spread)));
  return [(sorted[low - 1] ?? Number.NaN) + 0, (sorted[high - 1] ?? Number.NaN) + 0];
}
