import {
  Ledger,
  distanceToLiquidation,
  fundingReceived,
  liquidateDue,
  liquidationFactors,
  liquidationPrice,
  marginSurplus,
  scaledSnapshot,
  settledFundingRate,
  unrealisedPnl,
  type Account,
  type LiquidationRecord,
  type MarginMode,
} from "@mstress/core";
import type { Decimal } from "decimal.js";
import { fundingAtCap, fundingAtFloor } from "../models/market-model.js";
import { allocateMarketPath, allocatePathScratch, generateMarketPath, type MarketPath, type PathScratch } from "../models/market-path.js";
import { pathStream } from "../rng/path-stream.js";
import { openRoute } from "../route/open-route.js";
import { AccountWatch } from "./account-watch.js";
import { outcomeColumn, outcomeWidth } from "./outcome-fields.js";
import { PathMarket } from "./path-market.js";
import type { SimulationPlan } from "./simulation-plan.js";

/** Forced closes located within one step before the kernel gives up (each closes at least part of a position). */
const maxLiquidationsPerStep = 1000;

/**
 * Replays a route on simulated paths under each margin mode: the path pricer of the Monte Carlo (QuantLib's
 * path generator -> path pricer -> accumulator decomposition; the generator is `generateMarketPath`).
 *
 * Where floats meet decimals: the hot loop (every step of every path, in every mode) is float64 over typed
 * arrays and allocates nothing: it reads the path's prices and each account's float balance mirrors, and only
 * decides *whether* something happens. What happens — a funding payment, a liquidation, a fee, the exit — is
 * sparse (a few hundred events per path) and is booked in exact decimals by the core's Account and Ledger, the
 * same code the replay and the calculator use. The booked decimals then refresh the float mirrors.
 *
 * Modes are evaluated one after another on the same generated path (common random numbers), so they differ only
 * by margin rules. A funding payment that is the same in several modes (same leg, quantity, mark, rate) is
 * computed once per path and booked into each mode's ledger.
 */
export class RouteKernel {
  readonly #plan: SimulationPlan;
  readonly #path: MarketPath;
  readonly #scratch: PathScratch;
  readonly #market: PathMarket;
  /** Each step's price box (step x asset), shared by every mode of a path: mark and basis on either side. */
  readonly #markHigh: Float64Array;
  readonly #markLow: Float64Array;
  readonly #basisHigh: Float64Array;
  readonly #basisLow: Float64Array;
  /** Step of the box `#setCorner` works on. */
  #boxStep = 1;
  /** 1 where some leg settles funding at the end of step s. */
  readonly #fundingDue: Uint8Array;
  readonly #fundingPaid: (Decimal | undefined)[];
  readonly #fundingQuantity: (Decimal | undefined)[];

  constructor(plan: SimulationPlan) {
    this.#plan = plan;
    const market = plan.market;
    const n = market.assets.length;
    this.#path = allocateMarketPath(market);
    this.#scratch = allocatePathScratch(market);
    this.#market = new PathMarket(market.assets);
    this.#markHigh = new Float64Array(market.steps * n);
    this.#markLow = new Float64Array(market.steps * n);
    this.#basisHigh = new Float64Array(market.steps * n);
    this.#basisLow = new Float64Array(market.steps * n);
    this.#fundingDue = new Uint8Array(market.steps + 1);
    for (let s = 1; s <= market.steps; s++) {
      for (const every of plan.fundingEverySteps) if (every > 0 && s % every === 0) this.#fundingDue[s] = 1;
    }
    const slots = (market.steps + 1) * plan.scenario.legs.length;
    this.#fundingPaid = new Array<Decimal | undefined>(slots).fill(undefined);
    this.#fundingQuantity = new Array<Decimal | undefined>(slots).fill(undefined);
  }

  get steps(): number {
    return this.#plan.market.steps;
  }

