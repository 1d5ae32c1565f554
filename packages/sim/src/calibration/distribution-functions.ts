import jstat from "jstat";

// The distribution functions the fits need, from jstat: the standard normal and Student-t CDFs (for the
// probability-integral transforms and the tail expectations) and log-gamma (for the Student-t density, whose
// degrees of freedom are estimated).

const { jStat } = jstat;

export function normalCdf(x: number): number {
  return jStat.normal.cdf(x, 0, 1);
}

/** P(T <= x) for Student's t with `degreesOfFreedom` (not scaled to unit variance). */
export function studentTCdf(x: number, degreesOfFreedom: number): number {
  return jStat.studentt.cdf(x, degreesOfFreedom);
}

export function logGamma(x: number): number {
  return jStat.gammaln(x);
}
