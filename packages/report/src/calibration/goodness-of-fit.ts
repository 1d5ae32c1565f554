import { standardNormalQuantile } from "@mstress/core";

// What a researcher checks after a fit, on the returns and on the model's probability-integral transforms (PITs):
// the Kolmogorov-Smirnov distance of the PITs from uniform, the count of large moves, the sample autocorrelation of
// squared returns, and the points of a normal QQ chart of the PITs. NaN marks a step with no observed return.

export interface KolmogorovSmirnov {
  /** sup |F_n(u) - u| over the observed PITs. */
  readonly statistic: number;
  /** P(D >= statistic) if the model were right (asymptotic, with Stephens' small-sample correction). */
  readonly pValue: number;
  readonly observations: number;
}

/**
 * The one-sample Kolmogorov-Smirnov test of PITs against Uniform(0, 1): D = max over the sorted u_(i) of
 * max(i/n - u_(i), u_(i) - (i-1)/n). The p-value is Kolmogorov's limit law Q(l) = 2 sum_{k>=1} (-1)^(k-1)
 * e^(-2 k^2 l^2) at l = (sqrt(n) + 0.12 + 0.11/sqrt(n)) D (Stephens 1970; Numerical Recipes 3rd ed., §14.3.3),
 * accurate to a few per cent of p for n above about 20, and here n is in the tens of thousands. The parameters
 * are estimated from the same data, which makes the test conservative (a true model's p-values are too high).
 */
export function kolmogorovSmirnovUniform(pits: Float64Array): KolmogorovSmirnov {
  const sorted = Float64Array.from([...pits].filter((u) => !Number.isNaN(u))).sort();
  const n = sorted.length;
  let statistic = 0;
  sorted.forEach((u, i) => {
    statistic = Math.max(statistic, (i + 1) / n - u, u - i / n);
  });
  const root = Math.sqrt(n);
  return { statistic, pValue: kolmogorovSurvival((root + 0.12 + 0.11 / root) * statistic), observations: n };
}

/** Q_KS(l) = P(K > l) for Kolmogorov's distribution; the series converges fast for l above about 0.3. */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** Observed steps whose simple move exceeds +threshold or falls below -threshold (0.05: beyond +-5 %). */
export function movesBeyond(returns: Float64Array, threshold: number): number {
  const up = Math.log1p(threshold);
  const down = Math.log1p(-threshold);
  let count = 0;
  for (const r of returns) if (r > up || r < down) count++;
  return count;
}

/**
 * The sample autocorrelation of squared (demeaned) returns at lags 1..lags: volatility clustering shows as
 * positive values that decay slowly. Pairs with a missing step are skipped. Under independence each is about
 * N(0, 1/n), hence the band +-1.96 / sqrt(n) drawn with it.
 */
export function squaredReturnAutocorrelation(returns: Float64Array, lags: number): number[] {
  let sum = 0;
  let count = 0;
  for (const r of returns) {
    if (Number.isNaN(r)) continue;
    sum += r;
    count++;
  }
  const mean = sum / count;
  const squares = returns.map((r) => (Number.isNaN(r) ? Number.NaN : (r - mean) * (r - mean)));
  let squareSum = 0;
  for (const x of squares) if (!Number.isNaN(x)) squareSum += x;
  const squareMean = squareSum / count;
  let variance = 0;
  for (const x of squares) if (!Number.isNaN(x)) variance += (x - squareMean) * (x - squareMean);
  return Array.from({ length: lags }, (_, index) => {
    const lag = index + 1;
    let covariance = 0;
    for (let s = lag; s < squares.length; s++) {
      const a = squares[s] ?? Number.NaN;
      const b = squares[s - lag] ?? Number.NaN;
      if (!Number.isNaN(a) && !Number.isNaN(b)) covariance += (a - squareMean) * (b - squareMean);
    }
    return covariance / variance;
  });
}

/** One point of a normal QQ chart: the normal quantile of a rank against the normal score of that rank's PIT. */
export interface QuantilePoint {
  readonly theoretical: number;
  readonly observed: number;
}

/**
 * A normal QQ chart of PITs, thinned for the page: every one of the `tail` most extreme ranks at each end (where
 * the models differ) and `body` ranks evenly spaced between. A PIT of exactly 0 or 1 (beyond the CDF's double
 * precision) is held 1e-16 inside, so its score is finite (about +-8.2).
 */
export function normalQuantilePoints(pits: Float64Array, body = 300, tail = 60): QuantilePoint[] {
  const sorted = Float64Array.from([...pits].filter((u) => !Number.isNaN(u))).sort();
  const n = sorted.length;
  const ranks = new Set<number>();
  for (let i = 0; i < Math.min(tail, n); i++) {
    ranks.add(i);
    ranks.add(n - 1 - i);
  }
  for (let k = 0; k <= body; k++) ranks.add(Math.round((k / body) * (n - 1)));
  return [...ranks]
    .sort((a, b) => a - b)
    .map((i) => ({
      theoretical: standardNormalQuantile((i + 0.5) / n),
      observed: standardNormalQuantile(Math.min(1 - 1e-16, Math.max(1e-16, sorted[i] ?? 0.5))),
    }));
}
