import { quantileSorted, sortedCopy } from "../statistics/quantile.js";
import { wilsonIntervalOf } from "../statistics/wilson-interval.js";
import { utcTime, type BacktestRow } from "./backtest-table.js";
import type { ModelCheck } from "./model-check.js";

/** A window among a mode's worst: when it opened and closed, what happened, what it cost. */
export interface WorstWindow {
  readonly window: number;
  readonly openedAt: string;
  readonly closesAt: string;
  readonly openPrice: number;
  readonly liquidated: boolean;
  readonly liquidatedAt: string | null;
  readonly liquidationPrice: number | null;
  readonly loss: number;
  readonly pnl: number;
}

/** One mode's figures over the windows of history: the object `--json` prints under the mode's name. */
export interface BacktestModeSummary {
  readonly windows: number;
  /** The count the intervals rest on: the windows that do not overlap (see effectiveWindowCount). */
  readonly effectiveWindows: number;
  readonly liquidatedWindows: number;
  readonly liquidationFrequency: number;
  /** 95 % Wilson interval at the effective count. */
  readonly liquidationFrequencyCi: readonly [number, number];
  readonly hedgeBrokenWindows: number;
  readonly hedgeBrokenFrequency: number;
  readonly hedgeBrokenFrequencyCi: readonly [number, number];
  /** Over liquidated windows; null when none was. */
  readonly lossGivenLiquidation: { readonly mean: number; readonly max: number } | null;
  /** Seconds from opening to the first liquidation, median over liquidated windows. */
  readonly medianTimeToLiquidation: number | null;
  readonly pnl: { readonly mean: number; readonly p05: number; readonly p50: number; readonly p95: number; readonly min: number };
  readonly capitalEmployed: number;
  /** Mean PnL / mean capital employed x 365 d / horizon, as in a run; null without capital. */
  readonly aprOnCapital: number | null;
  /** The worst windows by PnL, no two overlapping (each a distinct episode of history), worst first. */
  readonly worstWindows: readonly WorstWindow[];
  readonly modelCheck: ModelCheck | null;
}

export const intervalMethod =
  "95 % Wilson interval on the effective count of windows, n_eff = 1 + (N - 1) x every / horizon (at most N): the number of windows that do not overlap, since overlapping windows share their rows and are not independent trials";

/**
 * The effective count of N windows opened `every` apart, each `horizon` long: 1 + (N − 1) × every / horizon, at
 * most N. It is the number of non-overlapping windows the history holds, which is what the windows are worth as
 * independent trials: windows a day apart over 30 days share 29 of their 30 days and mostly agree. Since the
 * overlapping windows still use more of the data than any one non-overlapping set, an interval on this count is a
 * little wide rather than too narrow (for overlapping sums the variance of the mean is about 2/3 of the
 * non-overlapping one; Hansen & Hodrick 1980). It cannot widen for regimes that last longer than a window
 * (volatility clusters for months), which no count of one history can.
 */
export function effectiveWindowCount(windows: number, everySeconds: number, horizonSeconds: number): number {
  if (windows <= 0) return 0;
  return Math.min(windows, 1 + ((windows - 1) * everySeconds) / horizonSeconds);
}

/** How many worst windows the summary lists per mode. */
export const worstWindowCount = 10;

/**
 * The worst windows by PnL, worst first, skipping any that overlaps one already listed: overlapping windows
 * are mostly the same episode, and a list of ten windows a day apart around one crash says less than ten
 * episodes. Ties go to the earlier window.
 */
export function worstWindows(rows: readonly BacktestRow[], count = worstWindowCount): WorstWindow[] {
  const ranked = [...rows].sort((a, b) => a.pnl - b.pnl || a.window - b.window);
  const chosen: BacktestRow[] = [];
  for (const row of ranked) {
    if (chosen.length >= count) break;
    if (chosen.some((c) => row.openedAt < c.closesAt && c.openedAt < row.closesAt)) continue;
    chosen.push(row);
  }
  return chosen.map((row) => ({
    window: row.window,
    openedAt: utcTime(row.openedAt),
    closesAt: utcTime(row.closesAt),
    openPrice: row.openPrice,
    liquidated: row.liquidated,
    liquidatedAt: row.liquidatedAt === null ? null : utcTime(row.liquidatedAt),
    liquidationPrice: row.liquidationPrice,
    loss: row.loss,
    pnl: row.pnl,
  }));
}

/** One mode's rows (in window order) summarised; `modelCheck` is attached by the caller when there is one. */
export function summariseBacktestMode(rows: readonly BacktestRow[], options: { readonly everySeconds: number; readonly horizonSeconds: number; readonly modelCheck?: ModelCheck | null }): BacktestModeSummary {
  const windows = rows.length;
  if (windows === 0) throw new RangeError("summariseBacktestMode: expected at least one window");
  const effectiveWindows = effectiveWindowCount(windows, options.everySeconds, options.horizonSeconds);
  const liquidated = rows.filter((row) => row.liquidated);
  const hedgeBroken = rows.filter((row) => row.hedgeBroken).length;
  const frequency = liquidated.length / windows;
  const hedgeFrequency = hedgeBroken / windows;
  const pnl = sortedCopy(Float64Array.from(rows, (row) => row.pnl));
  const meanOf = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
  const meanPnl = meanOf(rows.map((row) => row.pnl));
  const capital = meanOf(rows.map((row) => row.capitalEmployed));
  const losses = liquidated.map((row) => row.loss);
  const times = sortedCopy(Float64Array.from(liquidated, (row) => (row.liquidatedAt ?? Number.NaN) - row.openedAt));
  return {
    windows,
    effectiveWindows,
    liquidatedWindows: liquidated.length,
    liquidationFrequency: frequency,
    liquidationFrequencyCi: wilsonIntervalOf(frequency, effectiveWindows),
    hedgeBrokenWindows: hedgeBroken,
    hedgeBrokenFrequency: hedgeFrequency,
    hedgeBrokenFrequencyCi: wilsonIntervalOf(hedgeFrequency, effectiveWindows),
    lossGivenLiquidation: losses.length === 0 ? null : { mean: meanOf(losses), max: Math.max(...losses) },
    medianTimeToLiquidation: times.length === 0 ? null : quantileSorted(times, 0.5),
    pnl: { mean: meanPnl, p05: quantileSorted(pnl, 0.05), p50: quantileSorted(pnl, 0.5), p95: quantileSorted(pnl, 0.95), min: pnl[0] ?? Number.NaN },
    capitalEmployed: capital,
    aprOnCapital: capital > 0 ? (meanPnl / capital) * ((365 * 86_400) / options.horizonSeconds) : null,
    worstWindows: worstWindows(rows),
    modelCheck: options.modelCheck ?? null,
  };
}

/** The rows of each label, in the labels' order. */
export function rowsByMode(rows: readonly BacktestRow[], labels: readonly string[]): Map<string, BacktestRow[]> {
  const byMode = new Map(labels.map((label) => [label, [] as BacktestRow[]]));
  for (const row of rows) byMode.get(row.mode)?.push(row);
  return byMode;
}
