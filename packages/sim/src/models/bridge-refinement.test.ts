import { describe, expect, it } from "vitest";
import { normalCdf } from "../calibration/distribution-functions.js";
import { AleaStream } from "../rng/path-stream.js";
import { besselBridgeStep, bridgeMaximumBelow, bridgeMinimumAbove, inverseGaussian, refineBridgePiece, timeOfMaximum } from "./bridge-refinement.js";
import { bridgeMaximum } from "./market-path.js";
import { expectClose, expectFrequency, moments, standardErrorOfMean, standardErrorOfVariance } from "./sample-moments.test-support.js";

// The laws of bridge-refinement.ts against independent closed forms and quadratures. Every statistical check uses a
// fixed stream key and a tolerance of 4 standard errors of its estimate (two-sided normal tail 6e-5 per check),
// written out where it is used:
//  - a mean of n independent values: SE = s / sqrt(n) (s the sample standard deviation, or the law's own where the
//    law is heavy-tailed and the sample s is itself unreliable);
//  - a variance of n independent values: SE = sqrt((m4 - s^4) / n), m4 the fourth central moment;
//  - a covariance of n independent pairs: SE = sd((x - mean x)(y - mean y)) / sqrt(n);
//  - a frequency with probability p: SE = sqrt(p (1 - p) / n).
// The exactness claim tested: drawing the maximum M of a Brownian bridge from its law and then the path given M
// (refineBridgePiece) must give back the plain Brownian bridge, in its values and in its segments' maxima.

/** Sample covariance of (x, y) and its standard error, the sd of the centred products over sqrt(n). */
function covariance(x: Float64Array, y: Float64Array): { readonly value: number; readonly standardError: number } {
  const n = x.length;
  const mx = moments(x).mean;
  const my = moments(y).mean;
  const products = new Float64Array(n);
  for (let i = 0; i < n; i++) products[i] = ((x[i] ?? Number.NaN) - mx) * ((y[i] ?? Number.NaN) - my);
  const m = moments(products);
  return { value: (m.mean * n) / (n - 1), standardError: standardErrorOfMean(m) };
}

/** Composite Simpson's rule for f over [a, b] with `intervals` (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, intervals: number): number {
  if (!(b > a)) return 0;
  const h = (b - a) / intervals;
  let sum = f(a) + f(b);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (sum * h) / 3;
}

/**
 * E[g(Y)], Y ~ Normal(mean, sd^2), by Simpson over mean +- 10 sd (the mass outside is 1.5e-23), split at `kink`
 * where g is continuous but not smooth, so that each piece is smooth and Simpson converges at h^4.
 */
function normalExpectation(mean: number, sd: number, g: (y: number) => number, kink: number, intervals = 800): number {
  const lo = mean - 10 * sd;
  const hi = mean + 10 * sd;
  const split = Math.min(hi, Math.max(lo, kink));
  const density = (y: number): number => (Math.exp((-0.5 * (y - mean) * (y - mean)) / (sd * sd)) / (sd * Math.sqrt(2 * Math.PI))) * g(y);
  return simpson(density, lo, split, intervals) + simpson(density, split, hi, intervals);
}

/** P(max of a Brownian bridge from a to b with variance w over its span >= c): 1 if a or b reaches c. */
function bridgeExceeds(a: number, b: number, w: number, c: number): number {
  return a >= c || b >= c ? 1 : Math.exp((-2 * (c - a) * (c - b)) / w);
}

/**
 * P(max over [s, t] of X >= c), X a Brownian bridge from 0 at time 0 to d at time 1 with variance v over [0, 1].
 * Given X_s = a and X_t = b the path on [s, t] is a bridge with variance v (t - s), so the probability is
 * E[bridgeExceeds(X_s, X_t, v (t - s), c)] with X_s ~ Normal(d s, v s (1 - s)) and X_t | X_s = a ~ Normal(a + (d -
 * a)(t - s) / (1 - s), v (t - s)(1 - t) / (1 - s)); at s = 0 X_s = 0 and at t = 1 X_t = d are fixed.
 */
