import { joinFundingHistory, joinPriceHistory, type FundingHistory, type PriceHistory } from "@mstress/core";
import type { BacktestFile } from "@mstress/report";
import type { FundingRates, HistoryBars } from "@mstress/sim";
import { readFundingFiles, readPriceFiles, type ReadHistoryFile } from "../history/read-history-files.js";

export interface BacktestHistory {
  readonly prices: PriceHistory;
  readonly bars: HistoryBars;
  readonly priceFiles: readonly BacktestFile[];
  readonly funding: { readonly history: FundingHistory; readonly rates: FundingRates; readonly files: readonly BacktestFile[] } | null;
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
 * 8 h. The range [from, to) applies to both. Bad data is bad input naming the file, line and column (core's
 * readers); nothing is written.
 */
export function backtestHistory(
  pricePaths: readonly string[],
  fundingPaths: readonly string[],
  options: { readonly from?: number; readonly to?: number; readonly fill: "none" | "previous" },
): BacktestHistory {
  const range = { ...(options.from === undefined ? {} : { from: options.from }), ...(options.to === undefined ? {} : { to: options.to }) };
  const priceRead = readPriceFiles(pricePaths, { field: "--history", naming: "path" });
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
  if (fundingPaths.length === 0) return { prices, bars, priceFiles, funding: null };
  const fundingRead = readFundingFiles(fundingPaths, { field: "--funding", naming: "path" });
  // The last window closes at the last row's close, a step after `to` for bars: its settlements count too.
  const history = joinFundingHistory(fundingRead.files, { ...range, ...(options.to === undefined ? {} : { to: options.to + closeOffset + 1 }) });
  const rates: FundingRates = {
    time: Float64Array.from(history.settlements, (s) => s.time),
    perEightHours: Float64Array.from(history.settlements, (s) => (s.rate * 8) / s.intervalHours),
  };
  return { prices, bars, priceFiles, funding: { history, rates, files: fileSummaries(fundingRead.read, (file) => file.funding) } };
}
