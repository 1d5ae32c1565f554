import type { MarketSpec, StressOverlay } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { pathStream } from "../rng/path-stream.js";
import { compileMarket, fundingAtCap, fundingAtFloor, secondsPerYear, type BootstrapReturns, type CompiledMarket } from "./market-model.js";
import { allocateMarketPath, allocatePathScratch, generateMarketPath, type MarketPath } from "./market-path.js";
import { expectClose, moments, standardErrorOfMean, standardErrorOfVariance, type Moments } from "./sample-moments.test-support.js";

// Moments of the market models against their closed forms. Every tolerance is a multiple (4 unless stated) of the
// standard error of the estimate, written out where it is used:
//  - a mean of n independent values: SE = s / sqrt(n), s the sample standard deviation;
//  - a variance of n independent values: SE = sqrt((m4 - s^4) / n), m4 the sample fourth central moment (for
//    normal data m4 = 3 s^4 and this is s^2 sqrt(2 / n));
//  - a standard deviation of n normal values: SE = s / sqrt(2 (n - 1));
//  - a frequency with probability p: SE = sqrt(p (1 - p) / n);
//  - where values are dependent within a path, batch means: the statistic per path (paths are independent,
//    each has its own seeded stream) and SE = (standard deviation across paths) / sqrt(paths).

const hour = 3600;
const day = 86_400;

function simulate(spec: MarketSpec, paths: number, seed: string, visit: (path: MarketPath, market: CompiledMarket, pathIndex: number) => void, bootstrap?: BootstrapReturns): CompiledMarket {
  const market = compileMarket(spec, bootstrap);
  const path = allocateMarketPath(market);
  const scratch = allocatePathScratch(market);
  for (let i = 0; i < paths; i++) {
    generateMarketPath(market, pathStream(seed, i), path, scratch);
    visit(path, market, i);
  }
  return market;
}

/** Log return of asset a over step s (from point s - 1 to point s), n assets. */
function logReturn(path: MarketPath, n: number, s: number, a: number): number {
  return Math.log((path.index[s * n + a] ?? Number.NaN) / (path.index[(s - 1) * n + a] ?? Number.NaN));
}

function lazily<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

describe("GBM: one-step log returns", () => {
  // ln(S_{t+dt} / S_t) = (mu - sigma^2 / 2) dt + sigma sqrt(dt) Z exactly (Ito), so mean (mu - sigma^2/2) dt and
  // variance sigma^2 dt. A daily step makes the Ito term sigma^2 dt / 2 large against the standard error.
  const drift = 0.5;
  const volatility = 0.8;
  const steps = 400;
  const paths = 500;
  const spec: MarketSpec = {
    horizon: steps * day,
    step: day,
    assets: { BTC: { price: 60_000, model: { kind: "gbm", drift, volatility } } },
    stress: [],
  };

  it("has mean (mu - sigma^2/2) dt and variance sigma^2 dt over 200,000 independent returns", () => {
    const returns = new Float64Array(paths * steps);
    let k = 0;
    simulate(spec, paths, "moments-gbm", (path) => {
      for (let s = 1; s <= steps; s++) returns[k++] = logReturn(path, 1, s, 0);
    });
    const dt = day / secondsPerYear;
    const m = moments(returns);
    // Returns are i.i.d. across steps and paths: SE of the mean s / sqrt(n) ~ 9.4e-5, 4 SE ~ 3.7e-4.
    const meanTolerance = 4 * standardErrorOfMean(m);
    expectClose("mean log return", m.mean, (drift - 0.5 * volatility * volatility) * dt, meanTolerance);
    // Power: the tolerance is below the Ito correction sigma^2 dt / 2 ~ 8.8e-4, so a missing correction fails.
    expect(meanTolerance, "tolerance below the Ito term").toBeLessThan(0.5 * volatility * volatility * dt);
    // SE of the variance sqrt((m4 - s^4) / n) ~ s^2 sqrt(2 / n) = 0.32 % of sigma^2 dt.
    expectClose("variance of log return", m.variance, volatility * volatility * dt, 4 * standardErrorOfVariance(m));
  });
});

