import { csvRows, numberCell } from "./history-cells.js";
import type { BasisFile } from "./history-series.js";
import { readBasisRows } from "./basis-rows.js";
import { binanceKlineColumns } from "./read-binance-klines.js";

/**
 * Binance's premium index klines, as its public data site dumps them (`futures/um/monthly/premiumIndexKlines/
 * <SYMBOL>/<interval>/<SYMBOL>-<interval>-<YYYY>-<MM>.zip`, the path binance/binance-public-data's
 * download-futures-premiumIndexKlines.py builds) or as a CSV taken out of that zip: the 12 columns of a kline
 * (Binance's USD-M futures API, "Premium index Kline Data", GET /fapi/v1/premiumIndexKlines: open time, open,
 * high, low, close, then ignored columns with the close time seventh), with or without the header row, open times
 * in milliseconds. The values are the premium index, a fraction of the index that may be negative. Each bar's
 * close is read as the basis, in force from the bar's end; open, high and low are checked as basis values but not
 * used (the backtest takes the basis at each row's close).
 */
export function readBinancePremiumIndexKlines(text: string, origin: string): BasisFile {
  const rows = csvRows(text);
  const hasHeader = rows[0] !== undefined && !Number.isFinite(numberCell(rows[0].cells[0]));
  const column = (index: number): { index: number; name: string } => ({ index, name: binanceKlineColumns[index] ?? "" });
  return readBasisRows(origin, hasHeader ? rows.slice(1) : rows, {
    format: "binance-premium-index-klines",
    timestamp: column(0),
    values: [1, 2, 3, 4].map(column),
    closeTime: column(6),
    columns: binanceKlineColumns.length,
    columnNames: binanceKlineColumns,
  });
}
