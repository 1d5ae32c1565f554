import type { AccountWatch } from "./account-watch.js";
import type { PathMarket } from "./path-market.js";

/**
 * On sampled paths, the distance to liquidation of an account that needs the one-factor solver is computed once
 * a day of simulated time (every max(1, round(1 d / step)) steps, and at the last step): the solver costs 30-45 us
 * a call here (about a hundred surplus evaluations; measured on funding-arb-btc's portfolio account) against a few
 * tenths of a microsecond for a closed-form account, whose liquidation prices are kept between bookings. At every
 * 1 h step it would add ~25 ms to each sampled path, 2.5 s of CPU for a 100-path sample; once a day it adds ~1 ms.
 * Steps in between leave the mode's cell empty when one of its open accounts needs the solver; modes whose
 * accounts all have closed forms get every step.
 */
export const solverDistanceEverySeconds = 86_400;

/**
 * The smallest distance to liquidation over the mode's open accounts at the market's current prices; NaN when
 * none has a liquidation price, or when `solverDue` is false and an open account needs the solver.
 */
export function sampledDistance(watches: readonly AccountWatch[], market: PathMarket, solverDue: boolean): number {
  let nearest = Number.NaN;
  for (const watch of watches) {
    if (watch.account.positions.length === 0) continue;
    if (!solverDue && watch.needsSolver) return Number.NaN;
    const distance = watch.distanceNow(market);
    if (!Number.isNaN(distance) && (Number.isNaN(nearest) || distance < nearest)) nearest = distance;
  }
  return nearest;
}
