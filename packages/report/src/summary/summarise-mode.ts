import { standardNormalQuantile } from "@mstress/core";
import { quantileSorted, sortedCopy } from "../statistics/quantile.js";
import { sampleMoments } from "../statistics/sample-moments.js";
import { survivalCurve } from "../statistics/survival-curve.js";
import type { SurvivalPoint } from "../statistics/survival-curve.js";
import { expectedShortfall, valueAtRisk } from "../statistics/value-at-risk.js";
import { expectedShortfallInterval } from "../statistics/expected-shortfall-interval.js";
import { meanInterval } from "../statistics/mean-interval.js";
import { quantileInterval } from "../statistics/quantile-interval.js";
import { ratioOfMeansInterval } from "../statistics/ratio-of-means-interval.js";
import { wilsonInterval } from "../statistics/wilson-interval.js";
import type { ModeOutcomes } from "./mode-outcomes.js";
import { validateModeOutcomes } from "./validate-mode-outcomes.js";

export interface SummariseModeOptions {
  readonly horizonSeconds: number;
  // Two-sided level of the Wilson intervals; 0.95 when absent.
  readonly confidence?: number;
}

/**
 * A figure's interval at the summary's confidence, [low, high]; null where the sample cannot give one (a single
 * path, a tail of one). Means: normal with the sample sd (mean-interval.ts); quantiles, VaR and medians: order
 * statistics (quantile-interval.ts); ES: its influence function (expected-shortfall-interval.ts); APR: the delta
 * method on the ratio of mean PnL to mean capital (ratio-of-means-interval.ts).
 */
export type FigureInterval = readonly [number, number] | null;

type Quantiles = { readonly p01: number; readonly p05: number; readonly p25: number; readonly p50: number; readonly p75: number; readonly p95: number; readonly p99: number };

// Every figure is a finite number or null ("undefined for this sample"), so the summary survives JSON unchanged.
// Each figure a limit or a sign-off can quote carries its interval in a sibling field named `<figure>Ci`.
export interface ModeSummary {
  readonly paths: number;
  readonly horizonSeconds: number;
  readonly confidence: number;
  readonly liquidations: number;
  readonly liquidationProbability: number;
  readonly liquidationProbabilityCi: readonly [number, number];
  readonly hedgeBreaks: number;
  readonly hedgeBrokenProbability: number;
  readonly hedgeBrokenProbabilityCi: readonly [number, number];
  // Over liquidated paths only; null when none was liquidated.
  readonly lossGivenLiquidation: { readonly mean: number; readonly meanCi: FigureInterval; readonly median: number; readonly medianCi: FigureInterval; readonly p95: number; readonly p95Ci: FigureInterval } | null;
  /**
   * The route's final PnL over liquidated paths only, and how many of them still ended in profit: a liquidated
   * short whose spot kept the rally's gain (the route left long spot, unhedged). Null when none was liquidated.
   */
  readonly pnlGivenLiquidation: { readonly mean: number; readonly meanCi: FigureInterval; readonly positive: number } | null;
  // Medians over the paths where the event happened (conditional on it), in seconds; null when it never did.
  readonly medianTimeToLiquidation: number | null;
  readonly medianTimeToHedgeBreak: number | null;
  readonly survival: readonly SurvivalPoint[];
  readonly pnl: {
    readonly mean: number;
    readonly meanCi: FigureInterval;
    // Sample standard deviation (n − 1); null for a single path.
    readonly stdDev: number | null;
    readonly quantiles: Quantiles;
    readonly quantilesCi: { readonly [K in keyof Quantiles]: FigureInterval };
  };
  readonly valueAtRisk: { readonly p95: number; readonly p99: number; readonly p95Ci: FigureInterval; readonly p99Ci: FigureInterval };
  readonly expectedShortfall: { readonly p95: number; readonly p99: number; readonly p95Ci: FigureInterval; readonly p99Ci: FigureInterval };
  readonly fundingReceived: { readonly mean: number; readonly meanCi: FigureInterval };
  // The two sides of the net funding as positive amounts: means of max(f, 0) and max(−f, 0) over paths, f a
  // path's net funding. A route earns on the first; the second is drag, with the fees.
  readonly fundingEarned: { readonly mean: number };
  readonly fundingPaid: { readonly mean: number };
  readonly tradingFees: { readonly mean: number };
  readonly liquidationFees: { readonly mean: number };
  readonly capitalEmployed: { readonly mean: number; readonly max: number };
  readonly aprOnCapital: number | null;
  readonly aprOnCapitalCi: FigureInterval;
  // Over paths that ever had a liquidation price; null when none did.
  readonly minDistanceToLiquidation: { readonly p05: number; readonly p05Ci: FigureInterval; readonly median: number; readonly medianCi: FigureInterval } | null;
  // The route PnL's largest peak-to-trough fall per path; present when the outcomes carry it.
  readonly maxDrawdown?: { readonly mean: number; readonly meanCi: FigureInterval; readonly median: number; readonly p95: number; readonly p95Ci: FigureInterval; readonly max: number };
  // Auto-deleveraging: paths where the venue closed a leg, and how the hedge broke (by a liquidation or by an ADL
  // close); present when the outcomes carry them.
  readonly adls?: number;
  readonly adlProbability?: number;
  readonly adlProbabilityCi?: readonly [number, number];
  readonly hedgeBrokenByLiquidationProbability?: number;
  readonly hedgeBrokenByAdlProbability?: number;
  readonly hedgeBrokenByAdlProbabilityCi?: readonly [number, number];
}

