import { marginSurplus } from "@mstress/core/engine";
import type { RouteActions } from "../policies/route-actions.js";
import type { AccountWatch } from "./account-watch.js";
import type { PathMarket } from "./path-market.js";
import type { StepBox } from "./step-box.js";

/**
 * Where, inside a step, an account's barrier is first met on its way to the corner of the step's box worst for
 * it: its margin surplus (liquidation) and, while the policies' triggers are live, each trigger's surplus.
 */
export class CrossingSearch {
  readonly #box: StepBox;
  readonly #actions: RouteActions;
  readonly #scaled: PathMarket;
  /** Per watch, the box corner it is checked towards this step (-1: not chosen yet). */
  readonly corner: Int32Array;
  /** Time the current search starts from: whether a trigger is live is read there (it changes only at an event). */
  searchTime = 0;

  constructor(box: StepBox, actions: RouteActions, scaled: PathMarket, maxWatches: number) {
    this.#box = box;
    this.#actions = actions;
    this.#scaled = scaled;
    this.corner = new Int32Array(maxWatches);
  }

  /**
   * The barrier watch w is checked against: its margin surplus, and with live triggers (not `quiet`) the smaller
   * of it and each trigger's surplus (prices moved by 1 +- d), at the market's current prices.
   */
  barrier(watches: readonly AccountWatch[], w: number, quiet: boolean): number {
    const watch = watches[w];
    if (watch === undefined) return Number.POSITIVE_INFINITY;
    const surplus = marginSurplus(watch.account, this.#box.market);
    if (quiet) return surplus;
    const t = this.searchTime;
    let lowest = surplus;
    for (const trigger of this.#actions.triggersOf(w)) {
      if (!this.#actions.isLive(trigger, t)) continue;
      const value = this.#actions.triggerSurplus(trigger, watch.account, this.#scaled);
      if (value < lowest) lowest = value;
    }
    return lowest;
  }

  /**
   * The first fraction of the step in (u, uLimit] where watch w's barrier is met on its way to its worst corner
   * (+Infinity: none). The corner is the one with the lowest surplus at the step's extremes (the surplus is
   * concave in the prices, so its minimum over the box is at a corner); on a scripted step, the step's end. The
   * crossing is located by bisection to 1e-9 of the step.
   */
  firstCrossing(watches: readonly AccountWatch[], w: number, u: number, uLimit: number, quiet: boolean): number {
    const watch = watches[w];
    if (watch === undefined) return Number.POSITIVE_INFINITY;
    let corner = this.corner[w] ?? -1;
    if (corner < 0) {
      corner = 0;
      if (!this.#box.linear) {
        let worst = Number.POSITIVE_INFINITY;
        const corners = 1 << watch.assets.length;
        for (let c = 0; c < corners; c++) {
          this.#box.setCorner(watch, c, 1);
          const surplus = marginSurplus(watch.account, this.#box.market);
          if (surplus < worst) {
            worst = surplus;
            corner = c;
          }
        }
      }
      this.corner[w] = corner;
    }
    this.#box.setCorner(watch, corner, uLimit);
    if (this.barrier(watches, w, quiet) > 0) return Number.POSITIVE_INFINITY;
    let alive = u;
    let breached = uLimit;
    this.#box.setCorner(watch, corner, u);
    if (this.barrier(watches, w, quiet) <= 0) breached = u;
    while (breached - alive > 1e-9) {
      const mid = 0.5 * (alive + breached);
      this.#box.setCorner(watch, corner, mid);
      if (this.barrier(watches, w, quiet) <= 0) breached = mid;
      else alive = mid;
    }
    return breached;
  }
}
