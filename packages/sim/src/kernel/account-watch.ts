import {
  bracketForNotional,
  distanceToLiquidation,
  effectiveMaintenanceRate,
  liquidationFactors,
  liquidationPrice,
  liquidationCandidate,
  liquidationCandidatePrice,
  liquidationPriceAfter,
  liquidationPriceValue,
  liquidationThreshold,
  marginSurplus,
  type Account,
} from "@mstress/core/engine";
import { PathMarket } from "./path-market.js";

/** Relative margin between a closed-form liquidation price and the marks a screen lets through (see #clearOfTriggers). */
const closedFormSlack = 1e-9;

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
  /**
   * The largest distance of the policies' triggers live on this account (0: none): the screen then keeps the
   * surplus at prices moved by 1 +- d positive, so a step it skips crosses no trigger either; `refTriggerSurplus`
   * is that surplus at the reference (the smaller of the two moves).
   */
  triggerDistance = 0;
  refTriggerSurplus = 0;
  lipStep = 0;
  worstSurplus = Number.POSITIVE_INFINITY;
  /**
   * While the account's liquidation prices have a closed form: the smallest distance to liquidation seen since
   * tracking (re)started, exact at each step's adverse mark (+Infinity: none yet).
   */
  #nearestSeen = Number.POSITIVE_INFINITY;
  /** The worst distance of the positions the account held before a policy or an ADL changed them (NaN: none). */
  frozenDistance = Number.NaN;
  liquidated = false;
  /** Closed-form liquidation price of each position at the current balances (NaN: none), while `#pricesFresh`. */
  readonly #liquidationPrices: Float64Array;
  /** The market asset index of each position, with the prices above. */
  readonly #positionAssets: Int32Array;
  /** Per position, the bracket candidate its price came from (`liquidationCandidate`), while `#positionsSame`. */
  readonly #candidates: Int32Array;
  /** Since the prices above were computed only balances moved (a funding payment), not the positions. */
  #positionsSame = false;
  /** Per position, the adverse mark a step must pass to be a new smallest distance (`#setNearestMarks`). */
  readonly #nearestMarks: Float64Array;
  #pricesFresh = false;
  /** Scratch prices for the one-factor solver. */
  readonly #scaled: PathMarket;
  /**
   * One-asset accounts: an adverse index short of which a step cannot be a new worst (see `trackWorst`); NaN when
   * it must be recomputed (after the reference or the worst moved), and +-Infinity when every step is checked.
   */
  #triggerAt = Number.NaN;

  /** The watched account; replaced, with the watch's state, when a path starts (`restart`). */
  account: Account;

  constructor(account: Account, market: PathMarket) {
    this.account = account;
    this.#updateNeedsSolver();
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
    this.#liquidationPrices = new Float64Array(account.positions.length);
    this.#positionAssets = new Int32Array(account.positions.length);
    this.#nearestMarks = new Float64Array(account.positions.length);
    this.#candidates = new Int32Array(account.positions.length).fill(-1);
    this.#scaled = new PathMarket(market);
  }

  /**
   * The core's one-factor liquidation search on this account at `market`'s prices, its surplus shifted by
   * `walletShift` (a wallet balance other than the current one): the nearest factors above and below 1 that
   * bring the surplus to zero. The same floats as `liquidationFactors` over `scaledSnapshot` gives.
   */
  liquidationFactors(market: PathMarket, walletShift = 0): { up: number | null; down: number | null } {
    const scaled = this.#scaled;
    return liquidationFactors((factor) => {
      scaled.scaleFrom(market, factor);
      return marginSurplus(this.account, scaled) + walletShift;
    });
  }

  /**
   * Starts a path: watches `account` (a copy of `opened.account` as opened) from `opened`'s state, the reference
   * and constants computed at the paths' common start.
   */
  restart(account: Account, opened: AccountWatch): void {
    this.account = account;
    this.#updateNeedsSolver();
    this.#positionsSame = false;
    this.refIndex.set(opened.refIndex);
    this.refMark.set(opened.refMark);
    this.anchorMark.set(opened.anchorMark);
    this.lipMark.set(opened.lipMark);
    this.lipIndex.set(opened.lipIndex);
    this.gradient.set(opened.gradient);
    this.refSurplus = opened.refSurplus;
    this.triggerDistance = 0;
    this.refTriggerSurplus = 0;
    this.lipStep = opened.lipStep;
    this.worstSurplus = Number.POSITIVE_INFINITY;
    this.#nearestSeen = Number.POSITIVE_INFINITY;
    this.frozenDistance = Number.NaN;
    this.liquidated = false;
    this.#pricesFresh = false;
    this.#triggerAt = Number.NaN;
  }

  /**
   * Distance to liquidation at the account's worst point (the prices and balances `trackWorst` stored), as a
   * fraction of the mark: the closed form for isolated positions and a lone cross position, else the one-factor
   * solver. Sets `market` to the worst point's prices. Null when no point was tracked or no liquidation price exists.
   */
  worstDistance(market: PathMarket): number | null {
    if (!Number.isFinite(this.worstSurplus)) return null;
    const account = this.account;
    for (let j = 0; j < this.assets.length; j++) market.set(this.assets[j] ?? 0, this.worstIndex[j] ?? 0, (this.worstMark[j] ?? 0) / (this.worstIndex[j] ?? 1) - 1);
    const closedForm = (i: number, collateral: number): number | null => {
      const position = account.positions[i];
      if (position === undefined) return null;
      const { liquidationPrice: price } = liquidationPrice({ terms: position.terms, side: position.side, quantity: position.quantityValue, entryPrice: position.entryValue, collateral });
      return distanceToLiquidation(price, market.markPrice(position.terms), position.side);
    };
    let distance: number | null = null;
    if (account.mode === "isolated") {
      for (let i = 0; i < account.positions.length; i++) {
        const d = closedForm(i, this.worstBalances[i + 1] ?? 0);
        if (d !== null && (distance === null || d < distance)) distance = d;
      }
      return distance;
    }
    if (account.mode === "cross" && account.positions.length === 1) return closedForm(0, this.worstBalances[0] ?? 0);
    const walletShift = (this.worstBalances[0] ?? 0) - account.walletBalance();
    const roots = this.liquidationFactors(market, walletShift);
    for (const root of [roots.up, roots.down]) {
      if (root !== null && (distance === null || Math.abs(root - 1) < distance)) distance = Math.abs(root - 1);
    }
    return distance;
  }

  /**
   * Before a policy's trade or an ADL changes the positions: the worst distance of the positions as they were is
   * kept (`frozenDistance`), and tracking starts afresh for what is left. `market` is restored afterwards.
   */
  freezeWorst(market: PathMarket, saved: PathMarket): void {
    const distance = this.#trackedDistance(market, saved);
    if (distance !== null && !(distance >= this.frozenDistance)) this.frozenDistance = distance;
    this.worstSurplus = Number.POSITIVE_INFINITY;
    this.#nearestSeen = Number.POSITIVE_INFINITY;
    this.#pricesFresh = false;
    this.#positionsSame = false;
    this.#triggerAt = Number.NaN;
  }

  /** The path's worst distance: the smaller of the frozen one and that of the positions held now (null: none). */
  pathWorstDistance(market: PathMarket): number | null {
    const current = this.account.positions.length === 0 ? null : this.#trackedDistance(market, null);
    if (Number.isNaN(this.frozenDistance)) return current;
    return current === null ? this.frozenDistance : Math.min(current, this.frozenDistance);
  }

  /**
   * The smallest distance tracked since tracking (re)started: the exact one seen while the prices had a closed
   * form, and that of the worst point stored while they had not (`worstDistance`, which moves `market` to it:
   * restored from `saved` when given). Null: none.
   */
  #trackedDistance(market: PathMarket, saved: PathMarket | null): number | null {
    let distance = Number.isFinite(this.#nearestSeen) ? this.#nearestSeen : null;
    if (!Number.isFinite(this.worstSurplus)) return distance;
    saved?.copyFrom(market);
    const atPoint = this.worstDistance(market);
    if (saved !== null) market.copyFrom(saved);
    if (atPoint !== null && (distance === null || atPoint < distance)) distance = atPoint;
    return distance;
  }

  /**
   * Takes the distance at the market's current prices as a candidate for the path's smallest (closed-form
   * accounts): before a policy moves money into the account inside a step, whose own extremes are then checked
   * at the balances after it.
   */
  noteDistance(market: PathMarket): void {
    if (this.needsSolver || this.account.positions.length === 0) return;
    // An action earlier in the step may have changed the balances since the prices were computed.
    this.#pricesFresh = false;
    this.#positionsSame = false;
    const distance = this.distanceNow(market);
    if (distance < this.#nearestSeen) {
      this.#nearestSeen = distance;
      this.#setNearestMarks();
    }
  }

  /**
   * Whether the distance to liquidation needs the one-factor solver: every account but an isolated one and a
   * cross account with a single position, whose liquidation prices have a closed form.
   */
  get needsSolver(): boolean {
    return this.#needsSolver;
  }

  /** Kept as a field: read at every step. Positions change only where `restart`, `reference` or `balancesChanged` follows. */
  #needsSolver = true;

  #updateNeedsSolver(): void {
    const mode = this.account.mode;
    this.#needsSolver = !(mode === "isolated" || (mode === "cross" && this.account.positions.length === 1));
  }

  /**
   * Distance to liquidation at the market's current prices, as a fraction of the mark (NaN when no open position
   * has a liquidation price), as the core's `accountDistanceToLiquidation` computes it. Closed-form prices depend
   * only on positions and balances, so they are kept until the next `rebase` or `reference` and each step costs a
   * division per position; solver accounts pay the full search.
   */
  distanceNow(market: PathMarket): number {
    const account = this.account;
    if (account.positions.length === 0) return Number.NaN;
    if (this.needsSolver) {
      // As accountDistanceToLiquidation: the nearer of the two roots, as a fraction of the price.
      const { up, down } = this.liquidationFactors(market);
      if (up === null && down === null) return Number.NaN;
      return Math.min(up === null ? Number.POSITIVE_INFINITY : Math.abs(up - 1), down === null ? Number.POSITIVE_INFINITY : Math.abs(down - 1));
    }
    this.#refreshLiquidationPrices();
    let nearest = Number.NaN;
    for (let i = 0; i < account.positions.length; i++) {
      const position = account.positions[i];
      const price = this.#liquidationPrices[i] ?? Number.NaN;
      if (position === undefined || Number.isNaN(price)) continue;
      const distance = distanceToLiquidation(price, market.markPrice(position.terms), position.side) ?? Number.NaN;
      if (Number.isNaN(nearest) || distance < nearest) nearest = distance;
    }
    return nearest;
  }

  /** The closed-form liquidation price of each position at the current balances, kept until they change. */
  #refreshLiquidationPrices(): void {
    if (this.#pricesFresh) return;
    const account = this.account;
    for (let i = 0; i < account.positions.length; i++) {
      const position = account.positions[i];
      if (position === undefined) continue;
      const collateral = account.mode === "isolated" ? account.isolatedMargin(position.leg) : account.walletBalance();
      const { terms, side, quantityValue, entryValue } = position;
      // After a funding payment (only the balances moved) the bracket found last time usually still holds.
      let price = this.#positionsSame ? liquidationPriceAfter(terms, side, quantityValue, entryValue, collateral, this.#candidates[i] ?? -1) : Number.NaN;
      if (Number.isNaN(price)) {
        const candidate = liquidationCandidate(terms, side, quantityValue, entryValue, collateral);
        this.#candidates[i] = candidate;
        price = candidate < 0 ? liquidationPriceValue(terms, side, quantityValue, entryValue, collateral) : liquidationCandidatePrice(terms, side, quantityValue, entryValue, collateral, candidate);
      }
      this.#liquidationPrices[i] = price;
      this.#positionAssets[i] = this.#scaled.assetIndex(terms.base);
    }
    this.#pricesFresh = true;
    this.#positionsSame = true;
    this.#setNearestMarks();
  }

  /**
   * Per position, the adverse mark short of which a step cannot bring its distance below the smallest seen: a
   * short's distance (L - m) / m is under n only above L / (1 + n), a long's (m - L) / m only below L / (1 - n).
   * Moved out by a relative 1e-12 so that every step that could be a new smallest is computed exactly.
   */
  #setNearestMarks(): void {
    const positions = this.account.positions;
    const n = this.#nearestSeen;
    for (let i = 0; i < positions.length; i++) {
      const price = this.#liquidationPrices[i] ?? Number.NaN;
      const short = (positions[i]?.side ?? 1) < 0;
      if (Number.isNaN(price)) this.#nearestMarks[i] = short ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
      else if (short) this.#nearestMarks[i] = (price / (1 + n)) * (1 - 1e-12);
      else this.#nearestMarks[i] = n >= 1 ? Number.POSITIVE_INFINITY : (price / (1 - n)) * (1 + 1e-12);
    }
  }

  /**
   * Moves the screen's reference to the market's current prices, keeping the constants (balances changed).
   * `surplus`: the account's margin surplus at these prices, when the caller has just computed it.
   */
  rebase(market: PathMarket, surplus = marginSurplus(this.account, market)): void {
    this.#pricesFresh = false;
    this.#triggerAt = Number.NaN;
    this.refSurplus = surplus;
    for (let j = 0; j < this.assets.length; j++) {
      const a = this.assets[j] ?? 0;
      this.refIndex[j] = market.index[a] ?? 0;
      this.refMark[j] = market.mark[a] ?? 0;
    }
    if (this.triggerDistance > 0 && this.needsSolver) this.refTriggerSurplus = this.#scaledSurplus(market, this.triggerDistance);
  }

  /** Sets the live trigger distance (0: none) and its surplus at `market`, the reference's prices. */
  setTriggerDistance(distance: number, market: PathMarket): void {
    this.triggerDistance = distance;
    if (distance > 0 && this.needsSolver) this.refTriggerSurplus = this.#scaledSurplus(market, distance);
  }

  /** The account's surplus with every price moved by 1 + d and by 1 - d, the smaller. */
  #scaledSurplus(market: PathMarket, distance: number): number {
    this.#scaled.scaleFrom(market, 1 + distance);
    const up = marginSurplus(this.account, this.#scaled);
    this.#scaled.scaleFrom(market, 1 - distance);
    return Math.min(up, marginSurplus(this.account, this.#scaled));
  }

  /** Recomputes the screen's constants and reference at the market's current prices (positions changed). */
  reference(market: PathMarket): void {
    const account = this.account;
    this.#updateNeedsSolver();
    this.#positionsSame = false;
    this.#pricesFresh = false;
    this.#triggerAt = Number.NaN;
    this.refSurplus = marginSurplus(account, market);
    if (this.triggerDistance > 0 && this.needsSolver) this.refTriggerSurplus = this.#scaledSurplus(market, this.triggerDistance);
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
    // With a trigger at distance d the surplus is bounded at prices moved by up to 1 + d (the scaled box).
    const d = this.triggerDistance;
    for (let j = 0; j < this.assets.length; j++) {
      const a = at + (this.assets[j] ?? 0);
      const refMark = this.refMark[j] ?? 0;
      const refIndex = this.refIndex[j] ?? 0;
      const anchor = this.anchorMark[j] ?? 0;
      const high = markHigh[a] ?? 0;
      const low = markLow[a] ?? 0;
      if (high * (1 + d) > 4 * anchor || low * (1 - d) < 0.25 * anchor) return false;
      bound += (this.lipMark[j] ?? 0) * Math.max(Math.abs(high - refMark), Math.abs(low - refMark));
      bound += (this.lipIndex[j] ?? 0) * Math.max(Math.abs((indexHigh[a] ?? 0) - refIndex), Math.abs((indexLow[a] ?? 0) - refIndex));
    }
    return d > 0 ? this.refTriggerSurplus - (1 + d) * bound > 0 : this.refSurplus - bound > 0;
  }

  /** The balances or positions changed inside a step: the closed-form liquidation prices are recomputed when next read. */
  balancesChanged(): void {
    this.#pricesFresh = false;
    this.#positionsSame = false;
    this.#updateNeedsSolver();
  }

  /**
   * Whether the closed form decides that position i is past its liquidation price with its mark at the market's
   * moved by `factor`: 1 past it (its surplus there is at or below zero), 0 short of it, -1 undecided (within a
   * relative 1e-9 of the price, where only the surplus itself may decide). Closed-form accounts only.
   */
  closedFormSide(market: PathMarket, i: number, factor: number): number {
    if (!this.#pricesFresh) this.#refreshLiquidationPrices();
    const price = this.#liquidationPrices[i] ?? Number.NaN;
    const position = this.account.positions[i];
    if (position === undefined) return -1;
    if (Number.isNaN(price)) return 0;
    const mark = (market.mark[this.#positionAssets[i] ?? 0] ?? 0) * factor;
    const beyond = position.side < 0 ? mark - price : price - mark;
    if (beyond > closedFormSlack * price) return 1;
    if (beyond < -closedFormSlack * price) return 0;
    return -1;
  }

  /**
   * `safeWithin` while the policies run: with a live trigger on an account whose liquidation prices have a closed
   * form, the exact screen below; else the bound above. (The passive route calls `safeWithin` itself, which stays
   * small enough for V8 to inline into the step loop.)
   */
  safeWithinTriggers(at: number, indexHigh: Float64Array, indexLow: Float64Array, markHigh: Float64Array, markLow: Float64Array): boolean {
    const d = this.triggerDistance;
    if (d > 0 && !this.needsSolver) return this.#clearOfTriggers(at, markHigh, markLow, d);
    return this.safeWithin(at, indexHigh, indexLow, markHigh, markLow);
  }

  /**
   * The screen with a live trigger at distance d on an account whose liquidation prices have a closed form (each
   * isolated position, or a cross account's one position): between two references they are fixed, and a position
   * is within d of liquidation exactly when its mark moved by 1 + d (a short) or 1 - d (a long) reaches its price,
   * so the step is skipped when no mark of its box does, by a relative margin of 1e-9 that covers the float error
   * of the closed form against the surplus the crossing search evaluates. Exact, and one comparison per position,
   * where the Lipschitz screen would need the surplus at two scaled prices after every booking and would fail
   * whenever the mark drifted from the reference by the trigger's margin.
   */
  #clearOfTriggers(at: number, markHigh: Float64Array, markLow: Float64Array, d: number): boolean {
    this.#refreshLiquidationPrices();
    const positions = this.account.positions;
    for (let i = 0; i < positions.length; i++) {
      const price = this.#liquidationPrices[i] ?? Number.NaN;
      if (Number.isNaN(price)) continue;
      const a = at + (this.#positionAssets[i] ?? 0);
      if ((positions[i]?.side ?? 1) < 0) {
        if (!((markHigh[a] ?? 0) * (1 + d) < price * (1 - closedFormSlack))) return false;
      } else if (!((markLow[a] ?? 0) * (1 - d) > price * (1 + closedFormSlack))) return false;
    }
    return true;
  }

  /**
   * The exact distance of each position at its step's adverse mark (the high for a short, the low for a long),
   * from its closed-form liquidation price at the balances in force: the smallest is kept. As `distanceNow`
   * (the core's `distanceToLiquidation`), one division per position.
   */
  #trackNearest(at: number, markHigh: Float64Array, markLow: Float64Array): void {
    if (!this.#pricesFresh) this.#refreshLiquidationPrices();
    const positions = this.account.positions;
    for (let i = 0; i < positions.length; i++) {
      const position = positions[i];
      if (position === undefined) continue;
      const a = at + (this.#positionAssets[i] ?? 0);
      const short = position.side < 0;
      const mark = short ? (markHigh[a] ?? 0) : (markLow[a] ?? 0);
      const limit = this.#nearestMarks[i] ?? 0;
      if (short ? !(mark > limit) : !(mark < limit)) continue;
      const price = this.#liquidationPrices[i] ?? Number.NaN;
      const distance = Math.max(0, (short ? price - mark : mark - price) / mark);
      if (distance < this.#nearestSeen) {
        this.#nearestSeen = distance;
        this.#setNearestMarks();
      }
    }
  }

  /**
   * The one-asset trigger: with g the gradient, the estimate refSurplus + g ln(x / refIndex) equals the worst at
   * T = refIndex exp((worst - refSurplus) / g). Past T by a relative 1e-9 (the adverse side is up when g < 0), the
   * exact estimate exceeds the worst by at least |g| 1e-9, far above its float error (a few ulps of refSurplus and
   * of g (1 + |ln|)), so the comparison in `trackWorst` gives the same answer; when g is too small for that
   * margin, or there is no worst yet, every step is checked.
   */
  #triggerFor(): number {
    const g = this.gradient[0] ?? 0;
    // Skipped are indices below the trigger when g < 0, above it otherwise: -Infinity, +Infinity skip none.
    const checkAll = g < 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (!Number.isFinite(this.worstSurplus) || g === 0) return checkAll;
    const logRatio = (this.worstSurplus - this.refSurplus) / g;
    const error = 1e-14 * (Math.abs(this.refSurplus) + Math.abs(this.worstSurplus) + 2 * Math.abs(g) * (1 + Math.abs(logRatio)));
    if (!(Math.abs(g) * 1e-9 > error)) return checkAll;
    const trigger = (this.refIndex[0] ?? 0) * Math.exp(logRatio);
    return g < 0 ? trigger * (1 - 1e-9) : trigger * (1 + 1e-9);
  }

  /**
   * Tracks the step's worst point by the linearised surplus at its adverse corner; the exact distance to
   * liquidation is computed once, at the horizon, from the point stored here.
   */
  trackWorst(at: number, indexHigh: Float64Array, indexLow: Float64Array, basisHigh: Float64Array, basisLow: Float64Array, markHigh: Float64Array, markLow: Float64Array): void {
    if (!this.needsSolver) {
      this.#trackNearest(at, markHigh, markLow);
      return;
    }
    if (this.assets.length === 1) {
      // Most steps are not a new worst: with one asset the estimate is monotone in the adverse index, so compare
      // that index with the one where the estimate would equal the worst so far, short of it by a margin that
      // covers the float error of the estimate (see #triggerFor); only steps past it take the exact route below.
      if (Number.isNaN(this.#triggerAt)) this.#triggerAt = this.#triggerFor();
      const g = this.gradient[0] ?? 0;
      const a = at + (this.assets[0] ?? 0);
      if (g < 0 ? (indexHigh[a] ?? 0) < this.#triggerAt : (indexLow[a] ?? 0) > this.#triggerAt) return;
    }
    let estimate = this.refSurplus;
    for (let j = 0; j < this.assets.length; j++) {
      const a = at + (this.assets[j] ?? 0);
      const g = this.gradient[j] ?? 0;
      const index = g < 0 ? (indexHigh[a] ?? 0) : (indexLow[a] ?? 0);
      estimate += g * Math.log(index / (this.refIndex[j] ?? 1));
    }
    if (estimate >= this.worstSurplus) return;
    this.worstSurplus = estimate;
    this.#triggerAt = Number.NaN;
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
