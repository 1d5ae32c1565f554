/**
 * Wilson score interval for a binomial proportion (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it over the
 * normal "Wald" interval, which collapses to [0, 0] when no event is seen). `z` is the standard normal quantile
 * of the two-sided confidence level (1.959964 for 95 %). Tested against hand-computed values.
 */
export function wilsonInterval(events: number, trials: number, z = 1.959963984540054): readonly [number, number] {
  if (!Number.isInteger(events) || !Number.isInteger(trials) || trials <= 0 || events < 0 || events > trials) {
    throw new RangeError(`wilsonInterval: expected integers 0 <= events <= trials, trials > 0; got ${events}/${trials}`);
  }
  const p = events / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return [Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth)];
}
