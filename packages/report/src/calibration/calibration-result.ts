import type { FileSummary, HistoryGaps, TimestampUnit } from "@mstress/core";
import type { KolmogorovSmirnov } from "./goodness-of-fit.js";

// What `mstress calibrate` found, as plain data: the page, the terminal table and `--json` are all built from it.

/** A fitted value in the scenario's units with its standard error (null at a bound or where it is undefined). */
export interface EstimatedValue {
  readonly value: number;
  readonly standardError: number | null;
}

export interface FittedModelResult {
  readonly model: string;
  /** Each parameter under its scenario field, dotted within the model block (`jumps.up.intensity`). */
  readonly parameters: readonly ({ readonly field: string } & EstimatedValue)[];
  readonly logLikelihood: number;
  readonly aic: number;
  readonly bic: number;
  readonly notes: readonly string[];
  readonly kolmogorovSmirnov: KolmogorovSmirnov;
  /** Expected counts of moves beyond each threshold, in the order of `CalibrationResult.thresholds`. */
  readonly expectedMovesBeyond: readonly number[];
  /** The model's autocorrelation of squared returns at lags 1..; null where it does not exist. */
  readonly squaredReturnAutocorrelation: readonly number[] | null;
}

export interface PriceDataSummary {
  readonly files: readonly (FileSummary & { readonly sha256: string })[];
  readonly stepSeconds: number;
  readonly stepInferred: boolean;
  /** Unix seconds of the first and last rows used. */
  readonly first: number;
  readonly last: number;
  readonly rows: number;
  readonly returns: number;
  readonly duplicates: number;
  readonly differingDuplicates: number;
  readonly gaps: HistoryGaps;
  readonly filled: number;
  readonly unbracketedBars: number;
  /** The close-to-close hourly moments of the returns, for orientation. */
  readonly annualisedVolatility: number;
  readonly kurtosis: number;
}

export interface FundingResult {
  readonly files: readonly (FileSummary & { readonly sha256: string })[];
  readonly instrument: string | null;
  readonly settlements: number;
  readonly intervalHours: number;
  readonly gaps: HistoryGaps;
  readonly duplicates: number;
  readonly mean: EstimatedValue;
  readonly stdDev: EstimatedValue;
  /** Seconds. */
  readonly halfLife: EstimatedValue;
  readonly returnCoupling: (EstimatedValue & { readonly observations: number }) | null;
  readonly capHits: { readonly venue: string; readonly symbol: string; readonly cap: number; readonly floor: number; readonly atCap: number; readonly atFloor: number } | null;
  readonly notes: readonly string[];
}

export interface CalibrationResult {
  readonly asset: string;
  readonly data: PriceDataSummary;
  /** Simple-move thresholds of the tail counts (0.05 = beyond +-5 %). */
  readonly thresholds: readonly number[];
  readonly observedMovesBeyond: readonly number[];
  readonly squaredReturnAutocorrelation: readonly number[];
  readonly models: readonly FittedModelResult[];
  readonly recommendation: Recommendation;
  readonly funding: FundingResult | null;
  /** The `market.assets.<ASSET>` block to paste, YAML. */
  readonly yaml: string;
}

export interface Recommendation {
  readonly model: string;
  /** One line: why. */
  readonly reason: string;
}

/** The timestamp units, as the output names them. */
export function timestampUnitLabel(unit: TimestampUnit): string {
  return unit === "iso-8601" ? "ISO-8601 (UTC where no offset)" : unit;
}
