import { normalCdf } from "./distribution-functions.js";
import { bounded, positive, signed, unbounded, type FreeParameter } from "./free-parameter.js";
import { jumpMixture, type JumpMixture } from "./jump-mixture.js";
import type { PriceModelLikelihood } from "./price-model-likelihood.js";
import { returnMoments, type ReturnSeries } from "./return-series.js";

/**
 * The schema's cap on expected jumps per step and leg (maxExpectedJumpsPerStep in market-schema.ts, which sim
 * cannot import without the schema library; a test checks the two agree). The intensity is searched below it.
 */
export const maxJumpsPerStep = 0.5;

const fields = ["drift", "volatility", "jumps.up.intensity", "jumps.up.mean", "jumps.up.stdDev", "jumps.down.intensity", "jumps.down.mean", "jumps.down.stdDev"] as const;

/**
 * Merton's jump-diffusion with separate pump and crash legs, as market-path.ts draws it (see jump-mixture.ts for
 * the step's law). Parameters, in the scenario's fields: [drift, volatility, up intensity, up mean, up stdDev,
 * down intensity, down mean, down stdDev]; intensities per year, jump sizes in log terms. The log-likelihood
 * of each step is the log of the truncated Poisson mixture of normals, summed stably (log-sum-exp); its gradient
 * is in closed form (responsibility-weighted derivatives of each term's weight, mean and variance), which makes
 * the quasi-Newton search and the observed information cheap.
 */
export function jumpDiffusionLikelihood(series: ReturnSeries): PriceModelLikelihood {
  const { returns, dt } = series;
  const moments = returnMoments(series);
  const sigma0 = robustStdDev(returns) / Math.sqrt(dt);
  const jumpScale = 0.02;
  const free: readonly FreeParameter[] = [
    unbounded(sigma0 / Math.sqrt(dt)),
    positive(sigma0),
    bounded(0, maxJumpsPerStep / dt),
    signed(1, jumpScale),
    positive(jumpScale),
    bounded(0, maxJumpsPerStep / dt),
    signed(-1, jumpScale),
    positive(jumpScale),
  ];
  const valid = (theta: readonly number[]): boolean => {
    const [mu = 0, sigma = 0, lu = 0, mu_u = 0, su = 0, ld = 0, mu_d = 0, sd = 0] = theta;
    return Number.isFinite(mu) && sigma > 0 && lu > 0 && ld > 0 && lu * dt <= maxJumpsPerStep && ld * dt <= maxJumpsPerStep && mu_u >= 0 && mu_d <= 0 && su >= 0 && sd >= 0 && Math.abs(mu_u) < 5 && Math.abs(mu_d) < 5 && su < 5 && sd < 5;
  };

  /** Minus the log-likelihood and, when `gradient` is given, its gradient written into it. */
  function evaluate(theta: readonly number[], gradient?: number[]): number {
    if (!valid(theta)) return Number.POSITIVE_INFINITY;
    const mixture = jumpMixture(theta, dt);
    const n = mixture.terms;
    // Per term: log(weight / sqrt(2 pi variance)), 1 / variance, and the mean (locals: this is the hot loop).
    const mean = mixture.mean;
    const logNormal = new Float64Array(n);
    const precision = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const v = mixture.variance[k] ?? 1;
      logNormal[k] = (mixture.logWeight[k] ?? 0) - 0.5 * Math.log(2 * Math.PI * v);
      precision[k] = 1 / v;
    }
    const term = new Float64Array(n);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    const c = new Float64Array(n);
    const withGradient = gradient !== undefined;
    let logLikelihood = 0;
    for (const r of returns) {
      if (Number.isNaN(r)) continue;
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < n; k++) {
        const d = r - (mean[k] ?? 0);
        const t = (logNormal[k] ?? 0) - 0.5 * d * d * (precision[k] ?? 0);
        term[k] = t;
        if (t > max) max = t;
      }
      let sum = 0;
      for (let k = 0; k < n; k++) {
        // A term below e^-40 of the largest changes the sum by less than double precision resolves: skip its exp.
        const d = (term[k] ?? 0) - max;
        const e = d < -40 ? 0 : Math.exp(d);
        term[k] = e;
        sum += e;
      }
      logLikelihood += max + Math.log(sum);
      if (!withGradient) continue;
      const inverseSum = 1 / sum;
      for (let k = 0; k < n; k++) {
        const e = term[k] ?? 0;
        if (e === 0) continue;
        const p = e * inverseSum;
        const q = precision[k] ?? 0;
        const pd = p * (r - (mean[k] ?? 0)) * q;
        a[k] = (a[k] ?? 0) + p;
        b[k] = (b[k] ?? 0) + pd;
        // p ((r - m)^2 / v^2 - 1 / v) / 2 = (pd (r - m) - p) / (2 v)
        c[k] = (c[k] ?? 0) + 0.5 * q * (pd * (r - (mean[k] ?? 0)) - p);
      }
    }
    if (gradient !== undefined) writeGradient(theta, mixture, a, b, c, dt, gradient);
    return -logLikelihood;
  }

  let last: { theta: number[]; value: number; gradient: number[] } | undefined;
  function withGradient(theta: readonly number[]): { value: number; gradient: number[] } {
    if (last !== undefined && last.theta.every((x, i) => x === theta[i])) return last;
    const gradient = new Array<number>(fields.length).fill(Number.NaN);
    last = { theta: [...theta], value: evaluate(theta, gradient), gradient };
    return last;
  }

  return {
    model: "jump-diffusion",
    series,
    observations: series.observed,
    parameters: fields.map((field, i) => ({ field, typical: i === 0 || i === 1 ? sigma0 : i === 2 || i === 5 ? 10 : jumpScale })),
    toFree: (theta) => free.map((p, i) => p.toFree(theta[i] ?? 0)),
    fromFree: (u) => free.map((p, i) => p.toNatural(u[i] ?? 0)),
    freeDerivatives: (u) => free.map((p, i) => p.derivative(u[i] ?? 0)),
    negativeLogLikelihood: (theta) => withGradient(theta).value,
    // The search asks for the gradient at the point it has just evaluated: one pass over the data gives both.
    gradient: (theta) => [...withGradient(theta).gradient],
    startingPoints() {
      // Rare large jumps, moderate ones, frequent small ones (close to a fat-tailed diffusion), and a crash-heavy shape.
      const shapes = [
        [5, 0.04, 0.02, 5, -0.04, 0.02],
        [50, 0.015, 0.01, 50, -0.015, 0.01],
        [500, 0.005, 0.005, 500, -0.005, 0.005],
        [20, 0.02, 0.01, 40, -0.02, 0.015],
      ];
      return shapes.map((shape) => [moments.mean / dt + 0.5 * sigma0 * sigma0, sigma0, ...shape]);
    },
    probabilityIntegralTransforms(theta) {
      const mixture = jumpMixture(theta, dt);
      return returns.map((r) => (Number.isNaN(r) ? Number.NaN : mixtureCdf(mixture, r)));
    },
    expectedMovesBeyond(theta, threshold) {
      const mixture = jumpMixture(theta, dt);
      return series.observed * (1 - mixtureCdf(mixture, Math.log1p(threshold)) + mixtureCdf(mixture, Math.log1p(-threshold)));
    },
    squaredReturnAutocorrelation: (_theta, lags) => new Array<number>(lags).fill(0),
    scenarioModel: (theta) => ({
      kind: "jump-diffusion",
      drift: theta[0] ?? 0,
      volatility: theta[1] ?? 0,
      jumps: { up: { intensity: theta[2] ?? 0, mean: theta[3] ?? 0, stdDev: theta[4] ?? 0 }, down: { intensity: theta[5] ?? 0, mean: theta[6] ?? 0, stdDev: theta[7] ?? 0 } },
    }),
  };
}

