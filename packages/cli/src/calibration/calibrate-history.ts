import { MstressError, fittedAssetYaml, isoTime, joinFundingHistory, joinPriceHistory, perpetualTerms, type FundingFormat, type PriceHistory } from "@mstress/core";
import {
  fitFunding,
  fitPriceModel,
  garchTLikelihood,
  gbmLikelihood,
  jumpDiffusionLikelihood,
  stepReturns,
  type FittedModel,
  type FundingFit,
  type ModelFit,
  type PriceModelLikelihood,
  type ReturnSeries,
} from "@mstress/sim/calibration";
import {
  kolmogorovSmirnovUniform,
  movesBeyond,
  recommendModel,
  squaredReturnAutocorrelation,
  type CalibrationResult,
  type FittedModelResult,
  type FundingResult,
  type PriceDataSummary,
} from "@mstress/report";
import type { ReadHistoryFile } from "../history/read-history-files.js";
import { loadVenue } from "../venues/load-venue.js";

export interface CalibrateOptions {
  readonly asset: string;
  readonly step?: number;
  readonly from?: number;
  readonly to?: number;
  readonly models: readonly FittedModel[];
  readonly fill: "none" | "previous";
  readonly venue?: string;
  readonly symbol?: string;
}

/** What a calibration produced: the result the outputs are built from, and what they need besides. */
export interface CalibrationRun {
  readonly result: CalibrationResult;
  readonly pits: ReadonlyMap<string, Float64Array>;
  readonly fits: readonly ModelFit[];
  readonly history: PriceHistory;
  readonly fundingFit: FundingFit | null;
}

/** Simple-move thresholds of the tail counts: beyond +-5 % and +-10 %. */
export const tailThresholds = [0.05, 0.1] as const;
/** Lags of the squared-return autocorrelation: two days of hourly steps. */
export const autocorrelationLags = 48;
/** Fewer returns than this say too little about tails and clustering to fit eight parameters. */
const minimumReturns = 500;

const likelihoods: Readonly<Record<FittedModel, (series: ReturnSeries) => PriceModelLikelihood>> = { gbm: gbmLikelihood, "jump-diffusion": jumpDiffusionLikelihood, "garch-t": garchTLikelihood };

/** The venue whose cap a funding file's settlements are checked against, by the file's format. */
const venueOfFormat: Readonly<Record<FundingFormat, string>> = {
  "binance-funding-csv": "binance-usdm",
  "binance-funding-json": "binance-usdm",
  "bybit-funding-json": "bybit-linear",
  "okx-funding-json": "okx-swap",
  "hyperliquid-funding-json": "hyperliquid",
};

/**
 * Fits every requested price model to the joined history, checks each fit (probability-integral transforms, KS,
 * large moves, squared-return autocorrelation), recommends the lowest BIC, fits the funding process when funding
 * files are given, and writes the block to paste. `progress` hears one line per model fitted.
 */