describe("Merton jump-diffusion with up and down jumps", () => {
  // One step: X = (mu - sigma^2/2) dt - C + sigma sqrt(dt) Z + sum_k sum_{j <= N_k} J_kj, N_k ~ Poisson(lambda_k dt),
  // J_kj ~ Normal(m_k, s_k^2), all independent, with Merton's compensator C = sum_k lambda_k dt (E[e^J_k] - 1)
  // = sum_k lambda_k dt (exp(m_k + s_k^2 / 2) - 1).
  // A compound Poisson sum has mean lambda dt E[J] = lambda dt m and variance lambda dt E[J^2] = lambda dt (m^2 + s^2)
  // (Wald's identities), so
  //   E[X] = (mu - sigma^2/2) dt - C + sum_k lambda_k dt m_k,
  //   Var[X] = sigma^2 dt + sum_k lambda_k dt (m_k^2 + s_k^2).
  // And E[e^X] = e^{mu dt - C} E[e^{sigma sqrt(dt) Z - sigma^2 dt / 2}] prod_k E[e^{sum_j J_kj}] = e^{mu dt - C} e^{C}
  // = e^{mu dt} (the Poisson generating function E[e^{sum J}] = exp(lambda dt (E[e^J] - 1))); steps are independent,
  // so E[S_T / S_0] = e^{mu T}. (The generator resolves at most 8 jumps a step; with 0.046 expected jumps a leg,
  // P(N >= 9) ~ 1e-15 of the steps, far below any tolerance here.)
  const drift = 0.3;
  const volatility = 0.5;
  const up = { intensity: 100, mean: 0.04, stdDev: 0.02 };
  const down = { intensity: 100, mean: -0.06, stdDev: 0.03 };
  const stepSeconds = 4 * hour;
  const steps = 180; // 30 days
  const paths = 3000;
  const spec: MarketSpec = {
    horizon: steps * stepSeconds,
    step: stepSeconds,
    assets: { BTC: { price: 60_000, model: { kind: "jump-diffusion", drift, volatility, jumps: { up, down } } } },
    stress: [],
  };
  const dt = stepSeconds / secondsPerYear;
  const legs = [up, down];
  const compensator = legs.reduce((sum, leg) => sum + leg.intensity * dt * (Math.exp(leg.mean + 0.5 * leg.stdDev * leg.stdDev) - 1), 0);
  const jumpMean = legs.reduce((sum, leg) => sum + leg.intensity * dt * leg.mean, 0);
  const jumpVariance = legs.reduce((sum, leg) => sum + leg.intensity * dt * (leg.mean * leg.mean + leg.stdDev * leg.stdDev), 0);

  const run = lazily(() => {
    const returns = new Float64Array(paths * steps);
    const terminal = new Float64Array(paths);
    let k = 0;
    simulate(spec, paths, "moments-merton", (path, _market, i) => {
      for (let s = 1; s <= steps; s++) returns[k++] = logReturn(path, 1, s, 0);
      terminal[i] = (path.index[steps] ?? Number.NaN) / (path.index[0] ?? Number.NaN);
    });
    return { returns, terminal };
  });

  it("has the one-step log-return mean and variance of the compensated compound Poisson model", () => {
    const m = moments(run().returns);
    // 540,000 i.i.d. returns: SE of the mean s / sqrt(n) ~ 2.8e-5.
    const meanTolerance = 4 * standardErrorOfMean(m);
    expectClose("mean log return", m.mean, (drift - 0.5 * volatility * volatility) * dt - compensator + jumpMean, meanTolerance);
    // Power: the compensator (~ -7.7e-4 a step here) is several times the tolerance, so dropping it would fail.
    expect(meanTolerance, "tolerance below the compensator").toBeLessThan(Math.abs(compensator));
    // SE of the variance sqrt((m4 - s^4) / n), m4 from the sample (jumps make the returns leptokurtic).
    const varianceTolerance = 4 * standardErrorOfVariance(m);
    expectClose("variance of log return", m.variance, volatility * volatility * dt + jumpVariance, varianceTolerance);
    expect(varianceTolerance, "tolerance below the jump variance").toBeLessThan(jumpVariance);
  });

  it("keeps E[S_T / S_0] = exp(mu T) over 30 days (the compensator's purpose)", () => {
    const m = moments(run().terminal);
    const horizon = steps * dt;
    // 3,000 independent paths: SE = sd(S_T / S_0) / sqrt(3000) ~ 5e-3.
    const tolerance = 4 * standardErrorOfMean(m);
    expectClose("E[S_T / S_0]", m.mean, Math.exp(drift * horizon), tolerance);
    // Without the compensator the mean would be exp(mu T + steps C) (C < 0 here), ~13 % lower: far outside the tolerance.
    expect(tolerance, "tolerance below the uncompensated bias").toBeLessThan(Math.exp(drift * horizon) * Math.abs(Math.expm1(steps * compensator)));
  });
});

