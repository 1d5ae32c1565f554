import { logGamma, studentTCdf } from "./distribution-functions.js";
import { bounded, positive, unbounded } from "./free-parameter.js";
import type { PriceModelLikelihood } from "./price-model-likelihood.js";
import { returnMoments, type ReturnSeries } from "./return-series.js";

const fields = ["drift", "volatility", "alpha", "beta", "degreesOfFreedom"] as const;

/** The schema's bound on the degrees of freedom (market-schema.ts: > 2, at most 1000). */
const maxDegreesOfFreedom = 1000;

/**
 * GARCH(1,1) at the step with Student-t innovations scaled to unit variance (Bollerslev 1986, 1987), exactly as
 * market-path.ts steps it: the variance starts at the unconditional one, h_1 = volatility^2 dt; each step
 *   r_s = drift dt - h_s / 2 + e_s,  e_s = sqrt(h_s) z_s,  h_{s+1} = omega + alpha e_s^2 + beta h_s,
 * with omega = volatility^2 dt (1 - alpha - beta) and z_s a Student-t(nu) times sqrt((nu - 2) / nu). A step not
 * observed (a gap) moves the variance by its expectation, h_{s+1} = omega + (alpha + beta) h_s. Parameters:
 * [drift, volatility (unconditional, annualised), alpha, beta, degreesOfFreedom]. The search moves the
 * persistence alpha + beta in (0, 1) and alpha's share of it in (0, 1), so alpha + beta < 1 always holds.
 */
export function garchTLikelihood(series: ReturnSeries): PriceModelLikelihood {
  const { returns, dt } = series;
  const moments = returnMoments(series);
  const sigma0 = moments.stdDev / Math.sqrt(dt);
  const drift = unbounded(sigma0 / Math.sqrt(dt));
  const volatility = positive(sigma0);
  const share = bounded(0, 1);
  const persistence = bounded(0, 1);
  const nu = bounded(2, maxDegreesOfFreedom);
  const valid = (theta: readonly number[]): boolean => {
    const [mu = Number.NaN, sigma = 0, alpha = -1, beta = -1, dof = 0] = theta;
    return Number.isFinite(mu) && sigma > 0 && alpha >= 0 && beta >= 0 && alpha + beta < 1 && dof > 2 && dof <= maxDegreesOfFreedom;
  };

  /** Walks the variance filter; `visit` sees each observed step's standardised residual and variance. */
  function filter(theta: readonly number[], visit: (s: number, residual: number, variance: number) => void): void {
    const [mu = 0, sigma = 0, alpha = 0, beta = 0] = theta;
    const unconditional = sigma * sigma * dt;
    const omega = unconditional * (1 - alpha - beta);
    let h = unconditional;
    for (let s = 0; s < returns.length; s++) {
      const r = returns[s] ?? Number.NaN;
      if (Number.isNaN(r)) {
        h = omega + (alpha + beta) * h;
        continue;
      }
      const e = r - mu * dt + 0.5 * h;
      visit(s, e / Math.sqrt(h), h);
      h = omega + alpha * e * e + beta * h;
    }
  }

  return {
    model: "garch-t",
    series,
    observations: series.observed,
    parameters: fields.map((field, i) => ({ field, typical: i <= 1 ? sigma0 : i === 4 ? 5 : 0.1 })),
    toFree(theta) {
      const [mu = 0, sigma = sigma0, alpha = 0.05, beta = 0.9, dof = 5] = theta;
      return [drift.toFree(mu), volatility.toFree(sigma), persistence.toFree(alpha + beta), share.toFree(alpha / (alpha + beta)), nu.toFree(dof)];
    },
    fromFree(u) {
      const p = persistence.toNatural(u[2] ?? 0);
      const a = share.toNatural(u[3] ?? 0);
      return [drift.toNatural(u[0] ?? 0), volatility.toNatural(u[1] ?? 0), p * a, p * (1 - a), nu.toNatural(u[4] ?? 0)];
    },
    negativeLogLikelihood(theta) {
      if (!valid(theta)) return Number.POSITIVE_INFINITY;
      const dof = theta[4] ?? 5;
      // log density of the unit-variance t at z: c - (nu + 1) / 2 log(1 + z^2 / (nu - 2)), less log sqrt(h) for e.
      const c = logGamma((dof + 1) / 2) - logGamma(dof / 2) - 0.5 * Math.log(Math.PI * (dof - 2));
      let logLikelihood = 0;
      filter(theta, (_s, z, h) => {
        logLikelihood += c - 0.5 * (dof + 1) * Math.log1p((z * z) / (dof - 2)) - 0.5 * Math.log(h);
      });
      return Number.isFinite(logLikelihood) ? -logLikelihood : Number.POSITIVE_INFINITY;
    },
    startingPoints: () =>
      [
        [0.05, 0.9, 5],
        [0.1, 0.85, 4],
        [0.03, 0.96, 8],
      ].map(([alpha = 0, beta = 0, dof = 5]) => [moments.mean / dt + 0.5 * sigma0 * sigma0, sigma0, alpha, beta, dof]),
    probabilityIntegralTransforms(theta) {
      const dof = theta[4] ?? 5;
      const scale = Math.sqrt(dof / (dof - 2));
      const out = new Float64Array(returns.length).fill(Number.NaN);
      filter(theta, (s, z) => (out[s] = studentTCdf(z * scale, dof)));
      return out;
    },
    expectedMovesBeyond(theta, threshold) {
      const [mu = 0, , , , dof = 5] = theta;
      const scale = Math.sqrt(dof / (dof - 2));
      const up = Math.log1p(threshold) - mu * dt;
      const down = Math.log1p(-threshold) - mu * dt;
      let expected = 0;
      filter(theta, (_s, _z, h) => {
        const sd = Math.sqrt(h);
        expected += 1 - studentTCdf(((up + 0.5 * h) / sd) * scale, dof) + studentTCdf(((down + 0.5 * h) / sd) * scale, dof);
      });
      return expected;
    },
    squaredReturnAutocorrelation(theta, lags) {
      const [, , alpha = 0, beta = 0, dof = 5] = theta;
      // e^2 is ARMA(1,1) with phi = alpha + beta and theta = -beta (He and Terasvirta 1999), so
      // rho_1 = alpha (1 - alpha beta - beta^2) / (1 - 2 alpha beta - beta^2) and rho_k = rho_1 phi^(k-1), provided
      // the fourth moment exists: kappa alpha^2 + 2 alpha beta + beta^2 < 1, kappa = E z^4 = 3 (nu - 2) / (nu - 4).
      if (dof <= 4) return null;
      const kappa = (3 * (dof - 2)) / (dof - 4);
      if (kappa * alpha * alpha + 2 * alpha * beta + beta * beta >= 1) return null;
      const rho1 = (alpha * (1 - alpha * beta - beta * beta)) / (1 - 2 * alpha * beta - beta * beta);
      return Array.from({ length: lags }, (_, k) => rho1 * (alpha + beta) ** k);
    },
    scenarioModel: (theta) => ({ kind: "garch-t", drift: theta[0] ?? 0, volatility: theta[1] ?? 0, alpha: theta[2] ?? 0, beta: theta[3] ?? 0, degreesOfFreedom: theta[4] ?? 5 }),
  };
}