/** The mixture's CDF at r, its weights renormalised over the kept terms. */
function mixtureCdf(mixture: JumpMixture, r: number): number {
  let sum = 0;
  for (let k = 0; k < mixture.terms; k++) sum += Math.exp(mixture.logWeight[k] ?? 0) * normalCdf((r - (mixture.mean[k] ?? 0)) / Math.sqrt(mixture.variance[k] ?? 1));
  return sum / mixture.totalWeight;
}

/**
 * The gradient of minus the log-likelihood from the per-term sums over the steps: a = sum of responsibilities,
 * b = sum of p (r - mean) / variance, c = sum of p ((r - mean)^2 / variance^2 - 1 / variance) / 2, so that
 * d(logL)/d(theta) = sum over terms of a dlog(weight) + b dmean + c dvariance.
 */
function writeGradient(theta: readonly number[], mixture: JumpMixture, a: Float64Array, b: Float64Array, c: Float64Array, dt: number, out: number[]): void {
  const [, sigma = 0, lu = 0, mu_u = 0, su = 0, ld = 0, mu_d = 0, sd = 0] = theta;
  const eu = Math.exp(mu_u + 0.5 * su * su);
  const ed = Math.exp(mu_d + 0.5 * sd * sd);
  const g = new Array<number>(8).fill(0);
  for (let k = 0; k < mixture.terms; k++) {
    const i = mixture.up[k] ?? 0;
    const j = mixture.down[k] ?? 0;
    const ak = a[k] ?? 0;
    const bk = b[k] ?? 0;
    const ck = c[k] ?? 0;
    g[0] = (g[0] ?? 0) + bk * dt;
    g[1] = (g[1] ?? 0) + bk * -sigma * dt + ck * 2 * sigma * dt;
    g[2] = (g[2] ?? 0) + ak * (i / lu - dt) + bk * -(eu - 1) * dt;
    g[3] = (g[3] ?? 0) + bk * (i - lu * eu * dt);
    g[4] = (g[4] ?? 0) + bk * -lu * eu * su * dt + ck * 2 * i * su;
    g[5] = (g[5] ?? 0) + ak * (j / ld - dt) + bk * -(ed - 1) * dt;
    g[6] = (g[6] ?? 0) + bk * (j - ld * ed * dt);
    g[7] = (g[7] ?? 0) + bk * -ld * ed * sd * dt + ck * 2 * j * sd;
  }
  g.forEach((value, i) => (out[i] = -value));
}

/** 1.4826 times the median absolute deviation: the standard deviation of the returns' normal core, not their tails. */
function robustStdDev(returns: Float64Array): number {
  const values = [...returns].filter((r) => !Number.isNaN(r)).sort((x, y) => x - y);
  const median = values[Math.floor(values.length / 2)] ?? 0;
  const deviations = values.map((r) => Math.abs(r - median)).sort((x, y) => x - y);
  return 1.4826 * (deviations[Math.floor(deviations.length / 2)] ?? 0);
}
