import { MstressError } from "../errors/mstress-error.js";
import { joinInTimeOrder, mostCommonSpacing, spacingGaps, type FileSummary, type HistoryGaps } from "./join-in-time-order.js";
import type { FundingFile, FundingFormat } from "./history-series.js";

/** One settlement of the joined series, its interval resolved (from the file, else the most common spacing). */
export interface FundingSettlementRow {
  readonly time: number;
  /** The rate paid for the interval, as the venue publishes it. */
  readonly rate: number;
  readonly intervalHours: number;
  readonly file: string;
}

export interface FundingHistory {
  readonly files: readonly FileSummary[];
  readonly formats: readonly FundingFormat[];
  /** The instrument the files name (the first one that names one), else null. */
  readonly instrument: string | null;
  readonly settlements: readonly FundingSettlementRow[];
  /** The most common spacing between settlements, in hours. */
  readonly intervalHours: number;
  /** Whether every interval came from the spacing (no file states it). */
  readonly intervalInferred: boolean;
  readonly duplicates: number;
  readonly differingDuplicates: number;
  readonly gaps: HistoryGaps;
}

/** A settlement within 1 % of its interval after the one before is on time (venues stamp a few ms late). */
const intervalTolerance = 0.01;

/**
 * Joins several files of one funding series in time order, duplicates dropped and counted, the range cut to
 * [from, to). A spacing longer than a settlement's interval is a gap (counted, the largest reported); funding is
 * never filled. Intervals may change within a history (a venue moving a symbol from 8 h to 4 h), so spacing is not
 * required to be constant.
 */
export function joinFundingHistory(files: readonly FundingFile[], range: { readonly from?: number; readonly to?: number } = {}): FundingHistory {
  if (files.length === 0) throw new MstressError("E_BAD_INPUT", "--funding: expected at least one funding file");
  const joined = joinInTimeOrder(files, range, (a, b) => a.rate !== b.rate);
  if (joined.rows.length < 3) throw new MstressError("E_BAD_INPUT", `--funding: expected at least 3 settlements${range.from !== undefined || range.to !== undefined ? " in the range --from/--to" : ""} to fit a process, got ${String(joined.rows.length)}`);
  const spacingHours = mostCommonSpacing(joined.rows.map(({ row }) => row.time)) / 3600;
  const settlements = joined.rows.map(({ row, file }) => ({ time: row.time, rate: row.rate, intervalHours: row.intervalHours ?? spacingHours, file }));
  const gaps = spacingGaps(settlements.map((s) => s.time), (i) => (settlements[i]?.intervalHours ?? Number.NaN) * 3600, intervalTolerance);
  return {
    files: joined.files,
    formats: [...new Set(files.map((file) => file.format))],
    instrument: files.find((file) => file.instrument !== null)?.instrument ?? null,
    settlements,
    intervalHours: spacingHours,
    intervalInferred: joined.rows.every(({ row }) => row.intervalHours === null),
    duplicates: joined.duplicates,
    differingDuplicates: joined.differingDuplicates,
    gaps,
  };
}