describe("GARCH(1,1) with Student-t innovations", () => {
  // r = mu dt - h / 2 + sqrt(h) e, e unit-variance t, h' = omega + alpha h e^2 + beta h with omega = sigma^2 dt
  // (1 - alpha - beta): E[h] = omega / (1 - alpha - beta) = sigma^2 dt is the fixed point of E[h'] = omega + (alpha
  // + beta) E[h], and Var r = E[h] + Var(h) / 4 = sigma^2 dt (1 + O(sigma^2 dt)); the second term is ~1e-5 relative.
  // alpha = 0.05, beta = 0.9, nu = 8 keeps the fourth moment finite (beta^2 + 2 alpha beta + kappa alpha^2 = 0.91
  // < 1 with the t8 kurtosis kappa = 4.5), so per-path sample variances have a finite spread.
  const volatility = 0.6;
  const burnIn = 200;
  const kept = 2000;
  const paths = 200;
  const spec: MarketSpec = {
    horizon: (burnIn + kept) * hour,
    step: hour,
    assets: { BTC: { price: 60_000, model: { kind: "garch-t", drift: 0, volatility, alpha: 0.05, beta: 0.9, degreesOfFreedom: 8 } } },
    stress: [],
  };

  it("has unconditional log-return variance sigma^2 dt after a burn-in (batch means over independent paths)", () => {
    const perPath = new Float64Array(paths);
    const returns = new Float64Array(kept);
    simulate(spec, paths, "moments-garch", (path, _market, i) => {
      for (let s = burnIn + 1; s <= burnIn + kept; s++) returns[s - burnIn - 1] = logReturn(path, 1, s, 0);
      perPath[i] = moments(returns).variance;
    });
    // Squared returns are autocorrelated (volatility clustering), so the pooled n understates the error: batch
    // means instead. Each path's variance over 2,000 steps is one independent draw; SE = sd(per-path) / sqrt(200).
    // (Per-path variances are unbiased: GARCH returns are serially uncorrelated.)
    const m = moments(perPath);
    expectClose("variance of log return", m.mean, volatility * volatility * (hour / secondsPerYear), 4 * standardErrorOfMean(m));
  });
});

