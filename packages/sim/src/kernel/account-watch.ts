import {
  bracketForNotional,
  effectiveMaintenanceRate,
  liquidationThreshold,
  marginSurplus,
  type Account,
} from "@mstress/core";
import type { PathMarket } from "./path-market.js";

/**
 * The kernel's per-account state for one path and one mode: which assets the account's margin depends on, a
 * reference point for the cheap per-step screen, and the worst point seen (for the worst distance).
 *
 * Screen: between two references the account's positions and balances are fixed, so its margin surplus is a
 * function of prices only, with
 *   |S(p) - S(ref)| <= sum_a lipMark_a |mark_a - refMark_a| + lipIndex_a |index_a - refIndex_a| + lipStep
 * (uPnL moves one for one with the mark; maintenance by at most the highest rate reachable while the mark stays
 * within a factor 4 of the anchor where the constants were computed; spot collateral at its haircut; lipStep
 * covers tier steps under a convention without a maintenance amount). A step whose extremes keep this bound below
 * S(ref) cannot liquidate and is skipped; any other step is checked exactly at the corners of its price box.
 * The constants depend only on the positions, so a funding payment just moves the reference (`rebase`).
 */
export class AccountWatch {
  /** Market asset indices this account's margin depends on. */
  readonly assets: Int32Array;
  readonly refIndex: Float64Array;
  readonly refMark: Float64Array;
  /** Marks where the constants below were computed; they hold for marks within a factor 4 of these. */
  readonly anchorMark: Float64Array;
  readonly lipMark: Float64Array;
  readonly lipIndex: Float64Array;
  /** dS / d ln(price) per asset at the reference, to pick the adverse corner for the worst point. */
  readonly gradient: Float64Array;
  readonly worstIndex: Float64Array;
  readonly worstMark: Float64Array;
  /** Balances at the worst point: the wallet, then each position's isolated allocation, in position order. */
  readonly worstBalances: Float64Array;
  refSurplus = 0;
  lipStep = 0;
  worstSurplus = Number.POSITIVE_INFINITY;
  liquidated = false;

  constructor(readonly account: Account, market: PathMarket) {
    const assets = new Set<number>();
    for (const position of account.positions) assets.add(market.assetIndex(position.terms.base));
    if (account.mode === "portfolio") for (const holding of account.spot) assets.add(market.assetIndex(holding.asset));
    this.assets = Int32Array.from(assets);
    const k = this.assets.length;
    this.refIndex = new Float64Array(k);
    this.refMark = new Float64Array(k);
    this.anchorMark = new Float64Array(k);
    this.lipMark = new Float64Array(k);
    this.lipIndex = new Float64Array(k);
    this.gradient = new Float64Array(k);
    this.worstIndex = new Float64Array(k);
    this.worstMark = new Float64Array(k);
    this.worstBalances = new Float64Array(account.positions.length + 1);
  }

  /** Moves the screen's reference to the market's current prices, keeping the constants (balances changed). */
  rebase(market: PathMarket): void {
    this.refSurplus = marginSurplus(this.account, market);
    for (let j = 0; j < this.assets.length; j++) {
      const a = this.assets[j] ?? 0;
      this.refIndex[j] = market.index[a] ?? 0;
      this.refMark[j] = market.mark[a] ?? 0;
    }
  }

