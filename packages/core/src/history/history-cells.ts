import { MstressError } from "../errors/mstress-error.js";
import type { TimestampUnit } from "./history-series.js";

// The pieces every history reader shares: splitting a CSV into numbered rows, reading a timestamp in the unit the
// file uses, and the one-line error that names the file, the line and the column (or the JSON path).

export interface CsvRow {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly cells: readonly string[];
}

/**
 * The data rows of a CSV: blank lines and lines starting with `#` are skipped, cells are trimmed and lose
 * surrounding double quotes (the files read here hold numbers and plain names, never quoted commas).
 */
export function csvRows(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\uFEFF/, "").trim();
    if (line === "" || line.startsWith("#")) return;
    rows.push({ line: index + 1, cells: line.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1")) });
  });
  return rows;
}

/** `origin: line 12, column 5 (close): expected ..., got "abc"`: bad input, exit 2. */
export function cellError(origin: string, line: number, column: number, name: string, expected: string, got?: string): MstressError {
  return new MstressError("E_BAD_INPUT", `${origin}: line ${line}, column ${column} (${shownName(name)}): ${expected}${got === undefined ? "" : `, got ${shownCell(got)}`}`);
}

// What a number, a timestamp or a column name is made of. A path pointed at the wrong file (/etc/passwd) must not
// have its content echoed into a log, so a cell made of anything else is described, not quoted.
const plainCell = /^[\w.+\-: ]{0,40}$/;

/** A cell as an error quotes it: in JSON quotes when it looks like CSV data, else only its length. */
export function shownCell(cell: string): string {
  return plainCell.test(cell) ? JSON.stringify(cell) : `a ${String(cell.length)}-character cell that is not a number, time or name (not shown)`;
}

/** A column's name as an error gives it: bare when it looks like one, else described. */
export function shownName(name: string): string {
  return plainCell.test(name) ? name : "a name that is not shown";
}

/** A row (a header) as an error quotes it: whole when every cell looks like CSV data, else described. */
export function shownRow(cells: readonly string[]): string {
  return cells.every((cell) => plainCell.test(cell)) ? JSON.stringify(cells.join(",")) : `a line that is not a CSV header of numbers, times or names (not shown)`;
}

/** `origin: $.result.list[3].fundingRate: expected ..., got ...`: bad input in a JSON file, exit 2. */
export function jsonError(origin: string, path: string, expected: string, got?: unknown): MstressError {
  // JSON.stringify gives undefined for a value JSON cannot hold (a function, a missing field).
  const shown = JSON.stringify(got) as string | undefined;
  return new MstressError("E_BAD_INPUT", `${origin}: ${path}: ${expected}${got === undefined ? "" : `, got ${shown ?? typeof got}`}`);
}

/** A file with no data row at all. */
export function emptyFileError(origin: string, what: string): MstressError {
  return new MstressError("E_BAD_INPUT", `${origin}: line 1: expected ${what}, found no data rows (an empty file)`);
}

const numericTimestamp = /^-?\d+(\.\d+)?$/;

/**
 * The unit of a numeric timestamp by its size: below 1e11 it is seconds (1e11 s is the year 5138), below 1e14
 * milliseconds (1e14 ms is the year 5138 again), else microseconds (Binance's spot dumps from 2025 on). Anything
 * else is read as ISO-8601. Detected once per file, from its first row; every row must then agree.
 */
export function timestampUnitOf(cell: string): TimestampUnit {
  if (!numericTimestamp.test(cell)) return "iso-8601";
  const value = Math.abs(Number(cell));
  if (value < 1e11) return "seconds";
  if (value < 1e14) return "milliseconds";
  return "microseconds";
}

const secondsPer: Readonly<Record<Exclude<TimestampUnit, "iso-8601">, number>> = { seconds: 1, milliseconds: 1e-3, microseconds: 1e-6 };

/**
 * Unix seconds from a timestamp cell in the file's unit, or NaN when the cell is not one. An ISO-8601 date-time
 * without an offset is taken as UTC (never the machine's zone, so a file means the same everywhere).
 */
export function timestampSeconds(cell: string, unit: TimestampUnit): number {
  if (unit === "iso-8601") {
    if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([zZ]|[+-]\d{2}:?\d{2})?)?$/.test(cell)) return Number.NaN;
    const normal = cell.replace(" ", "T");
    // A date alone is UTC midnight by the standard; a date-time without an offset would be the machine's zone.
    const utc = !normal.includes("T") || /([zZ]|[+-]\d{2}:?\d{2})$/.test(normal) ? normal : `${normal}Z`;
    return Date.parse(utc) / 1000;
  }
  if (!numericTimestamp.test(cell) || timestampUnitOf(cell) !== unit) return Number.NaN;
  return Number(cell) * secondsPer[unit];
}

/** What a timestamp cell was expected to be, in the file's unit. */
export function timestampExpectation(unit: TimestampUnit): string {
  return unit === "iso-8601" ? "expected an ISO-8601 date-time like the file's first row" : `expected a timestamp in ${unit} like the file's first row`;
}

/** A UTC date-time for messages, to the second. */
export function isoTime(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString().replace(".000Z", "Z");
}

/**
 * Checks that a row has at least `needed` cells, naming the first missing column (`name(index)`) and what a row
 * must hold (`missing`).
 */
export function requireCells(origin: string, row: CsvRow, needed: number, missing: string, name: (index: number) => string): void {
  if (row.cells.length < needed) throw cellError(origin, row.line, row.cells.length + 1, name(row.cells.length), `${missing}, the row ends after column ${String(row.cells.length)}`);
}

/** The row's time in Unix seconds from its timestamp column in the file's unit, or bad input naming the cell. */
export function cellTimestamp(origin: string, row: CsvRow, column: { readonly index: number; readonly name: string }, unit: TimestampUnit): number {
  const stamp = row.cells[column.index] ?? "";
  const time = timestampSeconds(stamp, unit);
  if (!Number.isFinite(time)) throw cellError(origin, row.line, column.index + 1, column.name, timestampExpectation(unit), stamp);
  return time;
}

/** A finite number from a cell, or NaN (an empty cell is not zero). */
export function numberCell(cell: string | undefined): number {
  if (cell === undefined || cell.trim() === "") return Number.NaN;
  return Number(cell);
}
