import { standardNormalQuantile } from "@mstress/core";
import { quantileSorted, sortedCopy } from "../statistics/quantile.js";
import { sampleMoments } from "../statistics/sample-moments.js";
import { survivalCurve } from "../statistics/survival-curve.js";
import type { SurvivalPoint } from "../statistics/survival-curve.js";
import { expectedShortfall, valueAtRisk } from "../statistics/value-at-risk.js";
import { wilsonInterval } from "../statistics/wilson-interval.js";
import type { ModeOutcomes } from "./mode-outcomes.js";
import { validateModeOutcomes } from "./validate-mode-outcomes.js";

export interface SummariseModeOptions {
  readonly horizonSeconds: number;
  // Two-sided level of the Wilson intervals; 0.95 when absent.
  readonly confidence?: number;
}

// Every figure is a finite number or null ("undefined for this sample"), so the summary survives JSON unchanged.
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
  readonly lossGivenLiquidation: { readonly mean: number; readonly median: number; readonly p95: number } | null;
  // Medians over the paths where the event happened (conditional on it), in seconds; null when it never did.
  readonly medianTimeToLiquidation: number | null;
  readonly medianTimeToHedgeBreak: number | null;
  readonly survival: readonly SurvivalPoint[];
  readonly pnl: {
    readonly mean: number;
    // Sample standard deviation (n − 1); null for a single path.
    readonly stdDev: number | null;
    readonly quantiles: {
      readonly p01: number;
      readonly p05: number;
      readonly p25: number;
      readonly p50: number;
      readonly p75: number;
      readonly p95: number;
      readonly p99: number;
    };
  };
  readonly valueAtRisk: { readonly p95: number; readonly p99: number };
  readonly expectedShortfall: { readonly p95: number; readonly p99: number };
  readonly fundingReceived: { readonly mean: number };
  // The two sides of the net funding as positive amounts: means of max(f, 0) and max(−f, 0) over paths, f a
  // path's net funding. A route earns on the first; the second is drag, with the fees.
  readonly fundingEarned: { readonly mean: number };
  readonly fundingPaid: { readonly mean: number };
  readonly tradingFees: { readonly mean: number };
  readonly liquidationFees: { readonly mean: number };
  readonly capitalReserved: { readonly mean: number; readonly max: number };
  readonly aprOnCapital: number | null;
  // Over paths that ever had a liquidation price; null when none did.
  readonly minDistanceToLiquidation: { readonly p05: number; readonly median: number } | null;
  // The route PnL's largest peak-to-trough fall per path; present when the outcomes carry it.
  readonly maxDrawdown?: { readonly mean: number; readonly median: number; readonly p95: number; readonly max: number };
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
      : { mean: sampleMoments(losses).mean, median: quantileSorted(sortedLosses, 0.5), p95: quantileSorted(sortedLosses, 0.95) };

  const grid: number[] = [];
  for (let step = 0; step <= survivalSteps; step++) grid.push((horizonSeconds * step) / survivalSteps);

  const pnlMoments = sampleMoments(columns.pnl);
  const sortedPnl = sortedCopy(columns.pnl);
  const pnlQuantile = (p: number): number => quantileSorted(sortedPnl, p);

  const capital = sampleMoments(columns.capitalReserved);
  let maxCapital = 0;
  for (const reserved of columns.capitalReserved) maxCapital = Math.max(maxCapital, reserved);

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
            median: quantileSorted(drawdowns, 0.5),
            p95: quantileSorted(drawdowns, 0.95),
            max: quantileSorted(drawdowns, 1),
          },
        };

  const distances = sortedCopy(where(columns.minDistanceToLiquidation, (value) => !Number.isNaN(value)));

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
    medianTimeToLiquidation: median(where(columns.liquidatedAt, (value) => !Number.isNaN(value))),
    medianTimeToHedgeBreak: median(where(columns.hedgeBrokenAt, (value) => !Number.isNaN(value))),
    survival: survivalCurve(columns.liquidatedAt, grid),
    pnl: {
      mean: pnlMoments.mean,
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
    },
    valueAtRisk: { p95: valueAtRisk(columns.pnl, 0.95), p99: valueAtRisk(columns.pnl, 0.99) },
    expectedShortfall: { p95: expectedShortfall(columns.pnl, 0.95), p99: expectedShortfall(columns.pnl, 0.99) },
    fundingReceived: { mean: sampleMoments(columns.fundingReceived).mean },
    fundingEarned: { mean: fundingEarned + 0 },
    fundingPaid: { mean: fundingPaid + 0 },
    tradingFees: { mean: sampleMoments(columns.tradingFees).mean },
    liquidationFees: { mean: sampleMoments(columns.liquidationFees).mean },
    capitalReserved: { mean: capital.mean, max: maxCapital },
    // Simple annualisation, no compounding: (mean PnL / mean capital) · (365 d / horizon). A ratio of means, i.e.
    // total PnL over total capital across paths, so a path that reserved almost nothing cannot dominate it.
    aprOnCapital: capital.mean === 0 ? null : (pnlMoments.mean / capital.mean) * (secondsPerYear / horizonSeconds),
    minDistanceToLiquidation:
      distances.length === 0 ? null : { p05: quantileSorted(distances, 0.05), median: quantileSorted(distances, 0.5) },
    ...maxDrawdown,
  };
  assertFinite(summary, "summary");
  return summary;
}
