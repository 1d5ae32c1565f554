import { MstressError } from "@mstress/core/engine";

/**
 * A price history as the backtest reads it: one row per step in time order, each with its high, low and close
 * and the instant its close holds (a bar's end; a point's own time, where high = low = close).
 */
export interface HistoryBars {
  readonly closeTime: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  /** Seconds between rows. */
  readonly step: number;
}

/** Funding settlements in time order: Unix seconds and the rate converted to per 8 h. */
export interface FundingRates {
  readonly time: Float64Array;
  readonly perEightHours: Float64Array;
}

/** Which rows each window takes. */
export interface WindowLayout {
  /** Rows monitored after the opening row: horizon / step. */
  readonly stepsPerWindow: number;
  /** Rows between two windows' openings: every / step. */
  readonly everyRows: number;
  /** Windows that fit wholly in the history (k = 0..count-1 opens at row k x everyRows). */
  readonly count: number;
  /** The windows kept, by k: those whose rows are contiguous in time (none spans a gap in the history). */
  readonly kept: Int32Array;
}

/**
 * Window k opens at the close of row k x every and is monitored over the next horizon / step rows, so it needs
 * rows k x every .. k x every + horizon / step: with R rows, the windows that fit wholly are
 * k = 0 .. floor((R - 1 - horizon / step) / every). A window whose last close is not exactly a horizon after its
 * opening close spans a gap (a missing row) and is left out; `kept` lists the others.
 */
export function windowLayout(history: HistoryBars, horizonSeconds: number, everySeconds: number): WindowLayout {
  const { step, closeTime } = history;
  const stepsPerWindow = wholeSteps(horizonSeconds, step);
  if (stepsPerWindow === null) {
    throw new MstressError("E_BAD_INPUT", `market.horizon: expected a whole number of the history's ${String(step)} s steps, got ${String(horizonSeconds)} s`);
  }
  const everyRows = wholeSteps(everySeconds, step);
  if (everyRows === null) throw new MstressError("E_BAD_INPUT", `--every: expected a whole number of the history's ${String(step)} s steps, got ${String(everySeconds)} s`);
  const rows = closeTime.length;
  const count = rows - 1 < stepsPerWindow ? 0 : Math.floor((rows - 1 - stepsPerWindow) / everyRows) + 1;
  if (count === 0) {
    throw new MstressError("E_BAD_INPUT", `--history: expected more than ${String(stepsPerWindow)} rows (one horizon of the scenario at the history's step) for a single window, got ${String(rows)}`);
  }
  const kept: number[] = [];
  for (let k = 0; k < count; k++) {
    const open = k * everyRows;
    const span = (closeTime[open + stepsPerWindow] ?? Number.NaN) - (closeTime[open] ?? Number.NaN);
    if (Math.abs(span - horizonSeconds) <= 1e-6 * step) kept.push(k);
  }
  return { stepsPerWindow, everyRows, count, kept: Int32Array.from(kept) };
}

/** seconds / step when it is a whole number >= 1 (to 1e-9), else null. */
function wholeSteps(seconds: number, step: number): number | null {
  const steps = seconds / step;
  const whole = Math.round(steps);
  return whole >= 1 && Math.abs(steps - whole) <= 1e-9 * Math.max(1, whole) ? whole : null;
}

/** Basis values from files in time order: Unix seconds from which each holds, and the basis (mark / index - 1). */
export interface BasisSeries {
  readonly time: Float64Array;
  readonly basis: Float64Array;
}

/**
 * The value in force at each row's close: the latest of `values` at or before it, NaN before the first. A value
 * stamped a few milliseconds after the hour (venues do) counts at that hour.
 */
export function inForceAtRows(history: HistoryBars, times: Float64Array, values: Float64Array): Float64Array {
  const inForce = new Float64Array(history.closeTime.length).fill(Number.NaN);
  let next = 0;
  let current = Number.NaN;
  history.closeTime.forEach((time, r) => {
    while (next < times.length && (times[next] ?? Number.POSITIVE_INFINITY) <= time + 1) {
      current = values[next] ?? Number.NaN;
      next++;
    }
    inForce[r] = current;
  });
  return inForce;
}

/** The funding rate per 8 h in force at each row's close: the latest settlement at or before it, NaN before the first. */
export function fundingAtRows(history: HistoryBars, funding: FundingRates): Float64Array {
  return inForceAtRows(history, funding.time, funding.perEightHours);
}

/** The basis in force at each row's close: the latest value of the files at or before it, NaN before the first. */
export function basisAtRows(history: HistoryBars, basis: BasisSeries): Float64Array {
  return inForceAtRows(history, basis.time, basis.basis);
}
