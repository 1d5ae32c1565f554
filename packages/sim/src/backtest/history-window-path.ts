import { evenTimes, type PathGrid } from "../kernel/path-grid.js";
import type { MarketPath } from "../models/market-path.js";
import type { HistoryBars } from "./backtest-windows.js";

/** The market of a window besides the history's prices: what the scenario (or a funding file) says. */
export interface WindowMarket {
  readonly asset: string;
  /** The index every window opens at: the scenario's price, so the route opens at the scenario's notional. */
  readonly openingPrice: number;
  /** The scenario's basis mean (0 without a basis model): the basis of every row when no basis file is given. */
  readonly basis: number;
  /** The funding state where no funding file is given: the scenario's funding mean (per 8 h). */
  readonly fundingMean: number;
  /** The scenario's return coupling and venue offsets; the coupling is 0 with a funding file (real rates already respond). */
  readonly fundingCoupling: number;
  readonly fundingVenueOffset: ReadonlyMap<string, number>;
}

/**
 * The grid every window shares: `steps` rows of the history's step, one asset opening at the scenario's price and
 * basis, "box" steps (only a row's high and low are known: the evaluator checks each account on its way to the
 * corner worst for it, so a liquidation price between a row's low and high is touched in that row).
 */
export function windowGrid(market: WindowMarket, steps: number, step: number): PathGrid {
  return {
    assets: [market.asset],
    steps,
    times: evenTimes(steps, step),
    horizonSeconds: steps * step,
    initialIndex: Float64Array.of(market.openingPrice),
    basisInitial: Float64Array.of(market.basis),
    fundingCoupling: Float64Array.of(market.fundingCoupling),
    fundingVenueOffset: [market.fundingVenueOffset],
    stressFunding: new Float64Array(steps).fill(Number.NaN),
    withinStep: "box",
  };
}

export function allocateWindowPath(steps: number): MarketPath {
  return {
    index: new Float64Array(steps + 1),
    indexHigh: new Float64Array(steps),
    indexLow: new Float64Array(steps),
    basis: new Float64Array(steps + 1),
    fundingState: new Float64Array(steps + 1),
    stressed: new Uint8Array(steps),
  };
}

/**
 * Fills `path` with the window opening at row `openRow`, every price times `scale`: the index at each row's close
 * (the opening close at t0), each step's extremes from its row's high and low, widened to take in the closes on
 * either side (a bar whose high is below its open, as a source may have it, or a gap between one close and the
 * next open still keeps the path inside its box), the basis per row (the files' value in force, `basisRows`, or
 * the scenario's mean), and the funding state per row (the file's rate in force, `fundingRows`, or the scenario's
 * mean). With scale = openingPrice / the opening close, the window opens at the scenario's price: the scenario's
 * route at its own notional (see backtestRoute). The basis is a ratio and is not scaled.
 */
export function fillWindowPath(
  history: HistoryBars,
  fundingRows: Float64Array | null,
  market: WindowMarket,
  openRow: number,
  scale: number,
  path: MarketPath,
  basisRows: Float64Array | null = null,
): void {
  const steps = path.indexHigh.length;
  const { high, low, close } = history;
  path.index[0] = market.openingPrice;
  for (let s = 0; s <= steps; s++) {
    const row = openRow + s;
    if (s > 0) {
      const before = close[row - 1] ?? Number.NaN;
      const after = close[row] ?? Number.NaN;
      path.index[s] = scale * after;
      path.indexHigh[s - 1] = scale * Math.max(high[row] ?? Number.NaN, before, after);
      path.indexLow[s - 1] = scale * Math.min(low[row] ?? Number.NaN, before, after);
    }
    path.basis[s] = basisRows === null ? market.basis : (basisRows[row] ?? Number.NaN);
    path.fundingState[s] = fundingRows === null ? market.fundingMean : (fundingRows[row] ?? Number.NaN);
  }
}
