import type { MarketSpec } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { pathStream } from "../rng/path-stream.js";
import { compileMarket, secondsPerYear } from "./market-model.js";
import { binomialStandardError, expectFrequency } from "./sample-moments.test-support.js";
import { allocateMarketPath, allocatePathScratch, bridgeMaximum, bridgeMinimum, generateMarketPath } from "./market-path.js";

// The exactness claim of market-path.ts: a step's extremes are drawn from the exact law of the Brownian bridge
// between the step's endpoints, so the first-passage probability of a continuously monitored barrier does not
// depend on the step. Tested against the closed form for GBM at a coarse (8 h) and a fine (15 min) step.

// Standard normal CDF Phi(x) = erfc(-x / sqrt 2) / 2, written here (sim may not import report) from two classical
// expansions of the error function, chosen so that neither subtracts nearly equal numbers:
//  - z < 2: the all-positive series erf(z) = (2 / sqrt(pi)) e^{-z^2} sum_{n>=0} 2^n z^{2n+1} / (1 * 3 * ... * (2n+1))
//    (Abramowitz & Stegun 7.1.6), summed to a relative 1e-17, so erf has a relative error of a few ulps and
//    erfc = 1 - erf an absolute error below ~1e-15 (relative below 1e-15 / erfc(2) = 2e-13);
//  - z >= 2: the continued fraction erfc(z) = (e^{-z^2} / sqrt(pi)) / (z + (1/2) / (z + 1 / (z + (3/2) / (z + ...))))
//    (A&S 7.1.14), evaluated by the modified Lentz method to a relative 1e-16.
// Checked below against mpmath's ncdf at 30 digits on both branches and at the switch z = 2 (x = -2 sqrt 2).
function erfSeries(z: number): number {
  let term = z;
  let sum = z;
  for (let n = 1; n < 1000 && term > 1e-17 * sum; n++) {
    term *= (2 * z * z) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-z * z) * sum;
}

