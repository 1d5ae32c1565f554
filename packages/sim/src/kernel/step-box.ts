import type { MarketPath } from "../models/market-path.js";
import type { AccountWatch } from "./account-watch.js";
import type { PathGrid } from "./path-grid.js";
import type { PathMarket } from "./path-market.js";
import type { RoutePnl } from "./route-pnl.js";

/**
 * The route evaluator's view of one step of a path: the price box of every step (index extremes, the basis on
 * either side, the mark they make), and the points inside a step it moves the market to while it looks for a
 * crossing: towards a corner of the box, along the straight line, towards the route PnL's worst corner.
 */
export class StepBox {
  readonly #grid: PathGrid;
  readonly #path: MarketPath;
  readonly market: PathMarket;
  /** Each step's price box (step x asset), shared by every evaluation of a path: mark and basis on either side. */
  readonly markHigh: Float64Array;
  readonly markLow: Float64Array;
  readonly basisHigh: Float64Array;
  readonly basisLow: Float64Array;
  /** Step of the box `setCorner` works on. */
  step = 1;
  readonly linear: boolean;

  constructor(grid: PathGrid, path: MarketPath, market: PathMarket) {
    this.#grid = grid;
    this.#path = path;
    this.market = market;
    const n = grid.assets.length;
    this.markHigh = new Float64Array(grid.steps * n);
    this.markLow = new Float64Array(grid.steps * n);
    this.basisHigh = new Float64Array(grid.steps * n);
    this.basisLow = new Float64Array(grid.steps * n);
    this.linear = grid.withinStep === "segment";
  }

  /**
   * The price box of every step: index extremes from the path, the basis at its worse endpoint for each side (the
   * basis is taken as linear within a step; its own noise enters at the step's end).
   */
  computeBoxes(): void {
    const path = this.#path;
    const cells = this.markHigh.length;
    const n = this.#grid.assets.length;
    for (let i = 0; i < cells; i++) {
      const b0 = path.basis[i] ?? 0;
      const b1 = path.basis[i + n] ?? 0;
      const high = b0 > b1 ? b0 : b1;
      const low = b0 > b1 ? b1 : b0;
      this.basisHigh[i] = high;
      this.basisLow[i] = low;
      this.markHigh[i] = (path.indexHigh[i] ?? 0) * (1 + high);
      this.markLow[i] = (path.indexLow[i] ?? 0) * (1 + low);
    }
  }