function segmentExceeds(d: number, v: number, s: number, t: number, c: number): number {
  const w = v * (t - s);
  const givenStart = (a: number): number => {
    if (t === 1) return bridgeExceeds(a, d, w, c);
    const mean = a + ((d - a) * (t - s)) / (1 - s);
    const sd = Math.sqrt((v * (t - s) * (1 - t)) / (1 - s));
    return normalExpectation(mean, sd, (b) => bridgeExceeds(a, b, w, c), c);
  };
  return s === 0 ? givenStart(0) : normalExpectation(d * s, Math.sqrt(v * s * (1 - s)), givenStart, c);
}

describe("test helpers: the quadratures", () => {
  it("integrates the normal density to 1 and reproduces the whole bridge's P(max >= c) as t -> 1 and s -> 0", () => {
    // Simpson's error with h = 0.0125 sd is ~1e-11 here.
    expectClose("normal mass", normalExpectation(0.3, 0.7, () => 1, 0.5), 1, 1e-9);
    const d = 0.4;
    const v = 0.25;
    const c = 0.6;
    // As t -> 1 the segment [0, t] is the whole bridge, whose P(max >= c) is exp(-2 c (c - d) / v); the missing
    // piece (1 - t, 1) moves it by O(sqrt(1 - t)) ~ 1e-4.
    expectClose("[0, 1 - 1e-8] vs the whole bridge", segmentExceeds(d, v, 0, 1 - 1e-8, c), Math.exp((-2 * c * (c - d)) / v), 1e-3);
    // The two-dimensional branch (s > 0) tends to the one-dimensional one (s = 0) as s -> 0.
    expectClose("[1e-8, 0.5] vs [0, 0.5]", segmentExceeds(d, v, 1e-8, 0.5, c), segmentExceeds(d, v, 0, 0.5, c), 1e-3);
  });
});

/**
 * e^logFactor Phi(-b): for b >= 5 as e^(logFactor - b^2 / 2) / sqrt(2 pi) times Mills' ratio Phi(-b) / phi(b), from
 * Laplace's continued fraction 1 / (b + 1 / (b + 2 / (b + 3 / (b + ...)))) (A&S 26.2.14; with 300 terms within 1.2e-16
 * relative of mpmath for b >= 5), so that a huge e^logFactor times a Phi(-b) that underflows stays exact.
 */
function scaledNormalTail(logFactor: number, b: number): number {
  if (b < 5) return Math.exp(logFactor) * normalCdf(-b);
  let t = b;
  for (let k = 300; k >= 1; k--) t = b + k / t;
  return Math.exp(logFactor - 0.5 * b * b) / (Math.sqrt(2 * Math.PI) * t);
}

/** IG(mu, lambda) CDF (Chhikara and Folks 1989): Phi(sqrt(lambda / x)(x / mu - 1)) + e^(2 lambda / mu) Phi(-sqrt(lambda / x)(x / mu + 1)). */
function inverseGaussianCdf(x: number, mean: number, shape: number): number {
  const root = Math.sqrt(shape / x);
  return normalCdf(root * (x / mean - 1)) + scaledNormalTail((2 * shape) / mean, root * (x / mean + 1));
}

