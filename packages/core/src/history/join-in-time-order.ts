import { MstressError } from "../errors/mstress-error.js";
import { isoTime } from "./history-cells.js";
import type { RowOrigin, TimestampUnit } from "./history-series.js";

/** What the output says about each file read. */
export interface FileSummary {
  readonly origin: string;
  readonly format: string;
  readonly timestampUnit: TimestampUnit;
  readonly rows: number;
  /** Unix seconds of the file's first and last rows. */
  readonly first: number;
  readonly last: number;
}

/** Spacings larger than one step (or one funding interval): how many, the steps they miss, the largest. */
export interface HistoryGaps {
  readonly count: number;
  readonly missingSteps: number;
  readonly largestSeconds: number;
  /** Unix seconds of the row before the largest gap; null when there is none. */
  readonly largestAfter: number | null;
}

export interface SourcedRow<T> {
  readonly row: T;
  readonly file: string;
}

interface SeriesFile<T> {
  readonly origin: string;
  readonly format: string;
  readonly timestampUnit: TimestampUnit;
  readonly rows: readonly T[];
  readonly duplicates: number;
}

/**
 * The rows of several files of one series in time order. A time present in more than one file is kept once, from
 * the file given first, and counted (with the count of those whose value differs, which the output states); the
 * files' own duplicates are counted too. Only rows at or after `from` and before `to` are kept.
 */
export function joinInTimeOrder<T extends { readonly time: number; readonly origin: RowOrigin }>(
  files: readonly SeriesFile<T>[],
  range: { readonly from?: number; readonly to?: number },
  differs: (kept: T, dropped: T) => boolean,
): { rows: SourcedRow<T>[]; files: FileSummary[]; duplicates: number; differingDuplicates: number } {
  const from = range.from ?? Number.NEGATIVE_INFINITY;
  const to = range.to ?? Number.POSITIVE_INFINITY;
  // Array.prototype.sort is stable, so at equal times the earlier file's row stays first.
  const all = files.flatMap((file) => file.rows.filter((row) => row.time >= from && row.time < to).map((row) => ({ row, file: file.origin })));
  all.sort((a, b) => a.row.time - b.row.time);
  const rows: SourcedRow<T>[] = [];
  let differing = 0;
  for (const entry of all) {
    const kept = rows[rows.length - 1];
    if (kept !== undefined && kept.row.time === entry.row.time) {
      if (differs(kept.row, entry.row)) differing++;
      continue;
    }
    rows.push(entry);
  }
  if (rows.length === 0 && (range.from !== undefined || range.to !== undefined)) {
    const starts = files.flatMap((file) => file.rows.map((row) => row.time));
    const covered = starts.length === 0 ? "no rows" : `${isoTime(Math.min(...starts))} to ${isoTime(Math.max(...starts))}`;
    throw new MstressError("E_BAD_INPUT", `--from/--to: expected rows in the range, the files cover ${covered}`);
  }
  return {
    rows,
    files: files.map((file) => ({ origin: file.origin, format: file.format, timestampUnit: file.timestampUnit, rows: file.rows.length, first: file.rows[0]?.time ?? Number.NaN, last: file.rows[file.rows.length - 1]?.time ?? Number.NaN })),
    duplicates: all.length - rows.length + files.reduce((sum, file) => sum + file.duplicates, 0),
    differingDuplicates: differing,
  };
}

/** The spacing between consecutive times that occurs most often (to the millisecond); the smaller on a tie. */
export function mostCommonSpacing(times: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const spacing = Math.round(((times[i] ?? 0) - (times[i - 1] ?? 0)) * 1000) / 1000;
    counts.set(spacing, (counts.get(spacing) ?? 0) + 1);
  }
  let best = Number.NaN;
  let bestCount = 0;
  for (const [spacing, count] of counts) {
    if (count > bestCount || (count === bestCount && spacing < best)) {
      best = spacing;
      bestCount = count;
    }
  }
  return best;
}

/**
 * The gaps of a series whose rows are due every `interval(i)` seconds after row i - 1: a spacing more than
 * `tolerance` (a fraction) beyond the interval is a gap, counted with the rows it misses (at least one) and the
 * largest kept.
 */
export function spacingGaps(times: readonly number[], interval: (i: number) => number, tolerance: number): HistoryGaps {
  let count = 0;
  let missingSteps = 0;
  let largestSeconds = 0;
  let largestAfter: number | null = null;
  for (let i = 1; i < times.length; i++) {
    const previous = times[i - 1] ?? Number.NaN;
    const spacing = (times[i] ?? Number.NaN) - previous;
    const due = interval(i);
    if (spacing <= due * (1 + tolerance)) continue;
    count++;
    missingSteps += Math.max(1, Math.round(spacing / due) - 1);
    if (spacing > largestSeconds) {
      largestSeconds = spacing;
      largestAfter = previous;
    }
  }
  return { count, missingSteps, largestSeconds, largestAfter };
}