export function calibrateHistory(prices: readonly ReadHistoryFile[], funding: readonly ReadHistoryFile[], options: CalibrateOptions, progress: (line: string) => void): CalibrationRun {
  const history = joinPriceHistory(prices.flatMap((file) => file.prices), { ...optional({ step: options.step, from: options.from, to: options.to }), fill: options.fill });
  const series = stepReturns(history.rows.map((r) => r.time), history.rows.map((r) => r.close), history.step);
  if (series.observed < minimumReturns) throw new MstressError("E_BAD_INPUT", `prices: expected at least ${String(minimumReturns)} one-step returns to fit, got ${String(series.observed)}${options.from !== undefined || options.to !== undefined ? " in --from/--to" : ""}`);
  const pits = new Map<string, Float64Array>();
  const fits: ModelFit[] = [];
  const models: FittedModelResult[] = options.models.map((model) => {
    progress(`fitting ${model} to ${series.observed.toLocaleString("en-US")} returns`);
    const likelihood = likelihoods[model](series);
    const fit = fitPriceModel(likelihood);
    fits.push(fit);
    const pit = likelihood.probabilityIntegralTransforms(fit.theta);
    pits.set(model, pit);
    return {
      model,
      parameters: fit.parameters,
      logLikelihood: fit.logLikelihood,
      aic: fit.aic,
      bic: fit.bic,
      notes: fit.notes,
      kolmogorovSmirnov: kolmogorovSmirnovUniform(pit),
      expectedMovesBeyond: tailThresholds.map((t) => likelihood.expectedMovesBeyond(fit.theta, t)),
      squaredReturnAutocorrelation: likelihood.squaredReturnAutocorrelation(fit.theta, autocorrelationLags),
    };
  });
  const recommendation = recommendModel(models);
  const chosen = fits.find((fit) => fit.model === recommendation.model);
  if (chosen === undefined) throw new RangeError("calibrateHistory: the recommended model was not fitted");
  const fundingRun = funding.length === 0 ? null : calibrateFunding(funding, history, options);
  const lastClose = history.rows[history.rows.length - 1]?.close ?? 0;
  const data = dataSummary(prices, history, series);
  const fundingProcess = fundingRun?.fit.process.parameters;
  const yaml = fittedAssetYaml(
    options.asset,
    {
      price: lastClose,
      model: chosen.scenarioModel,
      funding: fundingProcess === undefined ? null : { mean: fundingProcess[0]?.value ?? 0, stdDev: fundingProcess[1]?.value ?? 0, halfLife: fundingProcess[2]?.value ?? 0, returnCoupling: fundingRun?.fit.returnCoupling?.value ?? 0 },
    },
    fittedComment(data, recommendation.model, recommendation.reason),
  );
  return {
    result: {
      asset: options.asset,
      data,
      thresholds: [...tailThresholds],
      observedMovesBeyond: tailThresholds.map((t) => movesBeyond(series.returns, t)),
      squaredReturnAutocorrelation: squaredReturnAutocorrelation(series.returns, autocorrelationLags),
      models,
      recommendation,
      funding: fundingRun?.result ?? null,
      yaml,
    },
    pits,
    fits,
    history,
    fundingFit: fundingRun?.fit ?? null,
  };
}

/** The comment that says where a fitted block came from: file, SHA-256, range, model choice. */
export function fittedComment(data: PriceDataSummary, model: string, reason: string): string[] {
  const files = data.files.map((f) => `${f.origin} (sha256 ${f.sha256})`).join(", ");
  return [
    `Fitted by mstress calibrate to ${files},`,
    `${isoTime(data.first)} to ${isoTime(data.last)}, ${data.returns.toLocaleString("en-US")} returns of ${String(data.stepSeconds)} s.`,
    `Model: ${model}, ${reason}.`,
  ];
}

function optional<T extends Record<string, number | undefined>>(values: T): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: number };
}

function dataSummary(prices: readonly ReadHistoryFile[], history: PriceHistory, series: ReturnSeries): PriceDataSummary {
  const shaOf = new Map(prices.flatMap((file) => [...file.prices.map((p) => [p.origin, file.sha256] as const)]));
  let sum = 0;
  for (const r of series.returns) if (!Number.isNaN(r)) sum += r;
  const mean = sum / series.observed;
  let m2 = 0;
  let m4 = 0;
  for (const r of series.returns) {
    if (Number.isNaN(r)) continue;
    const d = (r - mean) * (r - mean);
    m2 += d;
    m4 += d * d;
  }
  m2 /= series.observed;
  m4 /= series.observed;
  return {
    files: history.files.map((f) => ({ ...f, sha256: shaOf.get(f.origin) ?? "" })),
    stepSeconds: history.step,
    stepInferred: history.stepInferred,
    first: history.rows[0]?.time ?? 0,
    last: history.rows[history.rows.length - 1]?.time ?? 0,
    rows: history.rows.length,
    returns: series.observed,
    duplicates: history.duplicates,
    differingDuplicates: history.differingDuplicates,
    gaps: history.gaps,
    filled: history.filled,
    unbracketedBars: history.unbracketedBars.count,
    annualisedVolatility: Math.sqrt((m2 * series.observed) / (series.observed - 1) / series.dt),
    kurtosis: m4 / (m2 * m2),
  };
}

