import { cellError, cellTimestamp, emptyFileError, numberCell, requireCells, timestampUnitOf, type CsvRow } from "./history-cells.js";
import type { PriceFile, PriceFormat, PriceRow, RowOrigin } from "./history-series.js";
import { csvRowsInTimeOrder } from "./ordered-rows.js";

/** Where a price file keeps its fields: 0-based column indices and the names used in messages. */
export interface PriceLayout {
  readonly format: PriceFormat;
  readonly rowKind: "bar" | "point";
  readonly timestamp: { readonly index: number; readonly name: string };
  /** One column (a price file) or four: open, high, low, close. */
  readonly prices: readonly { readonly index: number; readonly name: string }[];
  /** Cells a row must have (a Binance kline has 12); 0 when any count with the columns above will do. */
  readonly columns: number;
  /** Every column's name, where the format fixes them (for messages about a short row). */
  readonly columnNames?: readonly string[];
}

/**
 * The data rows of a price CSV read through its layout: the timestamp unit detected from the first row, every
 * price positive, a bar's high at least its low, rows in time order. The first problem found is thrown, naming
 * the file, line and column; nothing is returned half-read.
 */
export function readPriceRows(origin: string, rows: readonly CsvRow[], layout: PriceLayout): PriceFile {
  const first = rows[0];
  if (first === undefined) throw emptyFileError(origin, layout.prices.length === 1 ? "rows of timestamp,price" : "rows of timestamp,open,high,low,close");
  const unit = timestampUnitOf(first.cells[layout.timestamp.index] ?? "");
  const needed = Math.max(layout.columns, layout.timestamp.index + 1, ...layout.prices.map((p) => p.index + 1));
  const missing = layout.columns > 0 ? `expected the ${String(layout.columns)} columns of a ${layout.format} row` : "expected a value";
  const parsed = rows.map((row): PriceRow => {
    requireCells(origin, row, needed, missing, (index) => columnName(layout, index));
    const time = cellTimestamp(origin, row, layout.timestamp, unit);
    const values = layout.prices.map(({ index, name }) => {
      const cell = row.cells[index] ?? "";
      const value = numberCell(cell);
      if (!(Number.isFinite(value) && value > 0)) throw cellError(origin, row.line, index + 1, name, "expected a positive price", cell);
      return value;
    });
    const [open = 0, high = open, low = open, close = open] = values;
    if (values.length === 4 && high < low) {
      const highColumn = layout.prices[1]?.index ?? 0;
      throw cellError(origin, row.line, highColumn + 1, layout.prices[1]?.name ?? "high", `expected a high at least the row's low (${String(low)})`, row.cells[highColumn]);
    }
    const at: RowOrigin = { line: row.line };
    return values.length === 4 ? { time, open, high, low, close, origin: at } : { time, open, high: open, low: open, close: open, origin: at };
  });
  const ordered = csvRowsInTimeOrder(parsed, origin, { column: layout.timestamp.index + 1, name: layout.timestamp.name, cells: rows.map((r) => r.cells[layout.timestamp.index] ?? "") });
  const unbracketed = ordered.rows.filter((r) => r.high < Math.max(r.open, r.close) || r.low > Math.min(r.open, r.close));
  return {
    origin,
    format: layout.format,
    timestampUnit: unit,
    rowKind: layout.rowKind,
    rows: ordered.rows,
    duplicates: ordered.duplicates,
    unbracketedBars: { count: unbracketed.length, first: unbracketed[0]?.origin ?? null },
  };
}

function columnName(layout: PriceLayout, index: number): string {
  if (index === layout.timestamp.index) return layout.timestamp.name;
  return layout.prices.find((p) => p.index === index)?.name ?? layout.columnNames?.[index] ?? `column ${String(index + 1)}`;
}
