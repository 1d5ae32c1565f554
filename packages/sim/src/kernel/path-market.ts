import type { MarketSnapshot, PerpetualTerms } from "@mstress/core";

/**
 * A MarketSnapshot over two typed arrays that the kernel overwrites in place (index and mark per asset), so the
 * core's risk checks and liquidation engine read path prices without a snapshot object per step.
 */
export class PathMarket implements MarketSnapshot {
  readonly index: Float64Array;
  readonly mark: Float64Array;
  readonly #assetIndex: ReadonlyMap<string, number>;

  constructor(assets: readonly string[]) {
    this.index = new Float64Array(assets.length);
    this.mark = new Float64Array(assets.length);
    this.#assetIndex = new Map(assets.map((asset, i) => [asset, i]));
  }

  assetIndex(asset: string): number {
    const i = this.#assetIndex.get(asset);
    if (i === undefined) throw new Error(`no price for asset ${asset} in the market model`);
    return i;
  }

  indexPrice(asset: string): number {
    return this.index[this.assetIndex(asset)] ?? Number.NaN;
  }

  markPrice(terms: PerpetualTerms): number {
    return this.mark[this.assetIndex(terms.base)] ?? Number.NaN;
  }

  /** Sets asset `a` to an index price and a basis (mark = index * (1 + basis)). */
  set(a: number, indexPrice: number, basis: number): void {
    this.index[a] = indexPrice;
    this.mark[a] = indexPrice * (1 + basis);
  }
}