  /** Recomputes the screen's constants and reference at the market's current prices (positions changed). */
  reference(market: PathMarket): void {
    const account = this.account;
    this.refSurplus = marginSurplus(account, market);
    const threshold = liquidationThreshold(account);
    const portfolio = account.mode === "portfolio" ? account.venue.portfolio : undefined;
    const addOn = portfolio?.maintenanceOn === "net" ? portfolio.hedgeAddOnRate : 0;
    this.lipStep = 0;
    for (let j = 0; j < this.assets.length; j++) {
      const a = this.assets[j] ?? 0;
      this.refIndex[j] = market.index[a] ?? 0;
      this.refMark[j] = market.mark[a] ?? 0;
      this.anchorMark[j] = market.mark[a] ?? 0;
      this.lipMark[j] = 0;
      this.lipIndex[j] = 0;
    }
    let highestRate = 0;
    for (const position of account.positions) {
      const j = this.assets.indexOf(market.assetIndex(position.terms.base));
      const mark = market.mark[this.assets[j] ?? 0] ?? 0;
      const notional = position.quantityValue * (position.terms.convention === "entry-value" ? position.entryValue : mark);
      const current = effectiveMaintenanceRate(position.terms, bracketForNotional(position.terms.brackets, notional));
      let reachable = current;
      for (const bracket of position.terms.brackets) {
        if (bracket.floor <= 4 * notional) reachable = Math.max(reachable, effectiveMaintenanceRate(position.terms, bracket));
      }
      highestRate = Math.max(highestRate, reachable);
      this.lipMark[j] = (this.lipMark[j] ?? 0) + position.quantityValue * (1 + threshold * (reachable + addOn));
      if (position.terms.convention === "mark-plus-taker-fee") this.lipStep += threshold * 4 * notional * (reachable - current);
    }
    if (account.mode === "portfolio") {
      for (const holding of account.spot) {
        const j = this.assets.indexOf(market.assetIndex(holding.asset));
        const ratio = portfolio?.collateral[holding.asset]?.ratio ?? 0;
        this.lipIndex[j] = (this.lipIndex[j] ?? 0) + holding.quantityValue * ratio;
        this.lipMark[j] = (this.lipMark[j] ?? 0) + threshold * holding.quantityValue * (highestRate + addOn);
      }
    }
    // Sensitivity to each asset's log price (index and mark together), by a one-sided 1e-4 bump.
    const bump = 1e-4;
    for (let j = 0; j < this.assets.length; j++) {
      const a = this.assets[j] ?? 0;
      const index = market.index[a] ?? 0;
      const mark = market.mark[a] ?? 0;
      market.index[a] = index * (1 + bump);
      market.mark[a] = mark * (1 + bump);
      this.gradient[j] = (marginSurplus(account, market) - this.refSurplus) / bump;
      market.index[a] = index;
      market.mark[a] = mark;
    }
  }

  /**
   * True when no price in the step's box [low, high] per asset can bring the surplus to zero (the screen above);
   * the marks must stay within a factor 4 of the anchor, the range the maintenance rates were bounded over.
   * `at` is the offset of the step's row (step x asset) in the box arrays.
   */
  safeWithin(at: number, indexHigh: Float64Array, indexLow: Float64Array, markHigh: Float64Array, markLow: Float64Array): boolean {
    let bound = this.lipStep;
    for (let j = 0; j < this.assets.length; j++) {
      const a = at + (this.assets[j] ?? 0);
      const refMark = this.refMark[j] ?? 0;
      const refIndex = this.refIndex[j] ?? 0;
      const anchor = this.anchorMark[j] ?? 0;
      const high = markHigh[a] ?? 0;
      const low = markLow[a] ?? 0;
      if (high > 4 * anchor || low < 0.25 * anchor) return false;
      bound += (this.lipMark[j] ?? 0) * Math.max(Math.abs(high - refMark), Math.abs(low - refMark));
      bound += (this.lipIndex[j] ?? 0) * Math.max(Math.abs((indexHigh[a] ?? 0) - refIndex), Math.abs((indexLow[a] ?? 0) - refIndex));
    }
    return this.refSurplus - bound > 0;
  }

  /**
   * Tracks the step's worst point by the linearised surplus at its adverse corner; the exact distance to
   * liquidation is computed once, at the horizon, from the point stored here.
   */
  trackWorst(at: number, indexHigh: Float64Array, indexLow: Float64Array, basisHigh: Float64Array, basisLow: Float64Array): void {
    let estimate = this.refSurplus;
    for (let j = 0; j < this.assets.length; j++) {
      const a = at + (this.assets[j] ?? 0);
      const g = this.gradient[j] ?? 0;
      const index = g < 0 ? (indexHigh[a] ?? 0) : (indexLow[a] ?? 0);
      estimate += g * Math.log(index / (this.refIndex[j] ?? 1));
    }
    if (estimate >= this.worstSurplus) return;
    this.worstSurplus = estimate;
    for (let j = 0; j < this.assets.length; j++) {
      const a = at + (this.assets[j] ?? 0);
      const adverseHigh = (this.gradient[j] ?? 0) < 0;
      const index = adverseHigh ? (indexHigh[a] ?? 0) : (indexLow[a] ?? 0);
      this.worstIndex[j] = index;
      this.worstMark[j] = index * (1 + (adverseHigh ? (basisHigh[a] ?? 0) : (basisLow[a] ?? 0)));
    }
    const account = this.account;
    this.worstBalances[0] = account.walletBalance();
    for (let i = 0; i < account.positions.length; i++) {
      const position = account.positions[i];
      this.worstBalances[i + 1] = position !== undefined && account.mode === "isolated" ? account.isolatedMargin(position.leg) : 0;
    }
  }
}