describe("inverseGaussian: Michael-Schucany-Haas", () => {
  it("(test helper) the IG CDF matches mpmath at 50 digits to 1e-12", () => {
    // mpmath: ncdf(r (x/mu - 1)) + e^(2 lambda/mu) ncdf(-r (x/mu + 1)), r = sqrt(lambda / x), mp.dps = 50, rounded to the nearest double. At
    // IG(0.02, 3) the second term is e^300 times Phi(-24.5) ~ 1.5e-2: a plain normal CDF underflows it to 0.
    const pinned: readonly (readonly [number, number, number, number])[] = [
      [0.0185, 0.02, 3, 0.18006770642616704],
      [0.02, 0.02, 3, 0.516259740417666],
      [0.0215, 0.02, 3, 0.8231489310081253],
      [0.05, 50, 0.5, 0.0015811280110378217],
      [0.2, 50, 0.5, 0.11498892031124362],
      [1, 50, 0.5, 0.48429901433782985],
      [10, 50, 0.5, 0.831201035911927],
      [100, 50, 0.5, 0.9525918013272399],
      [1000, 50, 0.5, 0.9903085394830244],
    ];
    for (const [x, mean, shape, p] of pinned) expectClose(`IG(${mean}, ${shape}) CDF at ${x}`, inverseGaussianCdf(x, mean, shape), p, 1e-12);
  });

  // IG(mu, lambda) has cumulants kappa_n = (2n - 3)!! mu^(2n-1) / lambda^(n-1): mean mu, variance mu^3 / lambda,
  // kappa_4 = 15 mu^7 / lambda^3, and fourth central moment m4 = kappa_4 + 3 variance^2. With lambda / mu = 0.01
  // the law is very heavy-tailed (skewness 3 sqrt(mu / lambda) = 30, excess kurtosis 1500): the sample fourth moment
  // then underestimates m4 most of the time, so the standard errors below are the law's own, not the sample's.
  const cases = [
    { mean: 50, shape: 0.5, n: 200_000, key: "bridge-refinement:ig:extreme", cdfAt: [0.05, 0.2, 1, 10, 100, 1000] },
    { mean: 0.02, shape: 3, n: 100_000, key: "bridge-refinement:ig:near-normal", cdfAt: [0.0185, 0.02, 0.0215] },
  ];
  for (const { mean, shape, n, key, cdfAt } of cases) {
    it(`IG(${mean}, ${shape}): mean, variance and CDF over ${n} draws`, () => {
      const stream = new AleaStream().reseed(key);
      const draws = new Float64Array(n);
      for (let i = 0; i < n; i++) draws[i] = inverseGaussian(mean, shape, stream);
      const m = moments(draws);
      const variance = (mean * mean * mean) / shape;
      const fourth = (15 * mean ** 7) / shape ** 3 + 3 * variance * variance;
      // SE of the mean sqrt(mu^3 / lambda / n): 500 / sqrt(2e5) = 1.1 (2.2 % of 50); 1.6e-3 / sqrt(1e5) = 5.2e-6 (0.03 % of 0.02).
      expectClose("mean", m.mean, mean, 4 * Math.sqrt(variance / n));
      // SE of the sample variance sqrt((m4 - variance^2) / n): 2.2e4 (8.7 % of 2.5e5) for the extreme case, where the
      // estimator is right-skewed (skewness of (X - mu)^2 ~ 160, of its mean over 2e5 draws ~ 0.36), and 0.45 %
      // of 2.7e-6 for the near-normal one.
      expectClose("variance", m.variance, variance, 4 * Math.sqrt((fourth - variance * variance) / n));
      // The CDF at points spread over the law (extreme case: its mode 0.17, median ~1, tail to 1000): SE <= 1.6e-3.
      for (const x of cdfAt) {
        let below = 0;
        for (let i = 0; i < n; i++) if ((draws[i] ?? Number.NaN) <= x) below++;
        expectFrequency(`P(X <= ${x})`, below, n, inverseGaussianCdf(x, mean, shape));
      }
    });
  }
});

/**
 * The density of the time of the maximum, f(u) ∝ u^-3/2 (1-u)^-3/2 exp(-c1 / u - c2 / (1 - u)), integrated in x
 * = ln(u / (1 - u)) (du = u (1 - u) dx), where it is smooth and neither end is a spike however small c1 or c2:
 * f(u) u (1 - u) = exp(-c1 - c2 - c1 e^-x - c2 e^x) sqrt((1 + e^-x)(1 + e^x)). Outside [ln c1 - 7, 7 - ln c2] the
 * factor exp(-c1 e^-x) or exp(-c2 e^x) is below e^-1000. Returns the integrals of f, u f and of f over u <= 1/2.
 */
function timeOfMaximumIntegrals(c1: number, c2: number): { readonly mass: number; readonly first: number; readonly belowHalf: number } {
  const g = (x: number): number => Math.exp(-c1 - c2 - c1 * Math.exp(-x) - c2 * Math.exp(x)) * Math.sqrt((1 + Math.exp(-x)) * (1 + Math.exp(x)));
  const u = (x: number): number => 1 / (1 + Math.exp(-x));
  const lo = Math.log(c1) - 7;
  const hi = 7 - Math.log(c2);
  const intervals = 20_000;
  const below = simpson(g, lo, Math.min(0, hi), intervals);
  const above = simpson(g, Math.max(0, lo), hi, intervals);
  const first = simpson((x) => u(x) * g(x), lo, hi, 2 * intervals);
  return { mass: below + above, first, belowHalf: below };
}

