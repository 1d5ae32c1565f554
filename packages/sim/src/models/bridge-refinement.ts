import { standardNormalQuantile } from "@mstress/core/engine";
import type { UniformStream } from "../rng/path-stream.js";
import { bridgeMinimum } from "./market-path.js";

// A step's path drawn finer after the fact, given what the step has already drawn: its two endpoints and its
// maximum. Every evaluation of a path reads the same step box, and those that passed the step have used its
// maximum, so a finer path must be drawn from the bridge's law given the maximum as well as the endpoints, not from
// the endpoints alone. Williams' path decomposition gives that law: split at the time of its maximum, a Brownian
// bridge conditioned on its maximum M is M minus two independent Bessel-3 bridges, each running from the distance
// of an endpoint below M down to 0 at the time of the maximum (Beskos, Papaspiliopoulos and Roberts 2006,
// "Retrospective exact simulation of diffusion sample paths", Bernoulli 12(6), Proposition 2 for the time of the
// extreme and the Bessel-3 representation of the two pieces).

const epsilon = 1e-300;

/** A standard normal draw (the generator's own mapping of one uniform). */
function normal(stream: UniformStream): number {
  return standardNormalQuantile(stream.next());
}

/**
 * An inverse Gaussian draw with mean `mean` and shape `shape` (Michael, Schucany and Haas 1976: one normal and one
 * uniform). The root is written as mean / (1 + w + sqrt(w (2 + w))), which equals mean (1 + w - sqrt(w (2 + w)))
 * without subtracting nearly equal numbers when w is large.
 */
export function inverseGaussian(mean: number, shape: number, stream: UniformStream): number {
  const z = normal(stream);
  const w = (mean * z * z) / (2 * shape);
  const root = mean / (1 + w + Math.sqrt(w * (2 + w)));
  return stream.next() * (mean + root) <= mean ? root : (mean * mean) / root;
}

/**
 * The time of the maximum, as a fraction of the piece, of a Brownian bridge whose maximum lies `above0` above its
 * start and `above1` above its end, with variance `variance` over the piece. Its density on (0, 1) is proportional
 * to u^-3/2 (1-u)^-3/2 exp(-c1 / u - c2 / (1 - u)), c1 = above0^2 / 2v, c2 = above1^2 / 2v. With V = u / (1 - u)
 * that is a mixture of an inverse Gaussian IG(sqrt(c1/c2), 2 c1) (weight 1 / (1 + sqrt(c1/c2))) and the reciprocal
 * of an IG(sqrt(c2/c1), 2 c2) (BPR 2006, Proposition 2).
 */
export function timeOfMaximum(above0: number, above1: number, variance: number, stream: UniformStream): number {
  if (!(above0 > 0)) return 0;
  if (!(above1 > 0)) return 1;
  const c1 = (above0 * above0) / (2 * variance);
  const c2 = (above1 * above1) / (2 * variance);
  const ratio = Math.sqrt(c1 / c2);
  const v = stream.next() * (1 + ratio) <= 1 ? inverseGaussian(ratio, 2 * c1, stream) : 1 / inverseGaussian(1 / ratio, 2 * c2, stream);
  return v / (1 + v);
}

/**
 * One step of a Bessel-3 bridge towards 0: at distance `z` from 0 with `remaining` time (in variance units) to
 * reach it, its distance after `elapsed` of that time. A Bessel-3 bridge to 0 is the norm of a three-dimensional
 * Brownian bridge to the origin, whose law at an inner time is normal about the straight line. The two coordinates
 * across the line enter only through the sum of their squares, spread^2 x a chi-square with two degrees of freedom,
 * which is -2 spread^2 ln U: one uniform instead of two normals (a normal is an inverse CDF, a uniform an array read).
 */
export function besselBridgeStep(z: number, remaining: number, elapsed: number, stream: UniformStream): number {
  if (!(remaining > elapsed)) return 0;
  const spreadSquared = (elapsed * (remaining - elapsed)) / remaining;
  const along = z * (1 - elapsed / remaining) + Math.sqrt(spreadSquared) * normal(stream);
  return Math.sqrt(along * along - 2 * spreadSquared * Math.log(stream.next()));
}

