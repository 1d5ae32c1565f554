import { csvRows, numberCell } from "./history-cells.js";
import type { PriceFile } from "./history-series.js";
import { readPriceRows } from "./price-rows.js";

/**
 * The 12 columns of a Binance kline as its public data dumps write them (binance/binance-public-data README,
 * "Klines"; the same as the REST klines endpoint): open time, open, high, low, close, volume, close time, quote
 * asset volume, number of trades, taker buy base volume, taker buy quote volume, ignore.
 */
export const binanceKlineColumns = ["open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore"] as const;

/**
 * A Binance klines CSV (spot or USD-M futures, any interval), as downloaded from the public data site or taken out
 * of its monthly zip: with or without the header row (the futures dumps added one in 2022, the spot dumps have
 * none), open times in milliseconds or microseconds (spot dumps from 2025 on), detected per file. Each row is a
 * bar opening at its open time.
 */
export function readBinanceKlines(text: string, origin: string): PriceFile {
  const rows = csvRows(text);
  const hasHeader = rows[0] !== undefined && !Number.isFinite(numberCell(rows[0].cells[0]));
  return readPriceRows(origin, hasHeader ? rows.slice(1) : rows, {
    format: "binance-klines",
    rowKind: "bar",
    timestamp: { index: 0, name: "open_time" },
    prices: [1, 2, 3, 4].map((index) => ({ index, name: binanceKlineColumns[index] ?? "" })),
    columns: binanceKlineColumns.length,
    columnNames: binanceKlineColumns,
  });
}

/** Whether a headerless CSV row looks like a kline: 12 numeric cells, the close time after the open time. */
export function looksLikeBinanceKline(cells: readonly string[]): boolean {
  if (cells.length !== binanceKlineColumns.length || !cells.every((cell) => Number.isFinite(numberCell(cell)))) return false;
  return /^\d+$/.test(cells[0] ?? "") && /^\d+$/.test(cells[6] ?? "") && numberCell(cells[6]) > numberCell(cells[0]);
}