describe("timeOfMaximum: BPR 2006 Proposition 2", () => {
  const cases = [
    { above0: 0.3, above1: 1.2, variance: 1 },
    { above0: 2, above1: 0.4, variance: 0.5 },
    // Both distances small against the spread: the inverse Gaussians' shape 2 sqrt(c1 c2) = 3e-4 (the extreme branch).
    { above0: 0.01, above1: 0.03, variance: 1 },
    // Both large: the time is sharply placed near above0 / (above0 + above1) = 0.6.
    { above0: 3, above1: 2, variance: 0.1 },
  ];

  it("the quadrature integrates the density to its closed-form mass", () => {
    // The density is the product of the first-passage densities of the two distances (the path up to the maximum,
    // and the reversed path after it), a / sqrt(2 pi v t^3) e^(-a^2 / 2vt), whose convolution is the first-passage
    // density of above0 + above1 at 1: mass = sqrt(2 pi v) (a0 + a1) / (a0 a1) exp(-(a0 + a1)^2 / 2v).
    for (const { above0, above1, variance } of cases) {
      const { mass } = timeOfMaximumIntegrals((above0 * above0) / (2 * variance), (above1 * above1) / (2 * variance));
      const exact = (Math.sqrt(2 * Math.PI * variance) * (above0 + above1) * Math.exp(-((above0 + above1) ** 2) / (2 * variance))) / (above0 * above1);
      expectClose(`mass (${above0}, ${above1}, ${variance})`, mass / exact, 1, 1e-9);
    }
  });

  for (const { above0, above1, variance } of cases) {
    it(`has the density's mean and P(u <= 1/2) for above0 ${above0}, above1 ${above1}, variance ${variance}`, () => {
      const n = 100_000;
      const stream = new AleaStream().reseed(`bridge-refinement:time:${above0}:${above1}:${variance}`);
      const times = new Float64Array(n);
      let belowHalf = 0;
      for (let i = 0; i < n; i++) {
        const u = timeOfMaximum(above0, above1, variance, stream);
        times[i] = u;
        if (u <= 0.5) belowHalf++;
      }
      const integrals = timeOfMaximumIntegrals((above0 * above0) / (2 * variance), (above1 * above1) / (2 * variance));
      const m = moments(times);
      let outside = 0;
      for (const u of times) if (!(u >= 0 && u <= 1)) outside++;
      expect(outside, "times outside [0, 1]").toBe(0);
      // Times lie in [0, 1], so the sample sd is a reliable estimate of the law's: SE = s / sqrt(1e5) <= 1.6e-3.
      expectClose("mean time of the maximum", m.mean, integrals.first / integrals.mass, 4 * standardErrorOfMean(m));
      expectFrequency("P(time <= 1/2)", belowHalf, n, integrals.belowHalf / integrals.mass);
    });
  }
});

interface RefinedDraws {
  /** values[k] holds the draws at at[k]. */
  readonly values: Float64Array[];
  /** highs[k] holds the draws of segment k's maximum. */
  readonly highs: Float64Array[];
  readonly lows: Float64Array[];
}

/** n pieces from 0 to d with variance v: M from its law, the floor at -Infinity, refined at `at`. */
function refineMany(d: number, v: number, at: readonly number[], n: number, key: string): RefinedDraws {
  const count = at.length;
  const stream = new AleaStream().reseed(key);
  const fractions = Float64Array.from(at);
  const values = new Float64Array(count);
  const highs = new Float64Array(count + 1);
  const lows = new Float64Array(count + 1);
  const out: RefinedDraws = {
    values: at.map(() => new Float64Array(n)),
    highs: [...highs].map(() => new Float64Array(n)),
    lows: [...lows].map(() => new Float64Array(n)),
  };
  for (let i = 0; i < n; i++) {
    const high = bridgeMaximum(0, d, v, stream.next());
    refineBridgePiece(0, d, high, Number.NEGATIVE_INFINITY, v, fractions, count, stream, values, highs, lows);
    for (let k = 0; k < count; k++) (out.values[k] ?? new Float64Array(n))[i] = values[k] ?? Number.NaN;
    for (let k = 0; k <= count; k++) {
      (out.highs[k] ?? new Float64Array(n))[i] = highs[k] ?? Number.NaN;
      (out.lows[k] ?? new Float64Array(n))[i] = lows[k] ?? Number.NaN;
    }
  }
  return out;
}

