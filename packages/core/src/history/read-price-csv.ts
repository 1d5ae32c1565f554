import { MstressError } from "../errors/mstress-error.js";
import { csvRows, numberCell, shownName, shownRow } from "./history-cells.js";
import type { PriceFile } from "./history-series.js";
import { readPriceRows, type PriceLayout } from "./price-rows.js";

const ohlcNames = ["open", "high", "low", "close"] as const;

/**
 * A generic price CSV: `timestamp,price` (a price at each time) or `timestamp,open,high,low,close[,...]` (bars
 * opening at each time). The timestamp is the first column, in seconds, milliseconds or ISO-8601, detected from the
 * first row. A header row is optional: with one, the columns are found by name (`price` or `close` for a price
 * file; `open`, `high`, `low`, `close` for bars, in any order, other columns ignored); without one, five or more
 * columns are bars in that order and fewer are `timestamp,price` (a third column, such as a path's funding, is
 * ignored).
 */
export function readPriceCsv(text: string, origin: string): PriceFile {
  const rows = csvRows(text);
  const first = rows[0];
  if (first !== undefined && !Number.isFinite(numberCell(first.cells[1]))) return readPriceRows(origin, rows.slice(1), layoutFromHeader(first.cells, first.line, origin));
  return readPriceRows(origin, rows, layoutFromWidth(first?.cells.length ?? 2));
}

function layoutFromWidth(width: number): PriceLayout {
  const timestamp = { index: 0, name: "timestamp" };
  if (width >= 5) return { format: "ohlc-csv", rowKind: "bar", timestamp, prices: ohlcNames.map((name, i) => ({ index: i + 1, name })), columns: 0 };
  return { format: "price-csv", rowKind: "point", timestamp, prices: [{ index: 1, name: "price" }], columns: 0 };
}

function layoutFromHeader(header: readonly string[], line: number, origin: string): PriceLayout {
  const names = header.map((cell) => cell.toLowerCase());
  const timestamp = { index: 0, name: header[0] ?? "timestamp" };
  const ohlc = ohlcNames.map((name) => ({ index: names.indexOf(name), name }));
  if (ohlc.every((column) => column.index > 0)) return { format: "ohlc-csv", rowKind: "bar", timestamp, prices: ohlc, columns: 0 };
  const price = names.indexOf("price") > 0 ? names.indexOf("price") : names.indexOf("close");
  if (price > 0) return { format: "price-csv", rowKind: "point", timestamp, prices: [{ index: price, name: header[price] ?? "price" }], columns: 0 };
  throw new MstressError("E_BAD_INPUT", `${origin}: line ${String(line)}, column 2 (${shownName(header[1] ?? "")}): expected a header naming a price column (price or close) or the bar columns open, high, low and close, got ${shownRow(header)}`);
}
