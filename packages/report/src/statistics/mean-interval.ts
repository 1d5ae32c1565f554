import { sampleMoments } from "./sample-moments.js";

/**
 * Normal-approximation interval of a mean: x̄ ± z·s/√n with s the sample standard deviation (Welford, in path
 * order, as sample-moments.ts). Null for fewer than two values, where s is undefined. The paths are independent, so
 * by the central limit theorem the interval covers the mean with probability near the level once n is in the
 * hundreds, whatever the shape of the distribution (its tail must have a variance). Tested in mean-interval.test.ts.
 */
export function meanInterval(values: Float64Array, z: number): readonly [number, number] | null {
  const { mean, stdDev, count } = sampleMoments(values);
  if (stdDev === null) return null;
  const half = (z * stdDev) / Math.sqrt(count);
  return [mean - half + 0, mean + half + 0];
}