describe("refineBridgePiece: integrating out the maximum gives back the Brownian bridge", () => {
  // If M is drawn from its law and the path given M, the path has the bridge's law: X_t ~ Normal(x0 + (x1 - x0) t,
  // v t (1 - t)) and Cov(X_s, X_t) = v s (1 - t) for s <= t. Pieces are independent (one stream, fresh draws).
  const cases = [
    { d: 0.4, v: 0.25, at: [0.25, 0.5, 0.75], key: "bridge-refinement:exact:even" },
    { d: -1.5, v: 1, at: [0.05, 0.3, 0.9], key: "bridge-refinement:exact:uneven" },
  ];
  const n = 40_000;
  for (const { d, v, at, key } of cases) {
    it(`has the bridge's means, variances and covariances at ${at.join(", ")} (d ${d}, v ${v}, ${n} pieces)`, () => {
      const draws = refineMany(d, v, at, n, key);
      at.forEach((t, k) => {
        const m = moments(draws.values[k] ?? new Float64Array(0));
        // SE of the mean s / sqrt(4e4) = 0.005 s; of the variance sqrt((m4 - s^4) / n) ~ s^2 sqrt(2 / 4e4) = 0.7 % of it.
        expectClose(`mean at ${t}`, m.mean, d * t, 4 * standardErrorOfMean(m));
        expectClose(`variance at ${t}`, m.variance, v * t * (1 - t), 4 * standardErrorOfVariance(m));
      });
      for (let j = 0; j < at.length; j++) {
        for (let k = j + 1; k < at.length; k++) {
          const s = at[j] ?? 0;
          const t = at[k] ?? 0;
          const c = covariance(draws.values[j] ?? new Float64Array(0), draws.values[k] ?? new Float64Array(0));
          // SE = sd of the centred products / sqrt(n) (for a normal pair sqrt(var_s var_t + cov^2) / sqrt(n)).
          expectClose(`covariance of ${s} and ${t}`, c.value, v * s * (1 - t), 4 * c.standardError);
        }
      }
    });
  }
});

