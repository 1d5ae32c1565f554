import { MstressError } from "@mstress/core/engine";
import type { PathPoint } from "@mstress/core";

/** The market at one instant of a scripted path. */
export interface PathState {
  readonly index: ReadonlyMap<string, number>;
  readonly basis: number;
  /** Funding rate per interval in force at this instant (step function: the last point's rate). */
  readonly funding: number;
}

/**
 * A scripted path: points {t, prices, basis?, funding?} linearly interpolated in time (prices and basis), with
 * funding held from the last point at or before t. Every point must price every asset of the route.
 */
export class ScriptedPath {
  readonly assets: readonly string[];
  readonly points: readonly { readonly t: number; readonly prices: ReadonlyMap<string, number>; readonly basis: number; readonly funding: number }[];

  constructor(points: readonly PathPoint[], assets: readonly string[], defaults: { basis: number; funding: number }) {
    this.assets = assets;
    let funding = defaults.funding;
    this.points = points.map((point, index) => {
      const prices = new Map<string, number>();
      for (const asset of assets) {
        const price = point.price !== undefined && assets.length === 1 ? point.price : point.prices?.[asset];
        if (price === undefined) {
          const expected = assets.length === 1 ? "price" : `prices.${asset}`;
          throw new MstressError("E_BAD_INPUT", `path.points.${index}.${expected}: expected a positive price for ${asset} (the route holds ${assets.join(", ")})`);
        }
        prices.set(asset, price);
      }
      funding = point.funding ?? funding;
      return { t: point.t, prices, basis: point.basis ?? defaults.basis, funding };
    });
  }

  get horizon(): number {
    return this.points[this.points.length - 1]?.t ?? 0;
  }

  at(t: number): PathState {
    const { points } = this;
    let i = 0;
    while (i < points.length - 2 && (points[i + 1]?.t ?? Infinity) < t) i++;
    const a = points[i];
    const b = points[i + 1] ?? a;
    if (a === undefined || b === undefined) throw new MstressError("E_INVARIANT", "a scripted path needs at least one point");
    const w = b.t === a.t ? 0 : Math.min(1, Math.max(0, (t - a.t) / (b.t - a.t)));
    const index = new Map<string, number>();
    for (const asset of this.assets) {
      const from = a.prices.get(asset) ?? 0;
      const to = b.prices.get(asset) ?? 0;
      index.set(asset, from + (to - from) * w);
    }
    const fundingPoint = t >= b.t ? b : a;
    return { index, basis: a.basis + (b.basis - a.basis) * w, funding: fundingPoint.funding };
  }
}
