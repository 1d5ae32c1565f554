import type { PerpetualTerms } from "../venue/perpetual-terms.js";
import type { Side } from "../liquidation/liquidation-price.js";

/** The venue's cap and floor on a per-interval funding rate (venues.md §0, §1.5). */
export function clampFundingRate(terms: PerpetualTerms, rate: number): number {
  return Math.min(terms.fundingCap, Math.max(terms.fundingFloor, rate));
}

/**
 * Funding received by a position over one interval (negative = paid): notional at mark times the rate, longs pay
 * shorts when the rate is positive (domain.md "Funding").
 */
export function fundingReceived(side: Side, quantity: number, markPrice: number, rate: number): number {
  return -side * quantity * markPrice * rate;
}
