import type { PerpetualTerms } from "../venue/perpetual-terms.js";

/** The venue's cap and floor on a per-interval funding rate (docs/venues.md §0, §1.5). */
export function clampFundingRate(terms: PerpetualTerms, rate: number): number {
  return Math.min(terms.fundingCap, Math.max(terms.fundingFloor, rate));
}

/**
 * The per-interval rate a venue settles: capped, then quantised to 1e-8, the precision venues publish and settle
 * rates at (Binance's fundingRate carries 8 decimals; docs/venues.md §1.5), before it meets the ledger. Replay and the
 * Monte Carlo both settle through this.
 */
export function settledFundingRate(terms: PerpetualTerms, rate: number): number {
  return Math.round(clampFundingRate(terms, rate) * 1e8) / 1e8;
}
