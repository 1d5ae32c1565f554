import { normalCdf } from "./distribution-functions.js";
import { positive, unbounded } from "./free-parameter.js";
import type { PriceModelLikelihood } from "./price-model-likelihood.js";
import { returnMoments, type ReturnSeries } from "./return-series.js";

/**
 * Geometric Brownian motion as the simulator steps it (market-path.ts): r = (drift - volatility^2 / 2) dt +
 * volatility sqrt(dt) Z, Z standard normal, i.i.d. Parameters [drift, volatility], both annualised.
 */
export function gbmLikelihood(series: ReturnSeries): PriceModelLikelihood {
  const { returns, dt } = series;
  const moments = returnMoments(series);
  const sigma0 = moments.stdDev / Math.sqrt(dt);
  const drift = unbounded(sigma0 / Math.sqrt(dt));
  const volatility = positive(sigma0);
  const valid = (theta: readonly number[]): boolean => (theta[1] ?? 0) > 0 && Number.isFinite(theta[0]);
  const stepLaw = (theta: readonly number[]): { mean: number; variance: number } => {
    const [mu = 0, sigma = 0] = theta;
    return { mean: (mu - 0.5 * sigma * sigma) * dt, variance: sigma * sigma * dt };
  };
  return {
    model: "gbm",
    series,
    observations: series.observed,
    parameters: [{ field: "drift", typical: sigma0 }, { field: "volatility", typical: sigma0 }],
    toFree: (theta) => [drift.toFree(theta[0] ?? 0), volatility.toFree(theta[1] ?? sigma0)],
    fromFree: (u) => [drift.toNatural(u[0] ?? 0), volatility.toNatural(u[1] ?? 0)],
    freeDerivatives: (u) => [drift.derivative(u[0] ?? 0), volatility.derivative(u[1] ?? 0)],
    negativeLogLikelihood(theta) {
      if (!valid(theta)) return Number.POSITIVE_INFINITY;
      const { mean, variance } = stepLaw(theta);
      let sum = 0;
      for (const r of returns) if (!Number.isNaN(r)) sum += (r - mean) * (r - mean);
      return 0.5 * series.observed * Math.log(2 * Math.PI * variance) + sum / (2 * variance);
    },
    gradient(theta) {
      // d/dmu: the mean moves by dt; d/dsigma: the mean by -sigma dt, the variance by 2 sigma dt.
      const { mean, variance } = stepLaw(theta);
      const sigma = theta[1] ?? 0;
      let first = 0;
      let second = 0;
      for (const r of returns) {
        if (Number.isNaN(r)) continue;
        first += (r - mean) / variance;
        second += 0.5 * ((r - mean) * (r - mean) / (variance * variance) - 1 / variance);
      }
      return [-first * dt, -(first * -sigma * dt + second * 2 * sigma * dt)];
    },
    startingPoints: () => [0.5, 1, 2].map((k) => [moments.mean / dt + 0.5 * (sigma0 * k) ** 2, sigma0 * k]),
    probabilityIntegralTransforms(theta) {
      const { mean, variance } = stepLaw(theta);
      const sd = Math.sqrt(variance);
      return returns.map((r) => (Number.isNaN(r) ? Number.NaN : normalCdf((r - mean) / sd)));
    },
    expectedMovesBeyond(theta, threshold) {
      const { mean, variance } = stepLaw(theta);
      const sd = Math.sqrt(variance);
      return series.observed * (1 - normalCdf((Math.log1p(threshold) - mean) / sd) + normalCdf((Math.log1p(-threshold) - mean) / sd));
    },
    squaredReturnAutocorrelation: (_theta, lags) => new Array<number>(lags).fill(0),
    scenarioModel: (theta) => ({ kind: "gbm", drift: theta[0] ?? 0, volatility: theta[1] ?? 0 }),
  };
}
