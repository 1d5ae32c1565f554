import type { PerpetualTerms } from "../venue/perpetual-terms.js";

/** The venue's cap and floor on a per-interval funding rate (venues.md §0, §1.5). */
export function clampFundingRate(terms: PerpetualTerms, rate: number): number {
  return Math.min(terms.fundingCap, Math.max(terms.fundingFloor, rate));
}
