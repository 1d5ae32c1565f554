import { cellError, isoTime } from "./history-cells.js";
import type { RowOrigin } from "./history-series.js";

/**
 * A CSV's rows as the file lists them, which must be in time order: a row earlier than the one before is bad data
 * (named by file, line and the timestamp's column); a row at the same time as the one before is a duplicate,
 * dropped and counted (the first is kept).
 */
export function csvRowsInTimeOrder<T extends { readonly time: number; readonly origin: RowOrigin }>(
  rows: readonly T[],
  origin: string,
  timestamp: { readonly column: number; readonly name: string; readonly cells: readonly string[] },
): { rows: T[]; duplicates: number } {
  const kept: T[] = [];
  let duplicates = 0;
  rows.forEach((row, i) => {
    const previous = kept[kept.length - 1];
    if (previous !== undefined && row.time < previous.time) {
      const line = "line" in row.origin ? row.origin.line : 0;
      throw cellError(origin, line, timestamp.column, timestamp.name, `expected rows in time order, after the previous row's ${isoTime(previous.time)} (this is ${isoTime(row.time)})`, timestamp.cells[i]);
    }
    if (previous !== undefined && row.time === previous.time) duplicates++;
    else kept.push(row);
  });
  return { rows: kept, duplicates };
}

/**
 * A venue's JSON records in time order. The venues document their own order (Bybit and OKX answer newest first),
 * so these are sorted rather than checked; records at the same time are duplicates, dropped and counted.
 */
export function jsonRowsInTimeOrder<T extends { readonly time: number }>(rows: readonly T[]): { rows: T[]; duplicates: number } {
  const sorted = [...rows].sort((a, b) => a.time - b.time);
  const kept: T[] = [];
  for (const row of sorted) if (kept[kept.length - 1]?.time !== row.time) kept.push(row);
  return { rows: kept, duplicates: sorted.length - kept.length };
}