function erfcContinuedFraction(z: number): number {
  const tiny = 1e-300;
  let f = z;
  let c = f;
  let d = 0;
  for (let k = 1; k < 10_000; k++) {
    const a = k / 2;
    d = z + a * d;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = z + a / c;
    if (Math.abs(c) < tiny) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
}

function erfcNonNegative(z: number): number {
  return z < 2 ? 1 - erfSeries(z) : erfcContinuedFraction(z);
}

function normalCdf(x: number): number {
  const z = -x / Math.SQRT2;
  return z >= 0 ? 0.5 * erfcNonNegative(z) : 1 - 0.5 * erfcNonNegative(-z);
}

/**
 * P(max_{[0,T]} X >= b) for X_t = nu t + sigma W_t, b > 0: the reflection principle with drift (Girsanov),
 * N((-b + nu T) / (sigma sqrt T)) + exp(2 nu b / sigma^2) N((-b - nu T) / (sigma sqrt T)).
 */
function firstPassageUp(b: number, nu: number, sigma: number, horizon: number): number {
  const scale = sigma * Math.sqrt(horizon);
  return normalCdf((-b + nu * horizon) / scale) + Math.exp((2 * nu * b) / (sigma * sigma)) * normalCdf((-b - nu * horizon) / scale);
}

/** P(min X <= -b), b > 0: the up formula for -X, whose drift is -nu. */
function firstPassageDown(b: number, nu: number, sigma: number, horizon: number): number {
  return firstPassageUp(b, -nu, sigma, horizon);
}

const hour = 3600;
const day = 86_400;

// The market of both runs: GBM with a drift, so the drift term of the closed form is exercised, no jumps, no basis.
const initialPrice = 100;
const drift = 0.3;
const volatility = 0.6;
const horizonSeconds = 30 * day;
const upperBarrier = 1.1 * initialPrice;
const lowerBarrier = 0.9 * initialPrice;

function gbmMarket(stepSeconds: number): MarketSpec {
  return {
    horizon: horizonSeconds,
    step: stepSeconds,
    assets: { BTC: { price: initialPrice, model: { kind: "gbm", drift, volatility } } },
    stress: [],
  };
}

interface BarrierCounts {
  readonly paths: number;
  /** Paths whose bridge high (indexHigh) reaches the upper barrier at some step. */
  readonly upBridge: number;
  /** Paths whose step-end index reaches the upper barrier at some step (discrete monitoring). */
  readonly upEndpoints: number;
  readonly downBridge: number;
  readonly downEndpoints: number;
}

function countBarrierHits(stepSeconds: number, paths: number, seed: string): BarrierCounts {
  const market = compileMarket(gbmMarket(stepSeconds));
  const path = allocateMarketPath(market);
  const scratch = allocatePathScratch(market);
  let upBridge = 0;
  let upEndpoints = 0;
  let downBridge = 0;
  let downEndpoints = 0;
  for (let i = 0; i < paths; i++) {
    generateMarketPath(market, pathStream(seed, i), path, scratch);
    let hitUpBridge = false;
    let hitUpEndpoints = false;
    let hitDownBridge = false;
    let hitDownEndpoints = false;
    // One asset, so the row-major index of step s is s; indexHigh/indexLow of step s live at s - 1.
    for (let s = 1; s <= market.steps; s++) {
      const end = path.index[s] ?? Number.NaN;
      if ((path.indexHigh[s - 1] ?? Number.NaN) >= upperBarrier) hitUpBridge = true;
      if ((path.indexLow[s - 1] ?? Number.NaN) <= lowerBarrier) hitDownBridge = true;
      if (end >= upperBarrier) hitUpEndpoints = true;
      if (end <= lowerBarrier) hitDownEndpoints = true;
    }
    if (hitUpBridge) upBridge++;
    if (hitUpEndpoints) upEndpoints++;
    if (hitDownBridge) downBridge++;
    if (hitDownEndpoints) downEndpoints++;
  }
  return { paths, upBridge, upEndpoints, downBridge, downEndpoints };
}

// Closed-form probabilities for X = ln(S / S0): drift nu = mu - sigma^2 / 2 (Ito), barrier distances in log terms.
const horizonYears = horizonSeconds / secondsPerYear;
const nu = drift - 0.5 * volatility * volatility;
const pUp = firstPassageUp(Math.log(upperBarrier / initialPrice), nu, volatility, horizonYears);
const pDown = firstPassageDown(Math.log(initialPrice / lowerBarrier), nu, volatility, horizonYears);

// Paths are independent (one seeded stream each), so a hit count is Binomial(paths, p): expectFrequency allows 4
// standard errors.

describe("normalCdf (test helper): erf series below z = 2, erfc continued fraction above", () => {
  it("matches mpmath's ncdf (30 digits) to 1e-15 absolute and 1e-12 relative", () => {
    // mpmath.ncdf at mp.dps = 30, rounded to the nearest double (written in the shortest form that round-trips).
    const reference: readonly (readonly [number, number])[] = [
      [1, 0.8413447460685429],
      [0.5, 0.6914624612740131],
      [-0.3, 0.3820885778110474],
      [-1.96, 0.024997895148220435],
      [2.5, 0.9937903346742238],
      [-2.8, 0.0025551303304279342],
      [-2 * Math.SQRT2, 0.002338867490523633],
      [-2.9, 0.0018658133003840384],
      [-3, 0.0013498980316300946],
      [-5, 2.866515718791939e-7],
      [-8, 6.220960574271784e-16],
    ];
    for (const [x, expected] of reference) {
      const computed = normalCdf(x);
      expect(Math.abs(computed - expected), `Phi(${x}): computed ${computed} expected ${expected}`).toBeLessThan(1e-15);
      expect(Math.abs(computed - expected) / expected, `Phi(${x}) relative: computed ${computed} expected ${expected}`).toBeLessThan(1e-12);
    }
  });

  it("gives the driftless reflection principle P(max >= b) = 2 N(-b / (sigma sqrt T)) at nu = 0", () => {
    const b = 0.1;
    const computed = firstPassageUp(b, 0, 0.6, 0.25);
    const expected = 2 * normalCdf(-b / (0.6 * Math.sqrt(0.25)));
    expect(Math.abs(computed - expected), `computed ${computed} expected ${expected}`).toBeLessThan(1e-15);
  });
});

describe("bridgeMaximum / bridgeMinimum invert P(M >= m) = exp(-2 (m - x0)(m - x1) / v)", () => {
  const cases: readonly (readonly [number, number, number])[] = [
    [0, 0, 1],
    [Math.log(60_000), Math.log(61_000), 0.6 * 0.6 * (1 / 8760)],
    [Math.log(60_000), Math.log(59_000), 0.6 * 0.6 * (8 / 8760)],
    [-0.3, 0.2, 0.05],
    [1.5, 1.5, 1e-6],
  ];

  it("returns m at u = exp(-2 (m - x0)(m - x1) / v) for m >= max(x0, x1), to 1e-12", () => {
    for (const [x0, x1, v] of cases) {
      const top = Math.max(x0, x1);
      const sd = Math.sqrt(v);
      // From m = max(x0, x1) (u = 1) to about 4 bridge standard deviations above it (u ~ e^-32).
      for (const k of [0, 0.01, 0.1, 0.5, 1, 2, 4]) {
        const m = top + k * sd;
        const u = Math.exp((-2 * (m - x0) * (m - x1)) / v);
        const computed = bridgeMaximum(x0, x1, v, u);
        expect(Math.abs(computed - m), `bridgeMaximum(${x0}, ${x1}, ${v}, ${u}): computed ${computed} expected ${m}`).toBeLessThan(1e-12);
      }
    }
  });

  it("returns m at u = exp(-2 (x0 - m)(x1 - m) / v) for m <= min(x0, x1), to 1e-12", () => {
    for (const [x0, x1, v] of cases) {
      const bottom = Math.min(x0, x1);
      const sd = Math.sqrt(v);
      for (const k of [0, 0.01, 0.1, 0.5, 1, 2, 4]) {
        const m = bottom - k * sd;
        const u = Math.exp((-2 * (x0 - m) * (x1 - m)) / v);
        const computed = bridgeMinimum(x0, x1, v, u);
        expect(Math.abs(computed - m), `bridgeMinimum(${x0}, ${x1}, ${v}, ${u}): computed ${computed} expected ${m}`).toBeLessThan(1e-12);
      }
    }
  });

  it("has P(M >= m) = exp(-2 (m - x0)(m - x1) / v) over a grid of uniforms, to the grid's resolution", () => {
    // bridgeMaximum decreases in u, so {u : M(u) >= m} = (0, u*] with u* the bridge probability; the share of the
    // K midpoints (i + 1/2) / K inside it differs from u* by at most 1 / K. Deterministic, no sampling error.
    const grid = 100_000;
    for (const [x0, x1, v] of cases) {
      const sd = Math.sqrt(v);
      for (const k of [0.2, 0.7, 1.5]) {
        const mUp = Math.max(x0, x1) + k * sd;
        const mDown = Math.min(x0, x1) - k * sd;
        let above = 0;
        let below = 0;
        for (let i = 0; i < grid; i++) {
          const u = (i + 0.5) / grid;
          if (bridgeMaximum(x0, x1, v, u) >= mUp) above++;
          if (bridgeMinimum(x0, x1, v, u) <= mDown) below++;
        }
        const expectedUp = Math.exp((-2 * (mUp - x0) * (mUp - x1)) / v);
        const expectedDown = Math.exp((-2 * (x0 - mDown) * (x1 - mDown)) / v);
        expect(Math.abs(above / grid - expectedUp), `P(M >= m): computed ${above / grid} expected ${expectedUp}`).toBeLessThanOrEqual(1 / grid);
        expect(Math.abs(below / grid - expectedDown), `P(min <= m): computed ${below / grid} expected ${expectedDown}`).toBeLessThanOrEqual(1 / grid);
      }
    }
  });
});

describe("generateMarketPath: first passage of GBM through a barrier equals the closed form at any step", () => {
  // sigma = 0.6, mu = 0.3, T = 30 d, barriers 1.1 S0 and 0.9 S0. pUp ~ 0.60 and pDown ~ 0.52 (computed above).

  // 8 h step, 90 steps, 20,000 paths: the binomial standard error is sqrt(p (1 - p) / 20000) ~ 3.5e-3.
  // Run once, on first use, and shared by the two 8 h tests.
  let coarseRun: BarrierCounts | undefined;
  const coarse = (): BarrierCounts => (coarseRun ??= countBarrierHits(8 * hour, 20_000, "barrier-coarse"));

  it("8 h step, bridge extremes: P(max S >= 1.1 S0) and P(min S <= 0.9 S0) within 4 binomial SE", () => {
    const { upBridge, downBridge, paths } = coarse();
    expectFrequency("up, 8 h, indexHigh", upBridge, paths, pUp);
    expectFrequency("down, 8 h, indexLow", downBridge, paths, pDown);
  });

  it("8 h step, endpoints only: discrete monitoring misses crossings, underestimating by more than 4 SE", () => {
    // The bias of watching only the grid (Broadie, Glasserman & Kou 1997: about a barrier shift of 0.5826 sigma
    // sqrt(dt)) is what the bridge removes. Measured against the exact p with the endpoint frequency's own SE.
    const { upEndpoints, downEndpoints, paths } = coarse();
    for (const [label, hits, p] of [["up", upEndpoints, pUp], ["down", downEndpoints, pDown]] as const) {
      const pHat = hits / paths;
      const standardError = binomialStandardError(pHat, paths);
      expect(p - pHat, `${label}, 8 h, index endpoints: computed ${pHat} expected less than ${p - 4 * standardError} (p ${p}, 4 SE ${4 * standardError})`).toBeGreaterThan(4 * standardError);
    }
  });

  it("15 min step, bridge extremes: the same probabilities within 4 binomial SE", () => {
    // 2,880 steps a path, so fewer paths to stay within the time budget: 1,200 paths give a standard error of
    // sqrt(p (1 - p) / 1200) ~ 1.4e-2. This checks that refining the step changes nothing, as exactness implies.
    const fine = countBarrierHits(15 * 60, 1_200, "barrier-fine");
    expectFrequency("up, 15 min, indexHigh", fine.upBridge, fine.paths, pUp);
    expectFrequency("down, 15 min, indexLow", fine.downBridge, fine.paths, pDown);
  });
});