describe("Ornstein-Uhlenbeck basis and funding", () => {
  // Exact OU transition per step: b' = mean + (b - mean) d + stdDev sqrt(1 - d^2) Z, d = 2^{-step / halfLife}.
  // So E[b_k] = mean + (initial - mean) d^k and Var b_k = stdDev^2 (1 - d^{2k}): the deviation halves every
  // halfLife and the variance tends to stdDev^2. Values across paths at a fixed time are i.i.d. normal.
  const stepSeconds = 2 * hour;
  const steps = 120; // 240 h: 40 basis half-lives, 20 funding half-lives
  const paths = 5000;
  const basis = { mean: 0.0002, stdDev: 0.0008, halfLife: 6 * hour, initial: 0.006 };
  const funding = { mean: 0.0001, stdDev: 0.0001, halfLife: 12 * hour, initial: 0.0012, returnCoupling: 0, venueOffset: {} };
  const spec: MarketSpec = {
    horizon: steps * stepSeconds,
    step: stepSeconds,
    assets: { BTC: { price: 60_000, model: { kind: "gbm", drift: 0, volatility: 0.5 }, basis, funding } },
    stress: [],
  };
  const basisPoints = [basis.halfLife / stepSeconds, (2 * basis.halfLife) / stepSeconds, steps];
  const fundingPoints = [funding.halfLife / stepSeconds, (2 * funding.halfLife) / stepSeconds, steps];

  const run = lazily(() => {
    const basisAt = basisPoints.map(() => new Float64Array(paths));
    const fundingAt = fundingPoints.map(() => new Float64Array(paths));
    simulate(spec, paths, "moments-ou", (path, _market, i) => {
      basisPoints.forEach((k, j) => {
        const into = basisAt[j];
        if (into !== undefined) into[i] = path.basis[k] ?? Number.NaN;
      });
      fundingPoints.forEach((k, j) => {
        const into = fundingAt[j];
        if (into !== undefined) into[i] = path.fundingState[k] ?? Number.NaN;
      });
    });
    return { basisAt, fundingAt };
  });

  const processes = [
    { name: "basis", params: basis, points: basisPoints, values: () => run().basisAt },
    { name: "funding", params: funding, points: fundingPoints, values: () => run().fundingAt },
  ] as const;

  for (const { name, params, points, values } of processes) {
    it(`${name}: started away from its mean, is back at the stationary mean and stdDev long after`, () => {
      const k = points[2] ?? 0;
      const decay = Math.exp((-Math.LN2 * stepSeconds) / params.halfLife);
      // Exact moments at step k (the residual (initial - mean) d^k is below 1e-8 here, so these are the stationary ones).
      const expectedMean = params.mean + (params.initial - params.mean) * decay ** k;
      const expectedStdDev = params.stdDev * Math.sqrt(1 - decay ** (2 * k));
      const m = moments(values()[2] ?? new Float64Array(0));
      // 5,000 paths: SE of the mean s / sqrt(n) (1.4 % of stdDev); SE of the sd s / sqrt(2 (n - 1)) (1 % of stdDev).
      expectClose(`${name} stationary mean`, m.mean, expectedMean, 4 * standardErrorOfMean(m));
      expectClose(`${name} stationary stdDev`, Math.sqrt(m.variance), expectedStdDev, (4 * Math.sqrt(m.variance)) / Math.sqrt(2 * (m.count - 1)));
    });

    it(`${name}: the expected deviation from the mean halves every halfLife`, () => {
      const initialDeviation = params.initial - params.mean;
      for (const [j, fraction] of [[0, 0.5], [1, 0.25]] as const) {
        const m = moments(values()[j] ?? new Float64Array(0));
        // SE of the mean deviation: s / sqrt(5000), s ~ stdDev sqrt(1 - fraction^2).
        expectClose(`${name} E[b - mean] after ${j + 1} half-lives`, m.mean - params.mean, initialDeviation * fraction, 4 * standardErrorOfMean(m));
      }
    });
  }
});