const secondsPerYear = 365 * 24 * 60 * 60;
const survivalSteps = 30;

// The values of `column` on the paths where `keep` holds, in path order.
function where(column: Float64Array, keep: (value: number, path: number) => boolean): Float64Array {
  const kept: number[] = [];
  for (let path = 0; path < column.length; path++) {
    const value = column[path] ?? Number.NaN;
    if (keep(value, path)) kept.push(value);
  }
  return Float64Array.from(kept);
}

function count(flags: Float64Array): number {
  let events = 0;
  for (const flag of flags) if (flag === 1) events++;
  return events;
}

function median(values: Float64Array): number | null {
  return values.length === 0 ? null : quantileSorted(sortedCopy(values), 0.5);
}

function assertFinite(value: unknown, path: string): void {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`summariseMode: ${path} came out as ${value} (overflow in the inputs?)`);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => { assertFinite(item, `${path}[${index}]`); });
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) assertFinite(item, `${path}.${key}`);
  }
}

/**
 * The per-mode figures docs/domain.md asks a run to report ("What a run must report"), from the per-path outcomes of
 * one margin mode. Probabilities are event counts over paths with Wilson (1927) intervals at the requested
 * confidence, z = Φ⁻¹(1 − (1 − confidence)/2). Quantiles are Hyndman & Fan type 7, VaR and ES as in
 * value-at-risk.ts, means and the PnL standard deviation by Welford's update (sample-moments.ts); every reduction
 * runs in path order, so the same outcomes give a bit-identical summary. The input is validated first
 * (validate-mode-outcomes.ts), and a non-finite figure (only possible by overflow) throws rather than becoming a
 * null that would read as "not applicable". Tested on a hand-computed five-path example and edge cases in
 * summarise-mode.test.ts.
 */
