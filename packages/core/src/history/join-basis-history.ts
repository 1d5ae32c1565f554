import { MstressError } from "../errors/mstress-error.js";
import { joinInTimeOrder, mostCommonSpacing, spacingGaps, type FileSummary, type HistoryGaps } from "./join-in-time-order.js";
import type { BasisFile, BasisFormat } from "./history-series.js";

/** One basis value of the joined series: in force from `time` until the next. */
export interface BasisValueRow {
  readonly time: number;
  readonly basis: number;
  readonly file: string;
}

export interface BasisHistory {
  readonly files: readonly FileSummary[];
  readonly formats: readonly BasisFormat[];
  readonly values: readonly BasisValueRow[];
  /** The most common spacing between values, in seconds. */
  readonly stepSeconds: number;
  readonly duplicates: number;
  /** Of the duplicates, those whose basis differs from the value kept (the earlier file's). */
  readonly differingDuplicates: number;
  readonly gaps: HistoryGaps;
}

/** A value within 1 % of a step after the one before is on time. */
const stepTolerance = 0.01;

/**
 * Joins several files of one basis series (monthly dumps, say) in time order: a time given twice is kept once
 * (the earlier file's value) and counted, the range cut to [from, to). A spacing longer than the most common one is
 * a gap, counted and the largest reported; a basis is never filled here (the backtest holds the last value, and
 * says how many gaps it held it across).
 */
export function joinBasisHistory(files: readonly BasisFile[], range: { readonly from?: number; readonly to?: number } = {}): BasisHistory {
  if (files.length === 0) throw new MstressError("E_BAD_INPUT", "--basis: expected at least one basis file");
  const joined = joinInTimeOrder(files, range, (a, b) => a.basis !== b.basis);
  if (joined.rows.length < 2) throw new MstressError("E_BAD_INPUT", `--basis: expected at least 2 basis values${range.from !== undefined || range.to !== undefined ? " in the range --from/--to" : ""}, got ${String(joined.rows.length)}`);
  const times = joined.rows.map(({ row }) => row.time);
  const stepSeconds = mostCommonSpacing(times);
  return {
    files: joined.files,
    formats: [...new Set(files.map((file) => file.format))],
    values: joined.rows.map(({ row, file }) => ({ time: row.time, basis: row.basis, file })),
    stepSeconds,
    duplicates: joined.duplicates,
    differingDuplicates: joined.differingDuplicates,
    gaps: spacingGaps(times, () => stepSeconds, stepTolerance),
  };
}