describe("refineBridgePiece: the segments' maxima", () => {
  const d = 0;
  const v = 0.36;
  const at = [0.25, 0.5, 0.75];

  it("honour M exactly: the segment holding the time of the maximum reaches it, none passes it, each reaches its endpoints", () => {
    const fractions = Float64Array.from(at);
    const values = new Float64Array(3);
    const highs = new Float64Array(4);
    const lows = new Float64Array(4);
    const maxima = new AleaStream().reseed("bridge-refinement:segments:maxima");
    const stream = new AleaStream();
    const twin = new AleaStream();
    const failures: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const high = bridgeMaximum(0, d, v, maxima.next());
      // refineBridgePiece draws the time of the maximum first, so a twin stream on the same key reproduces it.
      stream.reseed(`bridge-refinement:segments:${i}`);
      twin.reseed(`bridge-refinement:segments:${i}`);
      const peakAt = timeOfMaximum(high, high - d, v, twin);
      refineBridgePiece(0, d, high, Number.NEGATIVE_INFINITY, v, fractions, 3, stream, values, highs, lows);
      const first = at.findIndex((t) => t >= peakAt);
      const peakSegment = first === -1 ? at.length : first;
      // One expect at the end (70,000 expect calls would take half a second): each piece's first broken property.
      let broken = "";
      if (highs[peakSegment] !== high) broken = `the segment ${peakSegment} of the time of the maximum ${peakAt} has high ${highs[peakSegment]}`;
      if (Math.max(...highs) !== high) broken ||= `the segment highs' maximum ${Math.max(...highs)} is not M`;
      for (let k = 0; k <= 3; k++) {
        const v0 = k === 0 ? 0 : (values[k - 1] ?? Number.NaN);
        const v1 = k === 3 ? d : (values[k] ?? Number.NaN);
        const h = highs[k] ?? Number.NaN;
        const l = lows[k] ?? Number.NaN;
        if (!(h <= high)) broken ||= `segment ${k} high ${h} above M`;
        if (!(h >= Math.max(v0, v1))) broken ||= `segment ${k} high ${h} below an endpoint (${v0}, ${v1})`;
        if (!(l <= Math.min(v0, v1))) broken ||= `segment ${k} low ${l} above an endpoint (${v0}, ${v1})`;
      }
      if (broken !== "") failures.push(`piece ${i} (M = ${high}): ${broken}`);
    }
    expect(failures.slice(0, 5), `${failures.length} of 5000 pieces broken`).toEqual([]);
  });

  // In law, each segment's maximum is the plain bridge's maximum over that segment (segmentExceeds, a quadrature
  // over the bridge's values at the segment's ends). Two drifts, levels c = 0.5 and 1 sqrt(v) above the start and
  // above the end (so no probability is trivially 1); the inner segments take the two-dimensional quadrature.
  const n = 40_000;
  const lawCases = [
    { d: 0, v: 0.36, key: "bridge-refinement:segments:law:flat" },
    { d: 0.2, v: 0.36, key: "bridge-refinement:segments:law:up" },
  ];
  for (const { d: drift, v: spread, key } of lawCases) {
    it(`have the bridge's P(segment max >= c) per segment (d ${drift}, v ${spread}, ${n} pieces)`, () => {
      const draws = refineMany(drift, spread, at, n, key);
      const bounds = [0, ...at, 1];
      for (const level of [0.5, 1]) {
        const c = level * Math.sqrt(spread);
        for (let k = 0; k <= at.length; k++) {
          const s = bounds[k] ?? 0;
          const t = bounds[k + 1] ?? 1;
          // (Capped at 1: the quadrature of a probability 1 can come out 1 + 1e-11.)
          const p = Math.min(1, segmentExceeds(drift, spread, s, t, c));
          const highs = draws.highs[k] ?? new Float64Array(0);
          let hits = 0;
          for (let i = 0; i < n; i++) if ((highs[i] ?? Number.NaN) >= c) hits++;
          // Binomial SE sqrt(p (1 - p) / 4e4) <= 2.5e-3.
          expectFrequency(`P(max over [${s}, ${t}] >= ${c})`, hits, n, p);
        }
      }
    });
  }
});

describe("the pieces' building blocks", () => {
  it("bridgeMaximumBelow and bridgeMinimumAbove invert their laws", () => {
    // Max: P(M >= m) = G(m) = exp(-2 (m - y0)(m - y1) / v), and given M < cap, G(M) is uniform on (G(cap), 1].
    // Min: P(m' <= m) = exp(-2 (y0 - m)(y1 - m) / v) is uniform. Deterministic in u: checked to 1e-12.
    const y0 = 0.1;
    const y1 = -0.3;
    const v = 0.2;
    const cap = 0.5;
    const g = (m: number): number => Math.exp((-2 * (m - y0) * (m - y1)) / v);
    for (const u of [1e-9, 0.01, 0.3, 0.7, 0.999]) {
      const top = bridgeMaximumBelow(y0, y1, v, cap, u);
      expect(top).toBeLessThanOrEqual(cap);
      expect(top).toBeGreaterThanOrEqual(Math.max(y0, y1));
      expectClose(`G(max) at u ${u}`, g(top), g(cap) + u * (1 - g(cap)), 1e-12);
      const bottom = bridgeMinimumAbove(y0, y1, v, Number.NEGATIVE_INFINITY, u);
      expectClose(`P(min <= m) at u ${u}`, Math.exp((-2 * (y0 - bottom) * (y1 - bottom)) / v), u, 1e-12);
      expect(bridgeMinimumAbove(y0, y1, v, bottom + 0.01, u), "floored").toBe(bottom + 0.01);
    }
  });

  it("besselBridgeStep has the three-dimensional bridge's E[Z^2] and returns 0 at the end", () => {
    // Z = |(z (1 - e / R), 0, 0) + s N3|, s^2 = e (R - e) / R: E[Z^2] = z^2 (1 - e / R)^2 + 3 s^2. Over 1e5 draws SE
    // of the mean of Z^2 = sd(Z^2) / sqrt(1e5) ~ 0.3 % of it.
    const stream = new AleaStream().reseed("bridge-refinement:bessel");
    const z = 0.4;
    const remaining = 0.5;
    const elapsed = 0.2;
    const n = 100_000;
    const squares = new Float64Array(n);
    for (let i = 0; i < n; i++) squares[i] = besselBridgeStep(z, remaining, elapsed, stream) ** 2;
    const m = moments(squares);
    const spread = (elapsed * (remaining - elapsed)) / remaining;
    expectClose("E[Z^2]", m.mean, z * z * (1 - elapsed / remaining) ** 2 + 3 * spread, 4 * standardErrorOfMean(m));
    expect(besselBridgeStep(z, remaining, remaining, stream), "at the end").toBe(0);
    expect(besselBridgeStep(z, 0, 0, stream), "no time left").toBe(0);
  });
});

