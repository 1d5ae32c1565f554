/**
 * The fan chart's sample (pnl-paths.csv): for the first paths of the run, the route's PnL after every step and,
 * when the run recorded it, the mode's distance to liquidation at that instant (NaN where undefined: no position
 * with a liquidation price). One entry per (path, mode, step), in file order.
 */
export interface ReservoirPaths {
  readonly mode: readonly string[];
  readonly t: Float64Array;
  readonly pnl: Float64Array;
  readonly distanceToLiquidation: Float64Array | null;
}
