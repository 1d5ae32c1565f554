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

  readonly #legIndex: ReadonlyMap<string, number>;

  constructor(box: StepBox, actions: RouteActions, scaled: PathMarket, maxWatches: number, legIndex: ReadonlyMap<string, number>) {
    this.#legIndex = legIndex;
    this.#box = box;
    this.#actions = actions;
    this.#scaled = scaled;
    this.corner = new Int32Array(maxWatches);
  }

  /**
   * Whether watch w's barrier is met at the market's current prices: its margin surplus is at or below zero, or
   * (with live triggers, not `quiet`) one of its triggers is met.
   */
  barrierMet(watches: readonly AccountWatch[], w: number, quiet: boolean): boolean {
    const watch = watches[w];
    if (watch === undefined) return false;
    if (!watch.needsSolver) {
      const decided = this.#closedFormBarrier(watch, w, quiet);
      if (decided >= 0) return decided === 1;
    }
    if (marginSurplus(watch.account, this.#box.market) <= 0) return true;
    if (quiet) return false;
    const t = this.searchTime;
    for (const trigger of this.#actions.triggersOf(w)) {
      if (this.#actions.isLive(trigger, t) && this.#actions.triggerMet(trigger, watch.account, this.#scaled)) return true;
    }
    return false;
  }

  /**
   * `barrierMet` from the closed-form liquidation prices (isolated positions, a cross account's one position):
   * 1 met, 0 not met, -1 when a position is within 1e-9 of a price it is compared with, or a trigger watches some
   * of several positions, and the surpluses must decide. The same answer as the surpluses wherever it decides.
   */
  #closedFormBarrier(watch: AccountWatch, w: number, quiet: boolean): number {
    const market = this.#box.market;
    const positions = watch.account.positions;
    let undecided = false;
    for (let i = 0; i < positions.length; i++) {
      const side = watch.closedFormSide(market, i, 1);
      if (side === 1) return 1;
      if (side < 0) undecided = true;
    }
    if (quiet) return undecided ? -1 : 0;
    const t = this.searchTime;
    for (const trigger of this.#actions.triggersOf(w)) {
      if (!this.#actions.isLive(trigger, t)) continue;
      for (let i = 0; i < positions.length; i++) {
        const position = positions[i];
        if (position === undefined) continue;
        if (trigger.legs !== null && !trigger.legs.includes(this.#legIndex.get(position.leg) ?? -1)) continue;
        // A short's trigger is met first on the way up (1 + d), a long's on the way down (1 - d).
        const side = watch.closedFormSide(market, i, position.side < 0 ? 1 + trigger.distance : 1 - trigger.distance);
        if (side === 1) return 1;
        if (side < 0) undecided = true;
      }
    }
    return undecided ? -1 : 0;
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
    if (!this.barrierMet(watches, w, quiet)) return Number.POSITIVE_INFINITY;
    let alive = u;
    let breached = uLimit;
    this.#box.setCorner(watch, corner, u);
    if (this.barrierMet(watches, w, quiet)) breached = u;
    while (breached - alive > 1e-9) {
      const mid = 0.5 * (alive + breached);
      this.#box.setCorner(watch, corner, mid);
      if (this.barrierMet(watches, w, quiet)) breached = mid;
      else alive = mid;
    }
    return breached;
  }
}
