import { cellError, cellTimestamp, emptyFileError, numberCell, requireCells, timestampUnitOf, type CsvRow } from "./history-cells.js";
import type { BasisFile, BasisFormat, BasisRow } from "./history-series.js";
import { csvRowsInTimeOrder } from "./ordered-rows.js";

/** A column of a basis file: 0-based index and the name used in messages. */
export interface BasisColumn {
  readonly index: number;
  readonly name: string;
}

/** Where a basis file keeps its fields. */
export interface BasisLayout {
  readonly format: BasisFormat;
  readonly timestamp: BasisColumn;
  /** Every column that holds a basis (each is checked); the last is the value read. */
  readonly values: readonly BasisColumn[];
  /**
   * For bars (premium index klines): the close-time column. The bar's last value holds from the bar's end, the open
   * time plus the bar's length (close time - open time, to the second: Binance stamps a close 1 ms before the end).
   */
  readonly closeTime?: BasisColumn;
  /** Cells a row must have (a kline has 12); 0 when the columns above will do. */
  readonly columns: number;
  readonly columnNames?: readonly string[];
}

const basisExpectation = "expected a basis as a fraction of the index (mark / index - 1) between -1 and 1";

/**
 * The data rows of a basis CSV read through its layout: the timestamp unit detected from the first row, every basis
 * a number in (-1, 1) (the scenario's own range for a basis: a mark at most twice the index and above zero), rows
 * in time order with repeated times dropped and counted. The first problem is thrown naming file, line and column.
 */
export function readBasisRows(origin: string, rows: readonly CsvRow[], layout: BasisLayout): BasisFile {
  const first = rows[0];
  if (first === undefined) throw emptyFileError(origin, layout.format === "basis-csv" ? "rows of timestamp,basis" : "rows of premium index klines");
  const unit = timestampUnitOf(first.cells[layout.timestamp.index] ?? "");
  const needed = Math.max(layout.columns, layout.timestamp.index + 1, ...layout.values.map((v) => v.index + 1));
  const missing = layout.columns > 0 ? `expected the ${String(layout.columns)} columns of a ${layout.format} row` : "expected a value";
  const parsed = rows.map((row): BasisRow => {
    requireCells(origin, row, needed, missing, (index) => columnName(layout, index));
    const opened = cellTimestamp(origin, row, layout.timestamp, unit);
    let value = Number.NaN;
    for (const { index, name } of layout.values) {
      const cell = row.cells[index] ?? "";
      value = numberCell(cell);
      if (!(Number.isFinite(value) && value > -1 && value < 1)) throw cellError(origin, row.line, index + 1, name, basisExpectation, cell);
    }
    return { time: layout.closeTime === undefined ? opened : barEnd(origin, row, layout.closeTime, opened, unit), basis: value, origin: { line: row.line } };
  });
  const ordered = csvRowsInTimeOrder(parsed, origin, { column: layout.timestamp.index + 1, name: layout.timestamp.name, cells: rows.map((r) => r.cells[layout.timestamp.index] ?? "") });
  return { origin, format: layout.format, timestampUnit: unit, rows: ordered.rows, duplicates: ordered.duplicates };
}

function barEnd(origin: string, row: CsvRow, column: BasisColumn, opened: number, unit: ReturnType<typeof timestampUnitOf>): number {
  const closed = cellTimestamp(origin, row, column, unit);
  const length = Math.round(closed - opened);
  if (length < 1) throw cellError(origin, row.line, column.index + 1, column.name, "expected a close time at least a second after the open time", row.cells[column.index]);
  return opened + length;
}

function columnName(layout: BasisLayout, index: number): string {
  if (index === layout.timestamp.index) return layout.timestamp.name;
  return layout.values.find((v) => v.index === index)?.name ?? layout.columnNames?.[index] ?? `column ${String(index + 1)}`;
}