describe("edge cases", () => {
  it("timeOfMaximum: a maximum at the start is at time 0, at the end at time 1", () => {
    const stream = new AleaStream().reseed("bridge-refinement:edge:time");
    expect(timeOfMaximum(0, 0.5, 1, stream)).toBe(0);
    expect(timeOfMaximum(0.5, 0, 1, stream)).toBe(1);
    expect(timeOfMaximum(0, 0, 1, stream)).toBe(0);
  });

  // Pieces from 0 to d with M and the floor drawn independently from their laws (the generator's approximation).
  const d = -0.2;
  const v = 0.3;

  it("count 0: the single segment's high is M and its low lies between the floor and the endpoints", () => {
    const stream = new AleaStream().reseed("bridge-refinement:edge:count0");
    const none = new Float64Array(0);
    const highs = new Float64Array(1);
    const lows = new Float64Array(1);
    const failures: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const high = bridgeMaximum(0, d, v, stream.next());
      const low = bridgeMinimumAbove(0, d, v, Number.NEGATIVE_INFINITY, stream.next());
      refineBridgePiece(0, d, high, low, v, none, 0, stream, none, highs, lows);
      const l = lows[0] ?? Number.NaN;
      if (highs[0] !== high || !(l >= low) || !(l <= Math.min(0, d))) failures.push(`piece ${i}: high ${highs[0]} (M ${high}), low ${l} (floor ${low})`);
    }
    expect(failures.slice(0, 5), `${failures.length} of 2000 pieces broken`).toEqual([]);
  });

  it("a finite floor: no value or segment low below it, no value or segment high above M", () => {
    const stream = new AleaStream().reseed("bridge-refinement:edge:floor");
    const at = Float64Array.from([0.1, 0.2, 0.5, 0.8, 0.95]);
    const values = new Float64Array(5);
    const highs = new Float64Array(6);
    const lows = new Float64Array(6);
    const failures: string[] = [];
    let floored = 0;
    for (let i = 0; i < 5000; i++) {
      const high = bridgeMaximum(0, d, v, stream.next());
      const low = bridgeMinimumAbove(0, d, v, Number.NEGATIVE_INFINITY, stream.next());
      refineBridgePiece(0, d, high, low, v, at, 5, stream, values, highs, lows);
      for (let k = 0; k < 5; k++) {
        const x = values[k] ?? Number.NaN;
        if (!(x >= low && x <= high)) failures.push(`piece ${i}: value ${k} ${x} outside [${low}, ${high}]`);
        if (x === low) floored++;
      }
      for (let k = 0; k <= 5; k++) {
        const l = lows[k] ?? Number.NaN;
        const h = highs[k] ?? Number.NaN;
        if (!(l >= low && l <= h && h <= high)) failures.push(`piece ${i}: segment ${k} low ${l} high ${h} outside [${low}, ${high}]`);
      }
    }
    expect(failures.slice(0, 5), `${failures.length} broken`).toEqual([]);
    // The floor binds now and then (the minimum was drawn without the maximum), so the clamp is exercised.
    expect(floored, "values held at the floor").toBeGreaterThan(0);
  });
});