describe("two-state regime (calm/stress Markov chain)", () => {
  // The chain switches with the continuous-time chain's exact one-step probabilities p = a/(a+b) (1 - e^{-(a+b)dt})
  // and r = b/(a+b) (1 - e^{-(a+b)dt}) (a = calmToStress, b = stressToCalm per year), so p / (p + r) = a / (a + b)
  // exactly, at any step.
  const calmToStress = 100;
  const stressToCalm = 300;
  const volatility = 0.5;
  const multiplier = 2;
  const burnIn = 200;
  const kept = 4000;
  const paths = 100;
  const spec: MarketSpec = {
    horizon: (burnIn + kept) * hour,
    step: hour,
    assets: { BTC: { price: 60_000, model: { kind: "gbm", drift: 0, volatility } } },
    regime: { calmToStress, stressToCalm, volatilityMultiplier: multiplier, jumpIntensityMultiplier: 1, basisShift: 0 },
    stress: [],
  };
  const dt = hour / secondsPerYear;

  const run = lazily(() => {
    const fractions = new Float64Array(paths);
    const calm: number[] = [];
    const stressed: number[] = [];
    simulate(spec, paths, "moments-regime", (path, _market, i) => {
      let inStress = 0;
      for (let s = burnIn + 1; s <= burnIn + kept; s++) {
        const r = logReturn(path, 1, s, 0);
        if (path.stressed[s - 1] === 1) {
          inStress++;
          stressed.push(r);
        } else {
          calm.push(r);
        }
      }
      fractions[i] = inStress / kept;
    });
    return { fractions, calm, stressed };
  });

  it("spends a fraction calmToStress / (calmToStress + stressToCalm) of the steps in stress", () => {
    const m = moments(run().fractions);
    const expected = calmToStress / (calmToStress + stressToCalm);
    // Stress spells last ~30 steps, so steps are dependent: batch means, one fraction per independent path of
    // 4,000 steps; SE = sd(per-path fractions) / sqrt(100) ~ 4.5e-3. Tolerance 4 SE.
    const standardError = standardErrorOfMean(m);
    expectClose("stationary stress fraction", m.mean, expected, 4 * standardError);
  });

  it("scales the log-return variance in stress by volatilityMultiplier^2", () => {
    const { calm, stressed } = run();
    const c = moments(calm);
    const s = moments(stressed);
    // Given the regime path (drawn from uniforms independent of the normal shocks), returns are independent normals
    // with regime-dependent means, so each regime's sample variance (about its own mean) has SE sqrt((m4 - s^4) / n).
    // Ratio R = v_s / v_c: relative SE sqrt((SE_s / v_s)^2 + (SE_c / v_c)^2) (delta method), ~ 0.5 % here.
    const ratio = s.variance / c.variance;
    const relative = Math.hypot(standardErrorOfVariance(s) / s.variance, standardErrorOfVariance(c) / c.variance);
    expectClose("stress / calm variance ratio", ratio, multiplier * multiplier, 4 * ratio * relative);
    expectClose("calm variance", c.variance, volatility * volatility * dt, 4 * standardErrorOfVariance(c));
  });
});