export function summariseMode(outcomes: ModeOutcomes, options: SummariseModeOptions): ModeSummary {
  const { horizonSeconds } = options;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`summariseMode: confidence must be in (0, 1), got ${confidence}`);
  validateModeOutcomes(outcomes, horizonSeconds);
  const { paths, columns } = outcomes;
  const z = standardNormalQuantile(1 - (1 - confidence) / 2);

  const liquidations = count(columns.liquidated);
  const hedgeBreaks = count(columns.hedgeBroken);
  const isLiquidated = (_: number, path: number): boolean => columns.liquidated[path] === 1;

  const losses = where(columns.loss, isLiquidated);
  const sortedLosses = sortedCopy(losses);
  const lossGivenLiquidation =
    losses.length === 0
      ? null
      : {
          mean: sampleMoments(losses).mean,
          meanCi: meanInterval(losses, z),
          median: quantileSorted(sortedLosses, 0.5),
          medianCi: quantileInterval(sortedLosses, 0.5, z),
          p95: quantileSorted(sortedLosses, 0.95),
          p95Ci: quantileInterval(sortedLosses, 0.95, z),
        };

  const liquidatedPnl = where(columns.pnl, isLiquidated);
  const pnlGivenLiquidation = liquidatedPnl.length === 0 ? null : { mean: sampleMoments(liquidatedPnl).mean, meanCi: meanInterval(liquidatedPnl, z), positive: count(liquidatedPnl.map((pnl) => (pnl > 0 ? 1 : 0))) };

  const grid: number[] = [];
  for (let step = 0; step <= survivalSteps; step++) grid.push((horizonSeconds * step) / survivalSteps);

  const pnlMoments = sampleMoments(columns.pnl);
  const sortedPnl = sortedCopy(columns.pnl);
  const pnlQuantile = (p: number): number => quantileSorted(sortedPnl, p);
  const pnlQuantileCi = (p: number): FigureInterval => quantileInterval(sortedPnl, p, z);
  // VaR is the loss at the (1 - level) quantile: its interval is that quantile's, negated.
  const lossInterval = (interval: FigureInterval): FigureInterval => (interval === null ? null : [-interval[1] + 0, -interval[0] + 0]);
  const var95 = valueAtRisk(columns.pnl, 0.95);
  const var99 = valueAtRisk(columns.pnl, 0.99);
  const es95 = expectedShortfall(columns.pnl, 0.95);
  const es99 = expectedShortfall(columns.pnl, 0.99);

  const capital = sampleMoments(columns.capitalEmployed);
  let maxCapital = 0;
  for (const reserved of columns.capitalEmployed) maxCapital = Math.max(maxCapital, reserved);

  const funding = columns.fundingReceived;
  const fundingEarned = sampleMoments(funding.map((f) => Math.max(f, 0))).mean;
  const fundingPaid = sampleMoments(funding.map((f) => Math.max(-f, 0))).mean;
  const drawdowns = columns.maxDrawdown === undefined ? null : sortedCopy(columns.maxDrawdown);
  const maxDrawdown =
    columns.maxDrawdown === undefined || drawdowns === null
      ? {}
      : {
          maxDrawdown: {
            mean: sampleMoments(columns.maxDrawdown).mean,
            meanCi: meanInterval(columns.maxDrawdown, z),
            median: quantileSorted(drawdowns, 0.5),
            p95: quantileSorted(drawdowns, 0.95),
            p95Ci: quantileInterval(drawdowns, 0.95, z),
            max: quantileSorted(drawdowns, 1),
          },
        };

  const distances = sortedCopy(where(columns.minDistanceToLiquidation, (value) => !Number.isNaN(value)));
  const adl =
    columns.adl === undefined || columns.hedgeBrokenByAdl === undefined
      ? {}
      : adlFigures(count(columns.adl), count(columns.hedgeBrokenByAdl), hedgeBreaks, paths, z);

  const summary: ModeSummary = {
    paths,
    horizonSeconds,
    confidence,
    liquidations,
    liquidationProbability: liquidations / paths,
    liquidationProbabilityCi: wilsonInterval(liquidations, paths, z),
    hedgeBreaks,
    hedgeBrokenProbability: hedgeBreaks / paths,
    hedgeBrokenProbabilityCi: wilsonInterval(hedgeBreaks, paths, z),
    lossGivenLiquidation,
    pnlGivenLiquidation,
    medianTimeToLiquidation: median(where(columns.liquidatedAt, (value) => !Number.isNaN(value))),
    medianTimeToHedgeBreak: median(where(columns.hedgeBrokenAt, (value) => !Number.isNaN(value))),
    survival: survivalCurve(columns.liquidatedAt, grid),
    pnl: {
      mean: pnlMoments.mean,
      meanCi: meanInterval(columns.pnl, z),
      stdDev: pnlMoments.stdDev,
      quantiles: {
        p01: pnlQuantile(0.01),
        p05: pnlQuantile(0.05),
        p25: pnlQuantile(0.25),
        p50: pnlQuantile(0.5),
        p75: pnlQuantile(0.75),
        p95: pnlQuantile(0.95),
        p99: pnlQuantile(0.99),
      },
      quantilesCi: {
        p01: pnlQuantileCi(0.01),
        p05: pnlQuantileCi(0.05),
        p25: pnlQuantileCi(0.25),
        p50: pnlQuantileCi(0.5),
        p75: pnlQuantileCi(0.75),
        p95: pnlQuantileCi(0.95),
        p99: pnlQuantileCi(0.99),
      },
    },
    valueAtRisk: { p95: var95, p99: var99, p95Ci: lossInterval(pnlQuantileCi(1 - 0.95)), p99Ci: lossInterval(pnlQuantileCi(1 - 0.99)) },
    expectedShortfall: {
      p95: es95,
      p99: es99,
      p95Ci: expectedShortfallInterval(sortedPnl, 0.95, var95, es95, z),
      p99Ci: expectedShortfallInterval(sortedPnl, 0.99, var99, es99, z),
    },
    fundingReceived: { mean: sampleMoments(columns.fundingReceived).mean, meanCi: meanInterval(columns.fundingReceived, z) },
    fundingEarned: { mean: fundingEarned + 0 },
    fundingPaid: { mean: fundingPaid + 0 },
    tradingFees: { mean: sampleMoments(columns.tradingFees).mean },
    liquidationFees: { mean: sampleMoments(columns.liquidationFees).mean },
    capitalEmployed: { mean: capital.mean, max: maxCapital },
    // Simple annualisation, no compounding: (mean PnL / mean capital) · (365 d / horizon). A ratio of means, i.e.
    // total PnL over total capital across paths, so a path that reserved almost nothing cannot dominate it.
    aprOnCapital: capital.mean === 0 ? null : (pnlMoments.mean / capital.mean) * (secondsPerYear / horizonSeconds),
    aprOnCapitalCi: capital.mean === 0 ? null : ratioOfMeansInterval(columns.pnl, columns.capitalEmployed, z, secondsPerYear / horizonSeconds),
    minDistanceToLiquidation:
      distances.length === 0
        ? null
        : { p05: quantileSorted(distances, 0.05), p05Ci: quantileInterval(distances, 0.05, z), median: quantileSorted(distances, 0.5), medianCi: quantileInterval(distances, 0.5, z) },
    ...maxDrawdown,
    ...adl,
  };
  assertFinite(summary, "summary");
  return summary;
}

/** The ADL figures: paths with an ADL close, and the hedge breaks split by cause. */
function adlFigures(adls: number, brokenByAdl: number, hedgeBreaks: number, paths: number, z: number): Partial<ModeSummary> {
  return {
    adls,
    adlProbability: adls / paths,
    adlProbabilityCi: wilsonInterval(adls, paths, z),
    hedgeBrokenByLiquidationProbability: (hedgeBreaks - brokenByAdl) / paths,
    hedgeBrokenByAdlProbability: brokenByAdl / paths,
    hedgeBrokenByAdlProbabilityCi: wilsonInterval(brokenByAdl, paths, z),
  };
}
