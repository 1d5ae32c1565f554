import { createRequire } from "node:module";

// The distribution functions the fits need, from jstat (https://github.com/jstat/jstat, MIT): the standard normal
// and Student-t CDFs (for the probability-integral transforms and the tail expectations) and log-gamma (for the
// Student-t density, whose degrees of freedom are estimated). jstat ships no types; the interface below is the
// part used, and the module is loaded as CommonJS, which is what it is.

interface JStat {
  readonly normal: { cdf(x: number, mean: number, sd: number): number };
  readonly studentt: { cdf(x: number, degreesOfFreedom: number): number };
  gammaln(x: number): number;
}

const { jStat } = createRequire(import.meta.url)("jstat") as { readonly jStat: JStat };

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