describe("correlated diffusion shocks", () => {
  const rho = 0.7;
  const volatilities = { BTC: 0.6, ETH: 0.8 };
  const steps = 500;
  const dt = hour / secondsPerYear;

  function twoAssetMarket(correlationOrder: readonly ["BTC" | "ETH", "BTC" | "ETH"]): MarketSpec {
    return {
      horizon: steps * hour,
      step: hour,
      assets: {
        BTC: { price: 60_000, model: { kind: "gbm", drift: 0, volatility: volatilities.BTC } },
        ETH: { price: 3_000, model: { kind: "gbm", drift: 0, volatility: volatilities.ETH } },
      },
      correlation: { assets: [...correlationOrder], matrix: [[1, rho], [rho, 1]] },
      stress: [],
    };
  }

  function sampleCorrelation(spec: MarketSpec, paths: number, seed: string): { correlation: number; btc: Moments; eth: Moments } {
    const btc = new Float64Array(paths * steps);
    const eth = new Float64Array(paths * steps);
    let k = 0;
    simulate(spec, paths, seed, (path, market) => {
      const n = market.assets.length;
      const b = market.assets.indexOf("BTC");
      const e = market.assets.indexOf("ETH");
      for (let s = 1; s <= steps; s++) {
        btc[k] = logReturn(path, n, s, b);
        eth[k] = logReturn(path, n, s, e);
        k++;
      }
    });
    const mb = moments(btc);
    const me = moments(eth);
    let cross = 0;
    for (let i = 0; i < k; i++) cross += ((btc[i] ?? 0) - mb.mean) * ((eth[i] ?? 0) - me.mean);
    return { correlation: cross / (k - 1) / Math.sqrt(mb.variance * me.variance), btc: mb, eth: me };
  }

  function expectCorrelated(result: { correlation: number; btc: Moments; eth: Moments }): void {
    const n = result.btc.count;
    // Sample correlation of n bivariate normal pairs: SE ~ (1 - rho^2) / sqrt(n) (Fisher); 4 SE.
    expectClose("sample correlation", result.correlation, rho, (4 * (1 - rho * rho)) / Math.sqrt(n));
    // Each margin keeps its own variance sigma^2 dt: SE s^2 sqrt(2 / n) for normal returns.
    expectClose("BTC variance", result.btc.variance, volatilities.BTC ** 2 * dt, 4 * standardErrorOfVariance(result.btc));
    expectClose("ETH variance", result.eth.variance, volatilities.ETH ** 2 * dt, 4 * standardErrorOfVariance(result.eth));
  }

  it("gives one-step log returns the specified correlation 0.7 (100,000 pairs)", () => {
    expectCorrelated(sampleCorrelation(twoAssetMarket(["BTC", "ETH"]), 200, "moments-correlation"));
  });

  // A regression test: compileMarket once scattered a factor computed in the scenario's order into market order,
  // which is not lower-triangular, and the correlation came out 0.
  it("gives the same correlation when correlation.assets lists the assets in another order (20,000 pairs)", () => {
    expectCorrelated(sampleCorrelation(twoAssetMarket(["ETH", "BTC"]), 40, "moments-correlation-reversed"));
  });
});