  /**
   * Simulates path `pathIndex` and writes one outcome row per mode into `rows` from `offset`. When `pnlPath` is
   * given, the route's PnL after every step is written there too (modes x steps, from `pnlOffset`).
   */
  simulate(pathIndex: number, rows: Float64Array, offset: number, pnlPath: Float64Array | null = null, pnlOffset = 0): void {
    generateMarketPath(this.#plan.market, pathStream(this.#plan.seed, pathIndex), this.#path, this.#scratch);
    this.#computeBoxes();
    this.#fundingPaid.fill(undefined);
    this.#fundingQuantity.fill(undefined);
    this.#plan.modes.forEach((mode, m) => {
      this.#evaluateMode(mode, rows, offset + m * outcomeWidth, pnlPath, pnlOffset + m * this.#plan.market.steps);
    });
  }

  /**
   * The price box of every step: index extremes from the bridge, the basis at its worse endpoint for each side
   * (the basis is taken as linear within a step; its own noise enters at the step's end).
   */
  #computeBoxes(): void {
    const path = this.#path;
    const cells = this.#markHigh.length;
    const n = this.#plan.market.assets.length;
    for (let i = 0; i < cells; i++) {
      const b0 = path.basis[i] ?? 0;
      const b1 = path.basis[i + n] ?? 0;
      const high = b0 > b1 ? b0 : b1;
      const low = b0 > b1 ? b1 : b0;
      this.#basisHigh[i] = high;
      this.#basisLow[i] = low;
      this.#markHigh[i] = (path.indexHigh[i] ?? 0) * (1 + high);
      this.#markLow[i] = (path.indexLow[i] ?? 0) * (1 + low);
    }
  }

  #setMarketAt(s: number): void {
    const n = this.#plan.market.assets.length;
    for (let a = 0; a < n; a++) this.#market.set(a, this.#path.index[s * n + a] ?? 0, this.#path.basis[s * n + a] ?? 0);
  }

  #evaluateMode(mode: MarginMode, rows: Float64Array, row: number, pnlPath: Float64Array | null, pnlRow: number): void {
    const plan = this.#plan;
    const { scenario, market: model } = plan;
    const n = model.assets.length;
    const path = this.#path;
    const market = this.#market;
    const ledger = new Ledger();
    this.#setMarketAt(0);
    const accounts = openRoute({ scenario, venues: plan.venues, terms: plan.terms, mode, ledger, start: market, routeOf: plan.routeOf });
    const capitalReserved = accounts.reduce((sum, account) => sum + reservedCapital(account, market), 0);
    const watches = accounts.filter((a) => a.positions.length > 0).map((account) => new AccountWatch(account, market));
    for (const watch of watches) watch.reference(market);

    const outcome = { loss: 0, liquidatedAt: Number.NaN, hedgeBrokenAt: Number.NaN };
    const record = (records: readonly LiquidationRecord[], watch: AccountWatch): void => {
      for (const r of records) {
        watch.liquidated = true;
        outcome.loss += r.loss;
        if (Number.isNaN(outcome.liquidatedAt)) outcome.liquidatedAt = r.t;
        if (!r.closesLeg || !Number.isNaN(outcome.hedgeBrokenAt)) continue;
        const partnerAlive = scenario.legs.some(
          (leg) => leg.name !== r.leg && plan.routeOf.get(leg.name) === r.route &&
            (leg.type === "spot" || accounts.some((a) => a.positions.some((p) => p.leg === leg.name))),
        );
        if (partnerAlive) outcome.hedgeBrokenAt = r.t;
      }
    };

    const stepSeconds = model.stepSeconds;
    const { indexHigh, indexLow } = path;
    for (let s = 1; s <= model.steps; s++) {
      const t = s * stepSeconds;
      const box = (s - 1) * n;
      let moved = false;
      for (const watch of watches) {
        if (watch.account.positions.length === 0) continue;
        if (watch.safeWithin(box, indexHigh, indexLow, this.#markHigh, this.#markLow)) {
          watch.trackWorst(box, indexHigh, indexLow, this.#basisHigh, this.#basisLow);
          continue;
        }
        const before = watch.account.positions.length;
        this.#boxStep = s;
        this.#checkStep(watch, t, record);
        if (!moved) this.#setMarketAt(s);
        moved = true;
        if (watch.account.positions.length === 0) continue;
        if (watch.account.positions.length === before) watch.rebase(market);
        else watch.reference(market);
        watch.trackWorst(box, indexHigh, indexLow, this.#basisHigh, this.#basisLow);
      }

      if (this.#fundingDue[s] === 1 && scenario.costs.funding) {
        if (!moved) this.#setMarketAt(s);
        moved = true;
        for (const watch of watches) {
          if (!this.#settleFunding(watch.account, s, t)) continue;
          const before = watch.account.positions.length;
          if (marginSurplus(watch.account, market) <= 0) record(liquidateDue(watch.account, t, market), watch);
          if (watch.account.positions.length === 0) continue;
          if (watch.account.positions.length === before) watch.rebase(market);
          else watch.reference(market);
        }
      }
      if (pnlPath !== null) {
        if (!moved) this.#setMarketAt(s);
        pnlPath[pnlRow + s - 1] = this.#routePnl(accounts);
      }
    }

    // At the horizon, before any exit: the worst distance, from the worst point each account reached.
    this.#setMarketAt(model.steps);
    let minDistance = Number.NaN;
    for (const watch of watches) {
      const distance = watch.liquidated ? 0 : worstDistance(watch, market);
      if (distance !== null && (Number.isNaN(minDistance) || distance < minDistance)) minDistance = distance;
    }
    if (scenario.costs.closeAtHorizon) for (const account of accounts) account.exitAll(model.horizonSeconds, market);
    const finalEquity = this.#marginEquity(accounts);
    const totals = ledger.totals();
    const c = outcomeColumn;
    rows[row + c.liquidated] = Number.isNaN(outcome.liquidatedAt) ? 0 : 1;
    rows[row + c.liquidatedAt] = outcome.liquidatedAt;
    rows[row + c.hedgeBroken] = Number.isNaN(outcome.hedgeBrokenAt) ? 0 : 1;
    rows[row + c.hedgeBrokenAt] = outcome.hedgeBrokenAt;
    rows[row + c.loss] = outcome.loss;
    rows[row + c.pnl] = finalEquity - plan.deposits + this.#spotPnl(accounts);
    rows[row + c.fundingReceived] = totals.funding.toNumber();
    rows[row + c.tradingFees] = totals.tradingFees.toNumber();
    rows[row + c.liquidationFees] = totals.liquidationFees.toNumber();
    rows[row + c.capitalReserved] = capitalReserved;
    rows[row + c.minDistanceToLiquidation] = minDistance;
    rows[row + c.finalEquity] = finalEquity;
  }

  /**
   * Exact check of one step whose screen failed: the surplus at every corner of the step's price box (concave in
   * the prices, so its minimum over the box is at a corner). A breach is located by bisection on the segment
   * from the step's start to the breaching corner and liquidated there, at the step's end time (the time is
   * known to the step; the price exactly). Repeats while the account stays breached (cascades, partial closes).
   */
  #checkStep(watch: AccountWatch, t: number, record: (records: readonly LiquidationRecord[], watch: AccountWatch) => void): void {
    const account = watch.account;
    const corners = 1 << watch.assets.length;
    for (let events = 0; events < maxLiquidationsPerStep && account.positions.length > 0; events++) {
      let worst = Number.POSITIVE_INFINITY;
      let worstCorner = 0;
      for (let corner = 0; corner < corners; corner++) {
        this.#setCorner(watch, corner, 1);
        const surplus = marginSurplus(account, this.#market);
        if (surplus < worst) {
          worst = surplus;
          worstCorner = corner;
        }
      }
      if (worst > 0) return;
      let alive = 0;
      let breached = 1;
      this.#setCorner(watch, worstCorner, 0);
      if (marginSurplus(account, this.#market) <= 0) breached = 0;
      while (breached - alive > 1e-9) {
        const mid = 0.5 * (alive + breached);
        this.#setCorner(watch, worstCorner, mid);
        if (marginSurplus(account, this.#market) <= 0) breached = mid;
        else alive = mid;
      }
      this.#setCorner(watch, worstCorner, breached);
      let records = liquidateDue(account, t, this.#market);
      if (records.length === 0) {
        this.#setCorner(watch, worstCorner, 1);
        records = liquidateDue(account, t, this.#market);
      }
      if (records.length === 0) return;
      record(records, watch);
    }
  }

  /**
   * Sets the market to a point on the segment from the step's start (fraction 0) to a corner of its box
   * (fraction 1): log-linear in the index, linear in the basis. Bit j of `corner` picks the high side for the
   * account's j-th asset.
   */
  #setCorner(watch: AccountWatch, corner: number, fraction: number): void {
    const n = this.#plan.market.assets.length;
    const box = (this.#boxStep - 1) * n;
    const path = this.#path;
    for (let j = 0; j < watch.assets.length; j++) {
      const a = watch.assets[j] ?? 0;
      const high = (corner >> j) & 1;
      const start = path.index[box + a] ?? 0;
      const end = high === 1 ? (path.indexHigh[box + a] ?? 0) : (path.indexLow[box + a] ?? 0);
      const basisStart = path.basis[box + a] ?? 0;
      const basisEnd = high === 1 ? (this.#basisHigh[box + a] ?? 0) : (this.#basisLow[box + a] ?? 0);
      const index = fraction === 1 ? end : start * Math.pow(end / start, fraction);
      this.#market.set(a, index, basisStart + (basisEnd - basisStart) * fraction);
    }
  }

  /**
   * Settles funding due at step s on the account's positions; returns whether anything was booked. The rate per
   * 8 h is the model's OU state, plus the venue's offset, plus the coupling times the log return over the funding
   * interval just ended, unless a stress overlay holds it; an N-hour venue pays rate * N / 8, then its cap.
   */
  #settleFunding(account: Account, s: number, t: number): boolean {
    const plan = this.#plan;
    const model = plan.market;
    const n = model.assets.length;
    let booked = false;
    for (const position of account.positions) {
      const leg = plan.legIndex.get(position.leg) ?? -1;
      const every = plan.fundingEverySteps[leg] ?? 0;
      if (every === 0 || s % every !== 0) continue;
      const a = plan.legAsset[leg] ?? 0;
      const terms = position.terms;
      const held = model.stressFunding[(s - 1) * n + a] ?? Number.NaN;
      let rate: number;
      if (held === fundingAtFloor) rate = terms.fundingFloor;
      else if (held === fundingAtCap) rate = terms.fundingCap;
      else {
        const perEightHours = Number.isNaN(held)
          ? (this.#path.fundingState[s * n + a] ?? 0) +
            (model.fundingVenueOffset[a]?.get(terms.venue) ?? 0) +
            (model.fundingCoupling[a] ?? 0) * Math.log((this.#path.index[s * n + a] ?? 1) / (this.#path.index[(s - every) * n + a] ?? 1))
          : held;
        rate = (perEightHours * terms.fundingIntervalHours) / 8;
      }
      const capped = settledFundingRate(terms, rate);
      const slot = s * plan.scenario.legs.length + leg;
      let received = this.#fundingPaid[slot];
      const quantity = this.#fundingQuantity[slot];
      if (received === undefined || quantity === undefined || !quantity.equals(position.quantity)) {
        received = fundingReceived(position, this.#market.markPrice(terms), capped);
        this.#fundingPaid[slot] = received;
        this.#fundingQuantity[slot] = position.quantity;
      }
      account.bookFunding(t, position, received, capped);
      booked = true;
    }
    return booked;
  }

  /** Margin accounts' equity: every balance (wallet and isolated allocations) plus unrealised PnL at the mark. */
  #marginEquity(accounts: readonly Account[]): number {
    let equity = 0;
    for (const account of accounts) {
      equity += account.walletBalance();
      for (const position of account.positions) {
        if (account.mode === "isolated") equity += account.isolatedMargin(position.leg);
        equity += unrealisedPnl(position, this.#market.markPrice(position.terms));
      }
    }
    return equity;
  }

  #spotPnl(accounts: readonly Account[]): number {
    let pnl = 0;
    for (const account of accounts) {
      for (const h of account.spot) pnl += h.side * h.quantityValue * (this.#market.indexPrice(h.asset) - h.entryValue);
    }
    return pnl;
  }

  #routePnl(accounts: readonly Account[]): number {
    return this.#marginEquity(accounts) - this.#plan.deposits + this.#spotPnl(accounts);
  }
}

/**
 * Capital the mode ties up for the route: an isolated account's allocations (the rest of its balance stays free),
 * a cross account's whole balance, a portfolio account's balance plus its spot collateral at the haircut.
 */
function reservedCapital(account: Account, market: PathMarket): number {
  switch (account.mode) {
    case "isolated":
      return account.positions.reduce((sum, p) => sum + account.isolatedMargin(p.leg), 0);
    case "cross":
      return account.walletBalance();
    case "portfolio": {
      const ratio = (asset: string): number => account.venue.portfolio?.collateral[asset]?.ratio ?? 0;
      return account.walletBalance() + account.spot.reduce((sum, h) => sum + h.quantityValue * market.indexPrice(h.asset) * ratio(h.asset), 0);
    }
  }
}

/**
 * Distance to liquidation at the account's worst point (prices and balances stored by the watch), as a fraction
 * of the mark: the closed form for isolated positions and a lone cross position, else the one-factor solver.
 */
function worstDistance(watch: AccountWatch, market: PathMarket): number | null {
  if (!Number.isFinite(watch.worstSurplus)) return null;
  const account = watch.account;
  for (let j = 0; j < watch.assets.length; j++) market.set(watch.assets[j] ?? 0, watch.worstIndex[j] ?? 0, (watch.worstMark[j] ?? 0) / (watch.worstIndex[j] ?? 1) - 1);
  const closedForm = (i: number, collateral: number): number | null => {
    const position = account.positions[i];
    if (position === undefined) return null;
    const { liquidationPrice: price } = liquidationPrice({ terms: position.terms, side: position.side, quantity: position.quantityValue, entryPrice: position.entryValue, collateral });
    return distanceToLiquidation(price, market.markPrice(position.terms), position.side);
  };
  let distance: number | null = null;
  if (account.mode === "isolated") {
    for (let i = 0; i < account.positions.length; i++) {
      const d = closedForm(i, watch.worstBalances[i + 1] ?? 0);
      if (d !== null && (distance === null || d < distance)) distance = d;
    }
    return distance;
  }
  if (account.mode === "cross" && account.positions.length === 1) return closedForm(0, watch.worstBalances[0] ?? 0);
  const walletShift = (watch.worstBalances[0] ?? 0) - account.walletBalance();
  const roots = liquidationFactors((factor) => marginSurplus(account, scaledSnapshot(market, factor)) + walletShift);
  for (const root of [roots.up, roots.down]) {
    if (root !== null && (distance === null || Math.abs(root - 1) < distance)) distance = Math.abs(root - 1);
  }
  return distance;
}
