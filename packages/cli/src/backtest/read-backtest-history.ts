import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { MstressError, joinFundingHistory, joinPriceHistory, readHistoryText, type FundingFile, type FundingHistory, type PriceFile, type PriceHistory } from "@mstress/core";
import type { BacktestFile } from "@mstress/report";
import type { FundingRates, HistoryBars } from "@mstress/sim";

export interface BacktestHistory {
  readonly prices: PriceHistory;
  readonly bars: HistoryBars;
  readonly priceFiles: readonly BacktestFile[];
  readonly funding: { readonly history: FundingHistory; readonly rates: FundingRates; readonly files: readonly BacktestFile[] } | null;
}

interface ReadFile<T> {
  readonly file: T;
  readonly summary: BacktestFile;
}

/** One history file from disk, read in the format its content shows; `kind` is what the flag expects. */
function readOne(path: string, flag: "--history" | "--funding"): { price: PriceFile | null; funding: FundingFile | null; sha256: string } {
  if (!existsSync(path) || !statSync(path).isFile()) throw new MstressError("E_BAD_INPUT", `${flag}: ${JSON.stringify(path)} is not a file`);
  const bytes = readFileSync(path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const read = readHistoryText(bytes.toString("utf8"), path);
  if (flag === "--history" && read.kind !== "price") throw new MstressError("E_BAD_INPUT", `--history: ${JSON.stringify(path)} holds funding rates (${read.file.format}); expected prices (give funding with --funding)`);
  if (flag === "--funding" && read.kind !== "funding") throw new MstressError("E_BAD_INPUT", `--funding: ${JSON.stringify(path)} holds prices (${read.file.format}); expected funding rates`);
  return { price: read.kind === "price" ? read.file : null, funding: read.kind === "funding" ? read.file : null, sha256 };
}

function readAll<T extends PriceFile | FundingFile>(paths: readonly string[], flag: "--history" | "--funding", pick: (read: ReturnType<typeof readOne>) => T | null): ReadFile<T>[] {
  return paths.map((path) => {
    const read = readOne(path, flag);
    const file = pick(read);
    if (file === null) throw new MstressError("E_INVARIANT", `${path}: read as the wrong kind`);
    return { file, summary: { origin: path, format: file.format, timestampUnit: file.timestampUnit, rows: file.rows.length, sha256: read.sha256 } };
  });
}

/**
 * The backtest's history from disk: the price files joined in time order (duplicates dropped, gaps counted, filled
 * only with `fill: "previous"`), each row's close placed at its bar's end (or a point's own time), and the funding
 * files joined the same way with each settlement's rate converted to per 8 h. The range [from, to) applies to both.
 * Bad data is bad input naming the file, line and column (core's readers); nothing is written.
 */
export function readBacktestHistory(
  pricePaths: readonly string[],
  fundingPaths: readonly string[],
  options: { readonly from?: number; readonly to?: number; readonly fill: "none" | "previous" },
): BacktestHistory {
  const range = { ...(options.from === undefined ? {} : { from: options.from }), ...(options.to === undefined ? {} : { to: options.to }) };
  const priceFiles = readAll(pricePaths, "--history", (read) => read.price);
  const prices = joinPriceHistory(
    priceFiles.map((f) => f.file),
    { ...range, fill: options.fill },
  );
  const closeOffset = prices.rowKind === "bar" ? prices.step : 0;
  const bars: HistoryBars = {
    closeTime: Float64Array.from(prices.rows, (row) => row.time + closeOffset),
    high: Float64Array.from(prices.rows, (row) => row.high),
    low: Float64Array.from(prices.rows, (row) => row.low),
    close: Float64Array.from(prices.rows, (row) => row.close),
    step: prices.step,
  };
  if (fundingPaths.length === 0) return { prices, bars, priceFiles: priceFiles.map((f) => f.summary), funding: null };
  const fundingFiles = readAll(fundingPaths, "--funding", (read) => read.funding);
  // The last window closes at the last row's close, a step after `to` for bars: its settlements count too.
  const history = joinFundingHistory(
    fundingFiles.map((f) => f.file),
    { ...range, ...(options.to === undefined ? {} : { to: options.to + closeOffset + 1 }) },
  );
  const rates: FundingRates = {
    time: Float64Array.from(history.settlements, (s) => s.time),
    perEightHours: Float64Array.from(history.settlements, (s) => (s.rate * 8) / s.intervalHours),
  };
  return { prices, bars, priceFiles: priceFiles.map((f) => f.summary), funding: { history, rates, files: fundingFiles.map((f) => f.summary) } };
}
