/**
 * Interval of a ratio of two means, x̄ / ȳ (times `scale`), by the delta method (the ratio estimator's variance,
 * Cochran, Sampling Techniques, 3rd ed., 1977, §6.4): with R = x̄ / ȳ,
 *   Var(R) ≈ (s_x² − 2 R s_xy + R² s_y²) / (n ȳ²),
 * sample variances and covariance with divisor n − 1, accumulated in path order. When y is the same on every path
 * (the capital of a mode without policies) this is x̄'s own interval divided by y. Null for fewer than two values or
 * ȳ = 0. APR on capital is such a ratio. Tested in ratio-of-means-interval.test.ts.
 */
export function ratioOfMeansInterval(x: Float64Array, y: Float64Array, z: number, scale = 1): readonly [number, number] | null {
  const n = x.length;
  if (n < 2 || y.length !== n) return null;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i] ?? 0;
    meanY += y[i] ?? 0;
  }
  meanX /= n;
  meanY /= n;
  if (meanY === 0) return null;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] ?? 0) - meanX;
    const dy = (y[i] ?? 0) - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const ratio = meanX / meanY;
  const variance = Math.max(0, (sxx - 2 * ratio * sxy + ratio * ratio * syy) / (n - 1)) / (n * meanY * meanY);
  const half = z * Math.sqrt(variance);
  return [(ratio - half) * scale + 0, (ratio + half) * scale + 0];
}
