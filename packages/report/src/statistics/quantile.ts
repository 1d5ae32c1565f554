/**
 * Sample quantile of ascending-sorted values, Hyndman & Fan (1996) definition 7, the default of R's `quantile` and
 * NumPy's `quantile` ("linear"): with h = (n − 1)·p, Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]) (0-based).
 * Q(0) is the minimum, Q(1) the maximum, and a whole h returns a sample value exactly (the weight is then 0).
 * Like R and NumPy there is no snapping of h: 1 − 0.95 is 0.050000000000000044 in binary, so a "5 %" quantile may
 * carry a weight of ~1e-15 on the next value. Tested against hand-computed R/NumPy values in quantile.test.ts.
 *
 * `sorted` must be ascending without NaN (use `sortedCopy`); only the last value is checked for NaN, because
 * `Float64Array.prototype.sort` puts NaN last and a full check would make every quantile O(n).
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError("quantileSorted: no values");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantileSorted: p must be in [0, 1], got ${p}`);
  const last = sorted[n - 1] ?? Number.NaN;
  if (Number.isNaN(last)) throw new RangeError("quantileSorted: values contain NaN");
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] ?? last;
  if (lo >= n - 1) return below;
  const weight = h - lo;
  if (weight === 0) return below;
  const above = sorted[lo + 1] ?? last;
  return below + weight * (above - below);
}

/**
 * An ascending copy, leaving the caller's column (which is in path order) untouched. The typed-array sort is
 * numeric without a comparator, deterministic for equal input, orders −0 before +0, and puts NaN last.
 */
export function sortedCopy(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort();
}
