// Student-t shocks scaled to unit variance, so a model's volatility parameter means the same thing whatever the
// tail weight: T = Z / sqrt(G / nu) with Z standard normal and G ~ chi-square(nu) = 2 Gamma(nu / 2), times
// sqrt((nu - 2) / nu) because Var T = nu / (nu - 2). The two factors fold into one square root, Z sqrt((nu - 2) / G).
// Z comes first from the stream, then the gamma draw; that order is part of the determinism contract.
// The gamma draw is Marsaglia & Tsang, "A simple method for generating gamma variables", ACM TOMS 26(3), 2000,
// 363-372: accept d V with V = (1 + c X)^3, d = a - 1/3, c = 1 / sqrt(9 d), X normal, by the squeeze
// U < 1 - 0.0331 X^4 or else log U < X^2 / 2 + d (1 - V + log V); it accepts over 95% of candidates for a >= 1.
// Its U^(1/a) boost for shapes a < 1 is left out: nu > 2 makes the shape nu / 2 > 1, so it could never run.
// Tested in student-t.test.ts: mean, variance and P(|T| > 1, 3, 5) of 1e6 draws at nu = 5 against the exact t5
// law, and unit variance at nu = 30.5.
import type { UniformStream } from "./path-stream.js";
import { standardNormalQuantile } from "@mstress/core/engine";

export function standardisedStudentT(stream: UniformStream, degreesOfFreedom: number): number {
  // The variance nu / (nu - 2) is finite only for nu > 2; an infinite nu would give NaN from (nu - 2) / nu.
  if (!(degreesOfFreedom > 2 && degreesOfFreedom < Infinity)) {
    throw new RangeError(`standardisedStudentT: degreesOfFreedom must be a finite number above 2, got ${String(degreesOfFreedom)}`);
  }
  const z = standardNormalQuantile(stream.next());
  const chiSquare = 2 * gammaAboveOne(stream, degreesOfFreedom / 2);
  return z * Math.sqrt((degreesOfFreedom - 2) / chiSquare);
}

function gammaAboveOne(stream: UniformStream, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormalQuantile(stream.next());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = stream.next();
    const xSquared = x * x;
    if (u < 1 - 0.0331 * xSquared * xSquared) return d * v;
    if (Math.log(u) < 0.5 * xSquared + d * (1 - v + Math.log(v))) return d * v;
  }
}
