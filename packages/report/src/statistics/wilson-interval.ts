/**
 * Wilson score interval for a binomial proportion (Wilson 1927; Brown, Cai & DasGupta 2001 recommend it over the
 * normal "Wald" interval, which collapses to [0, 0] when no event is seen). `z` is the standard normal quantile
 * of the two-sided confidence level (1.959964 for 95 %). Tested against hand-computed values.
 */
export function wilsonInterval(events: number, trials: number, z = 1.959963984540054): readonly [number, number] {
  if (!Number.isInteger(events) || !Number.isInteger(trials) || trials <= 0 || events < 0 || events > trials) {
    throw new RangeError(`wilsonInterval: expected integers 0 <= events <= trials, trials > 0; got ${events}/${trials}`);
  }
  return wilsonIntervalOf(events / trials, trials, z);
}

/**
 * The same interval for an observed proportion p in [0, 1] over `trials` (> 0, not necessarily whole): what the
 * interval would be if the proportion seen so far held over that many trials. Used to say how many paths a
 * probability needs before its interval clears a limit (paths-to-decide.ts).
 */
export function wilsonIntervalOf(p: number, trials: number, z = 1.959963984540054): readonly [number, number] {
  if (!(p >= 0 && p <= 1) || !(trials > 0) || !(z > 0)) throw new RangeError(`wilsonIntervalOf: expected p in [0, 1], trials > 0, z > 0; got ${p}, ${trials}, ${z}`);
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  // At p = 0 the lower end is exactly 0 (and at p = 1 the upper end exactly 1); the subtraction would leave ~1e-19.
  return [p === 0 ? 0 : Math.max(0, centre - halfWidth), p === 1 ? 1 : Math.min(1, centre + halfWidth)];
}