/** The maximum of a Brownian bridge from y0 to y1 with variance v, given that it stays below `cap` (inverse of its law). */
export function bridgeMaximumBelow(y0: number, y1: number, variance: number, cap: number, u: number): number {
  const d = y1 - y0;
  // P(max >= c) = exp(-2 (c - y0)(c - y1) / v) = G(c); given max < cap, G(max) is uniform on (G(cap), 1].
  const atCap = variance > 0 ? Math.exp((-2 * (cap - y0) * (cap - y1)) / variance) : 0;
  const g = atCap + u * (1 - atCap);
  const top = 0.5 * (y0 + y1 + Math.sqrt(Math.max(0, d * d - 2 * variance * Math.log(Math.max(g, epsilon)))));
  return Math.min(top, cap);
}

/** The minimum of a Brownian bridge from y0 to y1 with variance v (inverse of its law), at least `floor`. */
export function bridgeMinimumAbove(y0: number, y1: number, variance: number, floor: number, u: number): number {
  return Math.max(floor, bridgeMinimum(y0, y1, variance, u));
}

/**
 * A piece of a Brownian path drawn finer, given its endpoints y0 and y1 (log prices), its maximum `high` and the
 * variance `variance` over the whole piece: its values at the fractions `at[0..count-1]` (increasing, inside (0, 1))
 * into `values`, and for each of the count + 1 segments between 0, those fractions and 1, its maximum and minimum
 * into `highs` and `lows`. The maximum is honoured exactly: it is reached, at its own drawn time, in one segment,
 * and every other segment stays below it. The piece's minimum `low` was drawn independently of its maximum (the
 * generator's approximation, docs/methodology.md "Exact extremes"); here it is a floor: no value or segment minimum
 * falls below it, and the segments' minima are drawn from their bridges' law given their endpoints only, not given
 * that the path stays below the maximum, which makes them somewhat shallower than the exact law (in a check during
 * review, one segment's P(low <= -0.3) came out 0.42 drawn this way against 0.49 by quadrature of the exact law). The
 * kernel orients each asset so that the exact side is the one its net perp position is
 * liquidated on (the high for a net short); the other side is a bound.
 */
export function refineBridgePiece(
  y0: number,
  y1: number,
  high: number,
  low: number,
  variance: number,
  at: Float64Array,
  count: number,
  stream: UniformStream,
  values: Float64Array,
  highs: Float64Array,
  lows: Float64Array,
): void {
  const peakAt = timeOfMaximum(high - y0, high - y1, variance, stream);
  // Before the maximum, forwards from the start; after it, backwards from the end (each a Bessel-3 bridge to 0).
  let z = high - y0;
  let from = 0;
  let firstAfter = count;
  for (let k = 0; k < count; k++) {
    const t = at[k] ?? 0;
    if (t >= peakAt) {
      firstAfter = k;
      break;
    }
    z = besselBridgeStep(z, (peakAt - from) * variance, (t - from) * variance, stream);
    values[k] = Math.min(high, Math.max(low, high - z));
    from = t;
  }
  z = high - y1;
  from = 1;
  for (let k = count - 1; k >= firstAfter; k--) {
    const t = at[k] ?? 1;
    z = besselBridgeStep(z, (from - peakAt) * variance, (from - t) * variance, stream);
    values[k] = Math.min(high, Math.max(low, high - z));
    from = t;
  }
  for (let k = 0; k <= count; k++) {
    const start = k === 0 ? 0 : (at[k - 1] ?? 0);
    const end = k === count ? 1 : (at[k] ?? 1);
    const v0 = k === 0 ? y0 : (values[k - 1] ?? y0);
    const v1 = k === count ? y1 : (values[k] ?? y1);
    if (k === firstAfter) {
      highs[k] = high;
      const lowBefore = bridgeMinimumAbove(v0, high, (peakAt - start) * variance, low, stream.next());
      const lowAfter = bridgeMinimumAbove(high, v1, (end - peakAt) * variance, low, stream.next());
      lows[k] = Math.min(lowBefore, lowAfter);
    } else {
      highs[k] = bridgeMaximumBelow(v0, v1, (end - start) * variance, high, stream.next());
      lows[k] = bridgeMinimumAbove(v0, v1, (end - start) * variance, low, stream.next());
    }
  }
}
