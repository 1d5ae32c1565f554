import { MstressError } from "../errors/mstress-error.js";
import { cellError, isoTime } from "./history-cells.js";
import { joinInTimeOrder, mostCommonSpacing, type FileSummary, type HistoryGaps, type SourcedRow } from "./join-in-time-order.js";
import type { PriceFile, PriceRow, RowOrigin } from "./history-series.js";

export interface PriceHistoryOptions {
  /** Seconds between rows; when absent, the most common spacing in the data (and the output says it was inferred). */
  readonly step?: number;
  /** Unix seconds: rows at or after `from` and before `to` are kept. */
  readonly from?: number;
  readonly to?: number;
  /** `previous` fills each missing step with a flat row at the last close; `none` (the default) only reports gaps. */
  readonly fill?: "none" | "previous";
}

/** One price series joined from its files, in time order, one row per step where the data has one. */
export interface PriceHistory {
  readonly files: readonly FileSummary[];
  readonly rowKind: "bar" | "point";
  readonly step: number;
  readonly stepInferred: boolean;
  readonly rows: readonly PriceRow[];
  /** The file each row came from (parallel to `rows`; "filled" for a row `--fill previous` added). */
  readonly rowFiles: readonly string[];
  readonly duplicates: number;
  /** Of the duplicates, those whose close differs from the row kept (the earlier file's). */
  readonly differingDuplicates: number;
  readonly gaps: HistoryGaps;
  readonly filled: number;
  readonly unbracketedBars: { readonly count: number; readonly first: { readonly file: string; readonly at: RowOrigin } | null };
}

/** Step tolerance: a spacing within 0.1 % of a whole number of steps is that number of steps. */
const stepTolerance = 1e-3;

/**
 * Joins several files of one price series (monthly dumps, say): rows from every file in time order, a time given
 * twice kept once (the earlier file's row) and counted, the range cut to [from, to). Every row must then be a whole
 * number of steps after the one before; a row that is not is bad data named by its file and line. A spacing of
 * more than one step is a gap: counted and the largest reported, and filled only when `fill` is `previous`.
 */
export function joinPriceHistory(files: readonly PriceFile[], options: PriceHistoryOptions = {}): PriceHistory {
  const first = files[0];
  if (first === undefined) throw new MstressError("E_BAD_INPUT", "prices: expected at least one price file");
  const other = files.find((file) => file.rowKind !== first.rowKind);
  if (other !== undefined) {
    throw new MstressError("E_BAD_INPUT", `${other.origin}: expected the same kind of rows as ${first.origin} (${first.rowKind === "bar" ? "bars: open, high, low, close" : "timestamp,price"}), got ${other.rowKind === "bar" ? "bars" : "timestamp,price"}: join files of one series`);
  }
  const joined = joinInTimeOrder(files, options, (a, b) => a.close !== b.close);
  const rows = joined.rows;
  if (rows.length < 2) throw new MstressError("E_BAD_INPUT", `prices: expected at least 2 rows${options.from !== undefined || options.to !== undefined ? " in the range --from/--to" : ""}, got ${String(rows.length)}`);
  const step = options.step ?? mostCommonSpacing(rows.map((r) => r.row.time));
  const filled: SourcedRow<PriceRow>[] = [];
  const gaps = { count: 0, missingSteps: 0, largestSeconds: 0, largestAfter: null as number | null };
  rows.forEach((current, i) => {
    const previous = rows[i - 1];
    if (previous !== undefined) {
      const spacing = current.row.time - previous.row.time;
      const steps = Math.round(spacing / step);
      if (steps < 1 || Math.abs(spacing / step - steps) > stepTolerance) {
        const line = "line" in current.row.origin ? current.row.origin.line : 0;
        throw cellError(current.file, line, 1, "timestamp", `expected rows a whole number of steps of ${String(step)} s apart${options.step === undefined ? " (the most common spacing)" : " (--step)"}, this row is ${String(spacing)} s after the previous (${isoTime(previous.row.time)})`, isoTime(current.row.time));
      }
      if (steps > 1) {
        gaps.count++;
        gaps.missingSteps += steps - 1;
        if (spacing > gaps.largestSeconds) {
          gaps.largestSeconds = spacing;
          gaps.largestAfter = previous.row.time;
        }
        if (options.fill === "previous") {
          const close = previous.row.close;
          for (let k = 1; k < steps; k++) filled.push({ row: { time: previous.row.time + k * step, open: close, high: close, low: close, close, origin: { path: "filled" } }, file: "filled" });
        }
      }
    }
    filled.push(current);
  });
  const unbracketed = rows.filter(({ row }) => row.high < Math.max(row.open, row.close) || row.low > Math.min(row.open, row.close));
  return {
    files: joined.files,
    rowKind: first.rowKind,
    step,
    stepInferred: options.step === undefined,
    rows: filled.map((r) => r.row),
    rowFiles: filled.map((r) => r.file),
    duplicates: joined.duplicates,
    differingDuplicates: joined.differingDuplicates,
    gaps,
    filled: filled.length - rows.length,
    unbracketedBars: { count: unbracketed.length, first: unbracketed[0] === undefined ? null : { file: unbracketed[0].file, at: unbracketed[0].row.origin } },
  };
}
