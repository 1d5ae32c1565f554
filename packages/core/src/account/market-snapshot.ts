import type { PerpetualTerms } from "../venue/perpetual-terms.js";

/** Prices at one instant of a path: the spot index per asset, and the basis that turns it into a perp mark. */
export interface MarketSnapshot {
  /** Spot index price of an asset (e.g. "BTC"). */
  indexPrice(asset: string): number;
  /** Mark price of a perpetual: index * (1 + basis) (docs/domain.md "Mark price"). */
  markPrice(terms: PerpetualTerms): number;
}

/** A snapshot from index prices and one basis for every perp. */
export function snapshotOf(index: ReadonlyMap<string, number>, basis = 0): MarketSnapshot {
  const indexPrice = (asset: string): number => {
    const price = index.get(asset);
    if (price === undefined) throw new Error(`no index price for ${asset}`);
    return price;
  };
  return { indexPrice, markPrice: (terms) => indexPrice(terms.base) * (1 + basis) };
}

/** The same market with every index price scaled by `factor`: the one-factor move the solver searches along. */
export function scaledSnapshot(market: MarketSnapshot, factor: number): MarketSnapshot {
  return {
    indexPrice: (asset) => market.indexPrice(asset) * factor,
    markPrice: (terms) => market.markPrice(terms) * factor,
  };
}
