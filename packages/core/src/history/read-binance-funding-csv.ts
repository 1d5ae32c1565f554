import { cellError, csvRows, emptyFileError, numberCell, timestampExpectation, timestampSeconds, timestampUnitOf } from "./history-cells.js";
import type { FundingFile, FundingRow } from "./history-series.js";
import { csvRowsInTimeOrder } from "./ordered-rows.js";

/** The columns of Binance's public-data funding-rate CSV (the monthly `<SYMBOL>-fundingRate-<YYYY>-<MM>.zip`). */
export const binanceFundingColumns = ["calc_time", "funding_interval_hours", "last_funding_rate"] as const;

/**
 * Binance's funding-rate dump: `calc_time` (milliseconds, the settlement), `funding_interval_hours` and
 * `last_funding_rate` (the rate settled for that interval), with a header row (optional here).
 */
export function readBinanceFundingCsv(text: string, origin: string): FundingFile {
  const rows = csvRows(text);
  const hasHeader = rows[0] !== undefined && !Number.isFinite(numberCell(rows[0].cells[0]));
  const data = hasHeader ? rows.slice(1) : rows;
  const first = data[0];
  if (first === undefined) throw emptyFileError(origin, `rows of ${binanceFundingColumns.join(",")}`);
  const unit = timestampUnitOf(first.cells[0] ?? "");
  const parsed = data.map((row): FundingRow => {
    const [stamp = "", interval = "", rate = ""] = row.cells;
    if (row.cells.length < binanceFundingColumns.length) {
      throw cellError(origin, row.line, row.cells.length + 1, binanceFundingColumns[row.cells.length] ?? "", `expected the 3 columns ${binanceFundingColumns.join(",")}, the row ends after column ${String(row.cells.length)}`);
    }
    const time = timestampSeconds(stamp, unit);
    if (!Number.isFinite(time)) throw cellError(origin, row.line, 1, "calc_time", timestampExpectation(unit), stamp);
    const hours = numberCell(interval);
    if (!(Number.isFinite(hours) && hours > 0)) throw cellError(origin, row.line, 2, "funding_interval_hours", "expected a positive number of hours", interval);
    const value = numberCell(rate);
    if (!Number.isFinite(value)) throw cellError(origin, row.line, 3, "last_funding_rate", "expected a rate (a number such as 0.0001)", rate);
    return { time, rate: value, intervalHours: hours, origin: { line: row.line } };
  });
  const ordered = csvRowsInTimeOrder(parsed, origin, { column: 1, name: "calc_time", cells: data.map((r) => r.cells[0] ?? "") });
  return { origin, format: "binance-funding-csv", timestampUnit: unit, instrument: null, rows: ordered.rows, duplicates: ordered.duplicates };
}
