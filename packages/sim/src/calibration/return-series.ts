import { secondsPerYear } from "../models/market-model.js";

/**
 * Log returns step by step, as the simulator draws them: `returns[s]` is ln(P_{s+1} / P_s) for the step s of
 * `stepSeconds`, NaN where the history has no price at one end (a gap): a return spanning a gap is not a one-step
 * return and is left out of every likelihood, and the GARCH variance steps over it as over a step not seen.
 */
export interface ReturnSeries {
  readonly returns: Float64Array;
  readonly stepSeconds: number;
  /** The step in years of 365 days, the simulator's dt. */
  readonly dt: number;
  /** Returns observed (not NaN). */
  readonly observed: number;
}

/** The step returns of prices `closes` at `times` (seconds, increasing, each a whole number of steps apart). */
export function stepReturns(times: ArrayLike<number>, closes: ArrayLike<number>, stepSeconds: number): ReturnSeries {
  const first = times[0] ?? 0;
  const steps = Math.round(((times[times.length - 1] ?? first) - first) / stepSeconds);
  const returns = new Float64Array(steps).fill(Number.NaN);
  let observed = 0;
  for (let i = 1; i < times.length; i++) {
    const from = Math.round(((times[i - 1] ?? 0) - first) / stepSeconds);
    const to = Math.round(((times[i] ?? 0) - first) / stepSeconds);
    if (to - from !== 1) continue;
    returns[from] = Math.log((closes[i] ?? 1) / (closes[i - 1] ?? 1));
    observed++;
  }
  return { returns, stepSeconds, dt: stepSeconds / secondsPerYear, observed };
}

/** A series from returns already in hand (a simulated path, a test); NaN marks a step not observed. */
export function returnSeries(returns: Float64Array, stepSeconds: number): ReturnSeries {
  let observed = 0;
  for (const r of returns) if (!Number.isNaN(r)) observed++;
  return { returns, stepSeconds, dt: stepSeconds / secondsPerYear, observed };
}

/** Mean and sample standard deviation of the observed returns. */
export function returnMoments(series: ReturnSeries): { mean: number; stdDev: number } {
  let sum = 0;
  for (const r of series.returns) if (!Number.isNaN(r)) sum += r;
  const mean = sum / series.observed;
  let squares = 0;
  for (const r of series.returns) if (!Number.isNaN(r)) squares += (r - mean) * (r - mean);
  return { mean, stdDev: Math.sqrt(squares / Math.max(1, series.observed - 1)) };
}