  setMarketAt(s: number): void {
    const n = this.#grid.assets.length;
    for (let a = 0; a < n; a++) this.market.set(a, this.#path.index[s * n + a] ?? 0, this.#path.basis[s * n + a] ?? 0);
  }

  /**
   * Sets the market to a point on the segment from the step's start (fraction 0) to a corner of its box
   * (fraction 1) for the watch's assets: log-linear in the index, linear in the basis; on a scripted step, the
   * straight line to the step's end, linear in the price. Bit j of `corner` picks the high side for the account's
   * j-th asset.
   */
  setCorner(watch: AccountWatch, corner: number, fraction: number): void {
    const n = this.#grid.assets.length;
    const box = (this.step - 1) * n;
    const path = this.#path;
    for (let j = 0; j < watch.assets.length; j++) {
      const a = watch.assets[j] ?? 0;
      const start = path.index[box + a] ?? 0;
      const basisStart = path.basis[box + a] ?? 0;
      if (this.linear) {
        const end = path.index[box + n + a] ?? 0;
        const basisEnd = path.basis[box + n + a] ?? 0;
        this.market.set(a, start + (end - start) * fraction, basisStart + (basisEnd - basisStart) * fraction);
        continue;
      }
      const high = (corner >> j) & 1;
      const end = high === 1 ? (path.indexHigh[box + a] ?? 0) : (path.indexLow[box + a] ?? 0);
      const basisEnd = high === 1 ? (this.basisHigh[box + a] ?? 0) : (this.basisLow[box + a] ?? 0);
      const index = fraction === 1 ? end : start * Math.pow(end / start, fraction);
      this.market.set(a, index, basisStart + (basisEnd - basisStart) * fraction);
    }
  }

  /** Every asset at fraction u of the step on the straight line from its start to its end (log-linear in the index on a box step). */
  setStraight(u: number): void {
    const n = this.#grid.assets.length;
    const box = (this.step - 1) * n;
    const path = this.#path;
    for (let a = 0; a < n; a++) {
      const start = path.index[box + a] ?? 0;
      const end = path.index[box + n + a] ?? 0;
      const basisStart = path.basis[box + a] ?? 0;
      const basis = basisStart + ((path.basis[box + n + a] ?? 0) - basisStart) * u;
      const index = this.linear ? start + (end - start) * u : start * Math.pow(end / start, u);
      this.market.set(a, index, basis);
    }
  }

  /**
   * Every asset at fraction u on its way to the corner of step s's box worst for the route's PnL (an affine form
   * in the prices: per asset, the index and basis extremes that lower it most).
   */
  setPnlPoint(routePnl: RoutePnl, u: number): void {
    const n = this.#grid.assets.length;
    const box = (this.step - 1) * n;
    const path = this.#path;
    for (let a = 0; a < n; a++) {
      const start = path.index[box + a] ?? 0;
      const basisStart = path.basis[box + a] ?? 0;
      const { index: end, basis: basisEnd } = this.#pnlCorner(routePnl, box, a);
      const index = this.linear ? start + (end - start) * u : start * Math.pow(end / start, u);
      this.market.set(a, index, basisStart + (basisEnd - basisStart) * u);
    }
  }

  /** Asset a's index and basis extremes of the step (box at `box`) that make the route's PnL lowest; on a scripted step, its end. */
  #pnlCorner(routePnl: RoutePnl, box: number, a: number): { index: number; basis: number } {
    const n = this.#grid.assets.length;
    const path = this.#path;
    if (this.linear) return { index: path.index[box + n + a] ?? 0, basis: path.basis[box + n + a] ?? 0 };
    let best = { index: 0, basis: 0 };
    let lowest = Number.POSITIVE_INFINITY;
    for (const index of [path.indexHigh[box + a] ?? 0, path.indexLow[box + a] ?? 0]) {
      for (const basis of [this.basisHigh[box + a] ?? 0, this.basisLow[box + a] ?? 0]) {
        const value = routePnl.assetValue(a, index, basis);
        if (value < lowest) {
          lowest = value;
          best = { index, basis };
        }
      }
    }
    return best;
  }

  /** The route's PnL at the worst corner of step s's box (a lower bound over the step; on a scripted step, the lower end). */
  pnlAtWorstCorner(routePnl: RoutePnl, s: number): number {
    const n = this.#grid.assets.length;
    const box = (s - 1) * n;
    const path = this.#path;
    let pnl = routePnl.constantTerm;
    for (let a = 0; a < n; a++) {
      if (this.linear) {
        pnl += Math.min(routePnl.assetValue(a, path.index[box + a] ?? 0, path.basis[box + a] ?? 0), routePnl.assetValue(a, path.index[box + n + a] ?? 0, path.basis[box + n + a] ?? 0));
        continue;
      }
      const { index, basis } = this.#pnlCorner(routePnl, box, a);
      pnl += routePnl.assetValue(a, index, basis);
    }
    return pnl;
  }

  /** The first fraction in (u, uLimit] where the route's PnL on its way to its worst corner is at or below `level`. */
  firstPnlCrossing(routePnl: RoutePnl, level: number, u: number, uLimit: number): number {
    this.setPnlPoint(routePnl, uLimit);
    if (routePnl.atMarket(this.market) > level) return Number.POSITIVE_INFINITY;
    let alive = u;
    let breached = uLimit;
    this.setPnlPoint(routePnl, u);
    if (routePnl.atMarket(this.market) <= level) breached = u;
    while (breached - alive > 1e-9) {
      const mid = 0.5 * (alive + breached);
      this.setPnlPoint(routePnl, mid);
      if (routePnl.atMarket(this.market) <= level) breached = mid;
      else alive = mid;
    }
    return breached;
  }
}