describe("scripted stress overlays", () => {
  const steps = 24;
  const paths = 50;
  const ou = { mean: 0.0002, stdDev: 0.0008, halfLife: 6 * hour };

  function overlayMarket(stress: StressOverlay[]): MarketSpec {
    return {
      horizon: steps * hour,
      step: hour,
      assets: {
        BTC: { price: 60_000, model: { kind: "gbm", drift: 0.1, volatility: 0.6 }, basis: ou },
        ETH: { price: 3_000, model: { kind: "gbm", drift: 0.1, volatility: 0.8 }, basis: ou },
      },
      stress,
    };
  }

  /** Runs the same seeds with and without the overlays and hands both paths to `compare`. */
  function compareRuns(stress: StressOverlay[], seed: string, compare: (base: MarketPath, stressed: MarketPath, market: CompiledMarket) => void): void {
    const baseMarket = compileMarket(overlayMarket([]));
    const stressedMarket = compileMarket(overlayMarket(stress));
    const base = allocateMarketPath(baseMarket);
    const stressed = allocateMarketPath(stressedMarket);
    const scratch = allocatePathScratch(baseMarket);
    for (let i = 0; i < paths; i++) {
      generateMarketPath(baseMarket, pathStream(seed, i), base, scratch);
      generateMarketPath(stressedMarket, pathStream(seed, i), stressed, scratch);
      compare(base, stressed, stressedMarket);
    }
  }

  it("a move of +12 % over one 1 h step adds ln(1.12) to the log price from that step on, path by path", () => {
    // The move is deterministic and draws no uniforms, so both runs use the same shocks: the difference of the log
    // price is exactly 0 before the step and ln(1.12) after it (to rounding, 1e-12), and the other asset is untouched.
    const move = Math.log(1.12);
    compareRuns([{ at: 5 * hour, over: hour, move: 0.12, assets: ["BTC"] }], "stress-move", (base, stressed, market) => {
      const n = market.assets.length;
      const b = market.assets.indexOf("BTC");
      const e = market.assets.indexOf("ETH");
      for (let k = 0; k <= steps; k++) {
        const difference = Math.log((stressed.index[k * n + b] ?? Number.NaN) / (base.index[k * n + b] ?? Number.NaN));
        const expected = k <= 5 ? 0 : move;
        expect(Math.abs(difference - expected), `BTC at point ${k}: computed ${difference} expected ${expected}`).toBeLessThan(1e-12);
        expect(stressed.index[k * n + e], `ETH at point ${k}`).toBe(base.index[k * n + e]);
        expect(stressed.basis[k * n + b], `BTC basis at point ${k}`).toBe(base.basis[k * n + b]);
      }
    });
  });

  it("a move of -20 % over 3 h starting mid-step is spread evenly in log terms over the steps it overlaps", () => {
    // Window [5.5 h, 8.5 h]: step s covers [s h, (s + 1) h] and receives ln(0.8) * overlap / 3 h.
    const at = 5.5 * hour;
    const over = 3 * hour;
    const move = Math.log(0.8);
    const perStep = Array.from({ length: steps }, (_, s) => (move * Math.max(0, Math.min((s + 1) * hour, at + over) - Math.max(s * hour, at))) / over);
    let checkedCompiled = false;
    compareRuns([{ at, over, move: -0.2 }], "stress-spread", (base, stressed, market) => {
      const n = market.assets.length;
      if (!checkedCompiled) {
        for (let s = 0; s < steps; s++) {
          for (let a = 0; a < n; a++) {
            const computed = market.stressLogMove[s * n + a] ?? Number.NaN;
            expect(Math.abs(computed - (perStep[s] ?? 0)), `stressLogMove step ${s}: computed ${computed} expected ${perStep[s]}`).toBeLessThan(1e-15);
          }
        }
        checkedCompiled = true;
      }
      for (let a = 0; a < n; a++) {
        let cumulative = 0;
        for (let k = 0; k <= steps; k++) {
          if (k > 0) cumulative += perStep[k - 1] ?? 0;
          const difference = Math.log((stressed.index[k * n + a] ?? Number.NaN) / (base.index[k * n + a] ?? Number.NaN));
          expect(Math.abs(difference - cumulative), `asset ${a} at point ${k}: computed ${difference} expected ${cumulative}`).toBeLessThan(1e-12);
        }
      }
    });
  });

  it("a basis overlay of 0.03 holds the basis at 0.03 at the end of every step in its window, only on its assets", () => {
    // Window (10 h, 15 h]: steps ending at 11 h .. 15 h, i.e. points 11..15 of ETH. BTC's basis and ETH's before
    // the window are the base run's, draw for draw.
    compareRuns([{ at: 10 * hour, over: 5 * hour, basis: 0.03, assets: ["ETH"] }], "stress-basis", (base, stressed, market) => {
      const n = market.assets.length;
      const b = market.assets.indexOf("BTC");
      const e = market.assets.indexOf("ETH");
      for (let k = 0; k <= steps; k++) {
        const eth = stressed.basis[k * n + e];
        if (k >= 11 && k <= 15) expect(eth, `ETH basis at point ${k}`).toBe(0.03);
        else expect(eth, `ETH basis at point ${k}`).not.toBe(0.03);
        if (k <= 10) expect(eth, `ETH basis at point ${k}`).toBe(base.basis[k * n + e]);
        expect(stressed.basis[k * n + b], `BTC basis at point ${k}`).toBe(base.basis[k * n + b]);
      }
    });
  });

  it("compiles funding overlays to per-step holds: floor -Infinity, cap +Infinity, a rate as given, NaN elsewhere", () => {
    const overlays: StressOverlay[] = [
      { at: 10 * hour, over: 5 * hour, funding: "floor", assets: ["ETH"] },
      { at: 2 * hour, over: 2 * hour, funding: "cap", assets: ["BTC"] },
      { at: 20 * hour, over: hour, funding: -0.002 },
    ];
    const market = compileMarket(overlayMarket(overlays));
    const n = market.assets.length;
    const held = (s: number, asset: string): number => {
      // A hold applies to step s (ending at (s + 1) h) when its end lies in (at, at + over].
      const end = (s + 1) * hour;
      for (const overlay of overlays) {
        if (end > overlay.at && end <= overlay.at + overlay.over && (overlay.assets ?? [asset]).includes(asset)) {
          return overlay.funding === "floor" ? Number.NEGATIVE_INFINITY : overlay.funding === "cap" ? Number.POSITIVE_INFINITY : (overlay.funding ?? Number.NaN);
        }
      }
      return Number.NaN;
    };
    expect(fundingAtFloor).toBe(Number.NEGATIVE_INFINITY);
    expect(fundingAtCap).toBe(Number.POSITIVE_INFINITY);
    for (let s = 0; s < steps; s++) {
      for (const [a, asset] of market.assets.entries()) {
        const computed = market.stressFunding[s * n + a];
        const expected = held(s, asset);
        expect(Object.is(computed, expected), `stressFunding step ${s} ${asset}: computed ${computed} expected ${expected}`).toBe(true);
      }
    }
    // The floor window is steps 10..14 of ETH.
    for (let s = 10; s <= 14; s++) expect(market.stressFunding[s * n + market.assets.indexOf("ETH")]).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("block bootstrap of historical returns", () => {
  const blockLength = 5;
  const steps = 200;
  const paths = 20;
  // A series of 60 distinct log returns (no two within 1e-6 of each other, checked below), in no particular order.
  const history = Float64Array.from({ length: 60 }, (_, i) => 0.01 * Math.sin(1.7 * i + 0.3) + 1e-4 * i);
  const spec: MarketSpec = {
    horizon: steps * hour,
    step: hour,
    assets: { BTC: { price: 60_000, model: { kind: "bootstrap", csv: "btc.csv", blockLength } } },
    stress: [],
  };

  it("draws every step's return from the history, in blocks of blockLength consecutive historical returns", () => {
    const sorted = Array.from(history).sort((x, y) => x - y);
    for (let i = 1; i < sorted.length; i++) expect((sorted[i] ?? 0) - (sorted[i - 1] ?? 0), "history values distinct").toBeGreaterThan(1e-6);
    const positions = new Int32Array(steps);
    const starts = new Set<number>();
    let boundaries = 0;
    let consecutiveAtBoundary = 0;
    simulate(spec, paths, "moments-bootstrap", (path) => {
      for (let s = 1; s <= steps; s++) {
        const r = logReturn(path, 1, s, 0);
        // Identify the historical return: the nearest value, which must agree to rounding (exp/log of a ~11 log price).
        let best = -1;
        let bestDistance = Number.POSITIVE_INFINITY;
        history.forEach((h, j) => {
          if (Math.abs(r - h) < bestDistance) {
            bestDistance = Math.abs(r - h);
            best = j;
          }
        });
        expect(bestDistance, `step ${s}: return ${r} is not a historical return (nearest ${history[best]})`).toBeLessThan(1e-10);
        positions[s - 1] = best;
        const offset = (s - 1) % blockLength;
        if (offset === 0) {
          starts.add(best);
          if (s > 1) {
            boundaries++;
            if (best === (positions[s - 2] ?? -2) + 1) consecutiveAtBoundary++;
          }
        } else {
          expect(best, `step ${s}: within a block, the next historical return`).toBe((positions[s - 2] ?? -2) + 1);
        }
      }
    }, new Map([["BTC", history]]));
    // Block starts cover 0..(60 - blockLength) and nothing beyond, so every block fits in the history. With 800
    // starts drawn uniformly over 56 positions, the chance a given position is missed is (55/56)^800 ~ 6e-7.
    const lastStart = history.length - blockLength;
    expect(Math.max(...starts), "last block start").toBe(lastStart);
    expect(starts.size, "every start position used").toBe(lastStart + 1);
    // A new block starts afresh: it continues the previous one only by chance (1 in 56).
    expect(consecutiveAtBoundary / boundaries, `share of block boundaries that continue the history: ${consecutiveAtBoundary}/${boundaries}`).toBeLessThan(0.1);
  });
});
