import { joinBasisHistory, joinFundingHistory, joinPriceHistory, type BasisHistory, type FundingHistory, type PriceHistory } from "@mstress/core";
import type { BacktestFile } from "@mstress/report";
import type { BasisSeries, FundingRates, HistoryBars } from "@mstress/sim";
import { readBasisFiles, readFundingFiles, readPriceFiles, type ReadHistoryFile } from "../history/read-history-files.js";

export interface BacktestHistory {
  readonly prices: PriceHistory;
  readonly bars: HistoryBars;
  readonly priceFiles: readonly BacktestFile[];
  readonly funding: { readonly history: FundingHistory; readonly rates: FundingRates; readonly files: readonly BacktestFile[] } | null;
  readonly basis: { readonly history: BasisHistory; readonly series: BasisSeries; readonly files: readonly BacktestFile[] } | null;
}

/** What the output says of each series read: one per CSV or JSON (a zip's entries each), with its file's SHA-256. */
function fileSummaries(read: readonly ReadHistoryFile[], pick: (file: ReadHistoryFile) => readonly { origin: string; format: string; timestampUnit: string; rows: readonly unknown[] }[]): BacktestFile[] {
  return read.flatMap((file) => pick(file).map((series) => ({ origin: series.origin, format: series.format, timestampUnit: series.timestampUnit, rows: series.rows.length, sha256: file.sha256 })));
}

/**
 * The backtest's history from disk, read by the reader calibrate uses (CSV, venue JSON, Binance's monthly zips; a
 * regular file within its size limit; files named by their path as given): the price files joined in time order
 * (duplicates dropped, gaps counted, filled only with `fill: "previous"`), each row's close placed at its bar's end
 * (or a point's own time), and the funding files joined the same way with each settlement's rate converted to per
 * 8 h; the basis files joined too, cut only at `to` (a value from before `from` may be the one in force at the first
 * row). The range [from, to) applies to the prices and funding. Bad data is bad input naming the file, line and column (core's
 * readers); nothing is written.
 */
export function backtestHistory(
  paths: { readonly prices: readonly string[]; readonly funding: readonly string[]; readonly basis: readonly string[] },
  options: { readonly from?: number; readonly to?: number; readonly fill: "none" | "previous" },
): BacktestHistory {
  const range = { ...(options.from === undefined ? {} : { from: options.from }), ...(options.to === undefined ? {} : { to: options.to }) };
  const priceRead = readPriceFiles(paths.prices, { field: "--history", naming: "path" });
  const prices = joinPriceHistory(priceRead.files, { ...range, fill: options.fill });
  const priceFiles = fileSummaries(priceRead.read, (file) => file.prices);
  const closeOffset = prices.rowKind === "bar" ? prices.step : 0;
  const bars: HistoryBars = {
    closeTime: Float64Array.from(prices.rows, (row) => row.time + closeOffset),
    high: Float64Array.from(prices.rows, (row) => row.high),
    low: Float64Array.from(prices.rows, (row) => row.low),
    close: Float64Array.from(prices.rows, (row) => row.close),
    step: prices.step,
  };
  // The last window closes at the last row's close, a step after `to` for bars: its settlements and basis count too.
  const through = options.to === undefined ? {} : { to: options.to + closeOffset + 1 };
  return { prices, bars, priceFiles, funding: fundingFrom(paths.funding, { ...range, ...through }), basis: basisFrom(paths.basis, through) };
}

function fundingFrom(paths: readonly string[], range: { readonly from?: number; readonly to?: number }): BacktestHistory["funding"] {
  if (paths.length === 0) return null;
  const read = readFundingFiles(paths, { field: "--funding", naming: "path" });
  const history = joinFundingHistory(read.files, range);
  const rates: FundingRates = {
    time: Float64Array.from(history.settlements, (s) => s.time),
    perEightHours: Float64Array.from(history.settlements, (s) => (s.rate * 8) / s.intervalHours),
  };
  return { history, rates, files: fileSummaries(read.read, (file) => file.funding) };
}

function basisFrom(paths: readonly string[], range: { readonly to?: number }): BacktestHistory["basis"] {
  if (paths.length === 0) return null;
  const read = readBasisFiles(paths, { field: "--basis", naming: "path" });
  const history = joinBasisHistory(read.files, range);
  const series: BasisSeries = { time: Float64Array.from(history.values, (v) => v.time), basis: Float64Array.from(history.values, (v) => v.basis) };
  const files = read.files.map((file, i) => ({ origin: file.origin, format: file.format, timestampUnit: file.timestampUnit, rows: file.rows.length, sha256: read.sha256[i] ?? "" }));
  return { history, series, files };
}
