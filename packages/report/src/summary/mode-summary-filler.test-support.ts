import type { ModeSummary } from "./summarise-mode.js";

/**
 * For tests of what reads a few figures of a mode's summary (the sweep, the trend): a ModeSummary of 1,000 paths
 * with the given figures and filler everywhere else. Test support only: the build leaves it out.
 */
export function modeSummaryWith(figures: Partial<ModeSummary>): ModeSummary {
  return {
    paths: 1_000,
    horizonSeconds: 86_400,
    confidence: 0.95,
    liquidations: 0,
    liquidationProbability: 0,
    liquidationProbabilityCi: [0, 0.0038],
    hedgeBreaks: 0,
    hedgeBrokenProbability: 0,
    hedgeBrokenProbabilityCi: [0, 0.0038],
    lossGivenLiquidation: null,
    pnlGivenLiquidation: null,
    medianTimeToLiquidation: null,
    medianTimeToHedgeBreak: null,
    survival: [],
    pnl: pnlWithMean(0),
    valueAtRisk: { p95: 0, p99: 0, p95Ci: null, p99Ci: null },
    expectedShortfall: { p95: 0, p99: 0, p95Ci: null, p99Ci: null },
    fundingReceived: { mean: 0, meanCi: null },
    fundingEarned: { mean: 0 },
    fundingPaid: { mean: 0 },
    tradingFees: { mean: 0 },
    liquidationFees: { mean: 0 },
    capitalEmployed: { mean: 3_000, max: 3_000 },
    aprOnCapital: null,
    aprOnCapitalCi: null,
    minDistanceToLiquidation: null,
    ...figures,
  };
}

/** A PnL block with this mean, a unit standard deviation and zero quantiles, no intervals. */
export function pnlWithMean(mean: number): ModeSummary["pnl"] {
  const none = { p01: null, p05: null, p25: null, p50: null, p75: null, p95: null, p99: null };
  return { mean, meanCi: null, stdDev: 1, quantiles: { p01: 0, p05: 0, p25: 0, p50: 0, p75: 0, p95: 0, p99: 0 }, quantilesCi: none };
}
