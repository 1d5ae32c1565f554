export interface SurvivalPoint {
  readonly t: number;
  readonly survival: number;
}

/**
 * Empirical survival function S(t) = #{paths with T > t} / n, T the time of a path's first forced close and NaN
 * for a path that reached the horizon unliquidated. Every path is followed to the same horizon, so nothing is
 * censored before it and the Kaplan & Meier (1958) product-limit estimate reduces to this plain fraction. A path
 * liquidated exactly at t no longer survives at t (S is right-continuous, as in Kaplan–Meier), so S(0) < 1 when a
 * position is closed at the open. Each grid time is answered by a binary search in the sorted liquidation times,
 * so the curve does not depend on the grid's order. Tested on a hand-counted example in survival-curve.test.ts.
 */
export function survivalCurve(liquidatedAt: Float64Array, grid: ArrayLike<number>): SurvivalPoint[] {
  const n = liquidatedAt.length;
  if (n === 0) throw new RangeError("survivalCurve: no paths");
  let liquidated = 0;
  for (const t of liquidatedAt) {
    if (Number.isNaN(t)) continue;
    if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`survivalCurve: liquidation times must be finite and >= 0 or NaN, got ${t}`);
    liquidated++;
  }
  const times = new Float64Array(liquidated);
  let next = 0;
  for (const t of liquidatedAt) if (!Number.isNaN(t)) times[next++] = t;
  times.sort();

  const points: SurvivalPoint[] = [];
  for (let g = 0; g < grid.length; g++) {
    const t = grid[g] ?? Number.NaN;
    if (!Number.isFinite(t)) throw new RangeError(`survivalCurve: grid times must be finite, got ${t} at ${g}`);
    // Upper bound: the number of liquidation times <= t.
    let low = 0;
    let high = liquidated;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((times[middle] ?? Number.POSITIVE_INFINITY) <= t) low = middle + 1;
      else high = middle;
    }
    points.push({ t, survival: (n - low) / n });
  }
  return points;
}