/**
 * The funding fit: settlements joined over the same range, each matched to the index's log return over its
 * interval (the close at the settlement against the close one interval earlier; a bar's close is at its opening
 * time plus one step), and the venue's cap and floor from its profile (the venue from the file's format unless
 * --venue says otherwise; the symbol the file names, else --symbol, else the venue's perpetual on the asset).
 */
function calibrateFunding(files: readonly ReadHistoryFile[], history: PriceHistory, options: CalibrateOptions): { fit: FundingFit; result: FundingResult } {
  const joined = joinFundingHistory(files.flatMap((file) => file.funding), optional({ from: options.from, to: options.to }));
  const step = history.step;
  const closeAt = new Map<number, number>();
  for (const row of history.rows) closeAt.set(Math.round(row.time + (history.rowKind === "bar" ? step : 0)), row.close);
  const intervalReturns = Float64Array.from(joined.settlements, (s) => {
    const at = Math.round(s.time / step) * step;
    if (Math.abs(s.time - at) > 0.01 * step) return Number.NaN;
    const end = closeAt.get(at);
    const start = closeAt.get(at - s.intervalHours * 3600);
    return end === undefined || start === undefined ? Number.NaN : Math.log(end / start);
  });
  const limits = venueLimits(joined.formats[0], joined.instrument, options);
  const fit = fitFunding({ settlements: joined.settlements, intervalReturns, limits: limits === null ? null : { cap: limits.cap, floor: limits.floor } });
  const [mean, stdDev, halfLife] = fit.process.parameters;
  const estimate = (p: typeof mean): { value: number; standardError: number | null } => ({ value: p?.value ?? Number.NaN, standardError: p?.standardError ?? null });
  const shaOf = new Map(files.flatMap((file) => file.funding.map((f) => [f.origin, file.sha256] as const)));
  return {
    fit,
    result: {
      files: joined.files.map((f) => ({ ...f, sha256: shaOf.get(f.origin) ?? "" })),
      instrument: joined.instrument,
      settlements: joined.settlements.length,
      intervalHours: joined.intervalHours,
      gaps: joined.gaps,
      duplicates: joined.duplicates,
      mean: estimate(mean),
      stdDev: estimate(stdDev),
      halfLife: estimate(halfLife),
      returnCoupling: fit.returnCoupling,
      capHits: limits === null || fit.capHits === null ? null : { ...fit.capHits, venue: limits.venue, symbol: limits.symbol },
      notes: [...fit.notes, ...(limits === null ? [`no shipped venue lists a perpetual on ${options.asset} for this file: cap hits not counted (give --venue and --symbol)`] : []), ...fit.process.notes],
    },
  };
}

function venueLimits(format: FundingFormat | undefined, instrument: string | null, options: CalibrateOptions): { venue: string; symbol: string; cap: number; floor: number } | null {
  const venueName = options.venue ?? (format === undefined ? undefined : venueOfFormat[format]);
  if (venueName === undefined) return null;
  const venue = loadVenue(venueName, "--venue");
  const listed = Object.keys(venue.symbols);
  const symbol = options.symbol ?? (instrument !== null && listed.includes(instrument) ? instrument : listed.find((s) => venue.symbols[s]?.base === options.asset));
  if (symbol === undefined) return null;
  const terms = perpetualTerms(venue, symbol);
  return { venue: venue.name, symbol, cap: terms.fundingCap, floor: terms.fundingFloor };
}
