/**
 * The time grid and market constants the route evaluator reads, whatever made the path: a market model (the
 * Monte Carlo), a script (replay) or a window of history (backtest). The path's prices live in a MarketPath on
 * this grid: the index, basis and funding state at t_0..t_S, and the index's extremes inside each step.
 */
export interface PathGrid {
  readonly assets: readonly string[];
  readonly steps: number;
  /** Seconds from the start of each grid point t_0..t_S (t_0 = 0); increasing, not necessarily evenly spaced. */
  readonly times: Float64Array;
  readonly horizonSeconds: number;
  /** Index and basis at t_0, where every path opens. */
  readonly initialIndex: Float64Array;
  readonly basisInitial: Float64Array;
  /** Funding: the rate per 8 h is the path's state plus a per-venue offset plus the coupling times the log return over the interval just ended. */
  readonly fundingCoupling: Float64Array;
  readonly fundingVenueOffset: readonly ReadonlyMap<string, number>[];
  /** Funding held per (step, asset) by a stress overlay: NaN none, -Infinity the venue floor, +Infinity its cap, else a rate per 8 h. */
  readonly stressFunding: Float64Array;
  /**
   * How prices move inside a step. "box": only the step's extremes are known (bridge-sampled, or a bar's high and
   * low); an account is checked on the way from the step's start to the corner of the extremes worst for it,
   * log-linear in the index. "segment": prices move on the straight line from the step's start to its end, linear
   * in price (a scripted path, exact).
   */
  readonly withinStep: "box" | "segment";
}

/** t_s = s x step for s = 0..steps. */
export function evenTimes(steps: number, stepSeconds: number): Float64Array {
  const times = new Float64Array(steps + 1);
  for (let s = 0; s <= steps; s++) times[s] = s * stepSeconds;
  return times;
}
