import { MstressError } from "../errors/mstress-error.js";
import { csvRows, numberCell, shownName, shownRow } from "./history-cells.js";
import type { BasisFile } from "./history-series.js";
import { readBasisRows } from "./basis-rows.js";

/**
 * A generic basis CSV: `timestamp,basis`, the basis as a fraction of the index (mark / index - 1, so 0.0002 is a
 * mark 2 bp above the index; negative when below), each value in force from its timestamp until the next. The
 * timestamp is the first column, in seconds, milliseconds or ISO-8601, detected from the first row as for prices.
 * A header row is optional: with one, the value is the column named `basis` (other columns ignored); without
 * one, the second column.
 */
export function readBasisCsv(text: string, origin: string): BasisFile {
  const rows = csvRows(text);
  const first = rows[0];
  const timestamp = { index: 0, name: "timestamp" };
  if (first === undefined || Number.isFinite(numberCell(first.cells[1]))) return readBasisRows(origin, rows, { format: "basis-csv", timestamp, values: [{ index: 1, name: "basis" }], columns: 0 });
  const column = first.cells.findIndex((cell, i) => i > 0 && cell.toLowerCase() === "basis");
  if (column < 0) {
    throw new MstressError("E_BAD_INPUT", `${origin}: line ${String(first.line)}, column 2 (${shownName(first.cells[1] ?? "")}): expected a header naming a basis column (timestamp,basis), got ${shownRow(first.cells)}`);
  }
  return readBasisRows(origin, rows.slice(1), { format: "basis-csv", timestamp: { index: 0, name: first.cells[0] ?? "timestamp" }, values: [{ index: column, name: first.cells[column] ?? "basis" }], columns: 0 });
}
