import { internedString, type MarketSnapshot, type PerpetualTerms } from "@mstress/core/engine";

/**
 * A MarketSnapshot over two typed arrays that the kernel overwrites in place (index and mark per asset), so the
 * core's risk checks and liquidation engine read path prices without a snapshot object per step.
 */
export class PathMarket implements MarketSnapshot {
  readonly index: Float64Array;
  readonly mark: Float64Array;
  readonly #assetIndex: ReadonlyMap<string, number>;
  // The terms and the asset last priced, and their asset's index: the risk checks ask the price of the same
  // perpetual and spot asset again and again (one of each in most routes), and a hit skips the Map lookup.
  #lastTerms: PerpetualTerms | undefined;
  #lastTermsAsset = 0;
  #lastAsset: string | undefined;
  #lastAssetIndex = 0;

  constructor(assets: readonly string[] | PathMarket) {
    const count = assets instanceof PathMarket ? assets.index.length : assets.length;
    this.index = new Float64Array(count);
    this.mark = new Float64Array(count);
    this.#assetIndex = assets instanceof PathMarket ? assets.#assetIndex : new Map(assets.map((asset, i) => [internedString(asset), i]));
  }

  /**
   * Sets every price to `factor` times `source`'s: the core's `scaledSnapshot(source, factor)` (the one-factor
   * move the liquidation solver searches along) as the same floats, without a snapshot object per evaluation.
   */
  scaleFrom(source: PathMarket, factor: number): void {
    for (let a = 0; a < this.index.length; a++) {
      this.index[a] = (source.index[a] ?? 0) * factor;
      this.mark[a] = (source.mark[a] ?? 0) * factor;
    }
  }

  assetIndex(asset: string): number {
    const i = this.#assetIndex.get(asset);
    if (i === undefined) throw new Error(`no price for asset ${asset} in the market model`);
    return i;
  }

  indexPrice(asset: string): number {
    if (asset !== this.#lastAsset) {
      this.#lastAssetIndex = this.assetIndex(asset);
      this.#lastAsset = asset;
    }
    return this.index[this.#lastAssetIndex] ?? Number.NaN;
  }

  markPrice(terms: PerpetualTerms): number {
    if (terms !== this.#lastTerms) {
      this.#lastTermsAsset = this.assetIndex(terms.base);
      this.#lastTerms = terms;
    }
    return this.mark[this.#lastTermsAsset] ?? Number.NaN;
  }

  /** Takes every price of `other` (same assets). */
  copyFrom(other: PathMarket): void {
    this.index.set(other.index);
    this.mark.set(other.mark);
  }

  /** Sets asset `a` to an index price and a basis (mark = index * (1 + basis)). */
  set(a: number, indexPrice: number, basis: number): void {
    this.index[a] = indexPrice;
    this.mark[a] = indexPrice * (1 + basis);
  }
}
