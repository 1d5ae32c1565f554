import type { ModeLabel } from "@mstress/core";
import type { ChartRecord } from "../charts/report-chart.js";
import type { GateVerdict } from "../gate/evaluate-limits.js";
import { modeFigures, type ModeFigures } from "../summary/mode-figures.js";
import type { RunSummary } from "../summary/run-summary.js";

/** One finished run as the trend reads it: where it is, when it started, what it ran and its sign-off verdict. */
export interface TrendRun {
  /** The results directory as the user named it: the run's label where it has no start time. */
  readonly directory: string;
  /** manifest.json's startedAt (ISO 8601, UTC), or null for a run that does not record it. */
  readonly startedAt: string | null;
  readonly seed: string;
  readonly paths: number;
  readonly scenarioSha256: string;
  readonly version: string;
  readonly summary: RunSummary;
  readonly verdict: GateVerdict;
  /** The scenario as the run used it: its description and file, shown for the newest run. */
  readonly description: string;
  readonly scenarioText: string;
}

/** The tidy trend table: one row per (run, mode), runs in time order. */
export interface TrendRow extends ModeFigures {
  /** 1 for the earliest run. */
  readonly run: number;
  /**
   * The run's number and its start time to the second ("#3 2026-11-30 02:00:41Z"), else its number and directory:
   * the x axis of the charts, telling apart runs minutes (or seconds) apart.
   */
  readonly label: string;
  readonly startedAt: string | null;
  readonly directory: string;
  readonly seed: string;
  readonly paths: number;
  /** The first 12 hex digits of the scenario's sha256, and whether it differs from the run before. */
  readonly scenario: string;
  readonly scenarioChanged: boolean;
  readonly verdict: GateVerdict;
  readonly mode: ModeLabel;
}

/** A run's start in milliseconds since the epoch, or NaN when it has none or it is not a time. */
export function startTime(run: Pick<TrendRun, "startedAt">): number {
  return run.startedAt === null ? Number.NaN : Date.parse(run.startedAt);
}

/**
 * The runs in time order: by start time; runs without a readable one first (they come from an mstress that did not
 * record it, so they are the older), then by directory name, which also breaks ties.
 */
export function orderRuns(runs: readonly TrendRun[]): TrendRun[] {
  const keyed = runs.map((run) => ({ run, time: startTime(run) }));
  keyed.sort((a, b) => {
    const aKnown = !Number.isNaN(a.time);
    const bKnown = !Number.isNaN(b.time);
    if (aKnown !== bKnown) return aKnown ? 1 : -1;
    if (aKnown && a.time !== b.time) return a.time - b.time;
    return a.run.directory < b.run.directory ? -1 : a.run.directory > b.run.directory ? 1 : 0;
  });
  return keyed.map(({ run }) => run);
}

/** Run 3 started "2026-11-30T02:00:41.123Z" -> "#3 2026-11-30 02:00:41Z"; without a start time, "#3 <directory>". */
export function runLabel(run: Pick<TrendRun, "startedAt" | "directory">, number: number): string {
  const time = startTime(run);
  return `#${String(number)} ${Number.isNaN(time) ? run.directory : `${new Date(time).toISOString().slice(0, 19).replace("T", " ")}Z`}`;
}

/** Rows of every run and mode, runs in time order and numbered from 1, so each run is its own point on the axis. */
export function trendRows(runs: readonly TrendRun[]): TrendRow[] {
  const ordered = orderRuns(runs);
  return ordered.flatMap((run, i) => {
    const previous = ordered[i - 1];
    return (Object.entries(run.summary.modes) as [ModeLabel, NonNullable<RunSummary["modes"][ModeLabel]>][]).map(([mode, summary]) => ({
      run: i + 1,
      label: runLabel(run, i + 1),
      startedAt: run.startedAt,
      directory: run.directory,
      seed: run.seed,
      paths: run.paths,
      scenario: run.scenarioSha256.slice(0, 12),
      scenarioChanged: previous !== undefined && previous.scenarioSha256 !== run.scenarioSha256,
      verdict: run.verdict,
      mode,
      ...modeFigures(summary),
    }));
  });
}

/** One run of the trend: its first row (the run's own columns are the same in each) and its row per mode. */
export interface TrendRunRows {
  readonly first: TrendRow;
  readonly byMode: ReadonlyMap<ModeLabel, TrendRow>;
}

/** The rows grouped by run, in the rows' (time) order: what a table with one line per run reads. */
export function rowsByRun(rows: readonly TrendRow[]): TrendRunRows[] {
  const runs = new Map<number, { first: TrendRow; byMode: Map<ModeLabel, TrendRow> }>();
  for (const row of rows) {
    let run = runs.get(row.run);
    if (run === undefined) {
      run = { first: row, byMode: new Map() };
      runs.set(row.run, run);
    }
    run.byMode.set(row.mode, row);
  }
  return [...runs.values()];
}

/** Flat records for trend.csv and the charts; booleans as "yes"/"no" so they read the same inline and from the CSV. */
export function trendRecords(rows: readonly TrendRow[]): ChartRecord[] {
  return rows.map((row) => ({ ...row, scenarioChanged: row.scenarioChanged ? "yes" : "no" }));
}

/**
 * Two runs whose intervals for the same mode do not overlap: a change bigger than the sampling error of either
 * run (the intervals are 95 % Wilson intervals, so this is a conservative reading, not a test at 5 %).
 */
export interface TrendShift {
  readonly mode: ModeLabel;
  readonly from: TrendRow;
  readonly to: TrendRow;
}

/**
 * Whether two 95 % intervals of one figure do not overlap: the move between them is more than the sampling error
 * of either (a conservative reading, not a test at 5 %). False when either interval is missing. The trend's notes
 * and the suite's moves since the previous night both read a move this way.
 */
export function intervalsApart(a: readonly [number, number] | null, b: readonly [number, number] | null): boolean {
  return a !== null && b !== null && (b[0] > a[1] || b[1] < a[0]);
}

/** Per mode, each run whose liquidation-probability interval does not overlap the run before's. */
export function liquidationShifts(rows: readonly TrendRow[]): TrendShift[] {
  return shiftsOf(rows, (row) => [row.liquidationProbabilityLow, row.liquidationProbabilityHigh]);
}

/** The same for APR on capital: moves whose intervals do not overlap the run before's (runs without one are skipped). */
export function aprShifts(rows: readonly TrendRow[]): TrendShift[] {
  return shiftsOf(rows, (row) => (row.aprOnCapitalLow === null || row.aprOnCapitalHigh === null ? null : [row.aprOnCapitalLow, row.aprOnCapitalHigh]));
}

function shiftsOf(rows: readonly TrendRow[], interval: (row: TrendRow) => readonly [number, number] | null): TrendShift[] {
  const shifts: TrendShift[] = [];
  const byMode = new Map<ModeLabel, TrendRow[]>();
  for (const row of rows) {
    const modeRows = byMode.get(row.mode);
    if (modeRows === undefined) byMode.set(row.mode, [row]);
    else modeRows.push(row);
  }
  for (const [mode, modeRows] of byMode) {
    for (let i = 1; i < modeRows.length; i++) {
      const from = modeRows[i - 1];
      const to = modeRows[i];
      if (from === undefined || to === undefined) continue;
      if (intervalsApart(interval(from), interval(to))) shifts.push({ mode, from, to });
    }
  }
  return shifts;
}
