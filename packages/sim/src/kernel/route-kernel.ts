import { liquidateDue, marginSurplus, unrealisedPnl, type Account, type Ledger, type LiquidationRecord } from "@mstress/core/engine";
import { allocateMarketPath, allocatePathScratch, generateMarketPath, type MarketPath, type PathScratch } from "../models/market-path.js";
import { pathStream } from "../rng/path-stream.js";
import type { AccountWatch } from "./account-watch.js";
import { FundingSettlement } from "./funding-settlement.js";
import { LiquidationTally } from "./liquidation-tally.js";
import { openModeTemplate, startPath, type ModeTemplate } from "./mode-template.js";
import { accountOutcomeWidth, outcomeColumn, outcomeWidth, routeOutcomeWidth } from "./outcome-fields.js";
import { PathMarket } from "./path-market.js";
import { RoutePnl } from "./route-pnl.js";
import { outputWidths, type KernelOutputs, type OutputWidths } from "./simulate-chunk.js";
import type { SimulationPlan } from "./simulation-plan.js";

/** Forced closes located within one step before the kernel gives up (each closes at least part of a position). */
const maxLiquidationsPerStep = 1000;

/**
 * On sampled paths, the distance to liquidation of an account that needs the one-factor solver is computed once
 * a day of simulated time (every max(1, round(1 d / step)) steps, and at the last step): the solver costs 30-45 us
 * a call here (about a hundred surplus evaluations; measured on funding-arb-btc's portfolio account) against a few
 * tenths of a microsecond for a closed-form account, whose liquidation prices are kept between bookings. At every
 * 1 h step it would add ~25 ms to each sampled path, 2.5 s of CPU for a 100-path sample; once a day it adds ~1 ms.
 * Steps in between leave the mode's cell empty when one of its open accounts needs the solver; modes whose
 * accounts all have closed forms get every step.
 */
export const solverDistanceEverySeconds = 86_400;

/**
 * Replays a route on simulated paths under each margin mode: the path pricer of the Monte Carlo (QuantLib's
 * path generator -> path pricer -> accumulator decomposition; the generator is `generateMarketPath`).
 *
 * Where floats meet decimals: the hot loop (every step of every path, in every mode) is float64 over typed
 * arrays and creates no objects (V8 may still box a double at a call it does not inline; bench/kernel-allocation.mjs
 * measures what is allocated): it reads the path's prices and each account's float balance mirrors, and only
 * decides *whether* something happens. What happens — a funding payment, a liquidation, a fee, the exit — is
 * sparse (a few hundred events per path) and is booked as exact decimal ledger events by the core's Account and
 * Ledger, the same code the replay and the calculator use; the ledger's exact balances then give the float
 * mirrors (the nearest doubles). The float price meets the decimal book at the tick (priceAtTick), the float
 * funding rate at its 1e-8 quantum (settledFundingRate).
 *
 * Modes are evaluated one after another on the same generated path (common random numbers), so they differ only
 * by margin rules. Every path opens at the same prices, so each mode's route is opened once (a template) and each
 * path starts from a copy of its accounts and ledger. A funding payment that is the same in several modes (same
 * leg, quantity, mark, rate) is computed once per path, with its amount in units of 1e-8 (`fundingPayment`, an
 * exact integer computation), and booked into each mode's ledger by those units: the ledger's tallies are exact
 * integers of 1e-8, so the payment's decimal is made only if something reads it (the ledger's events, a tally
 * that leaves the exact integer range). The booked amounts are the same exact decimals either way.
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
  /** 1 where some leg settles funding at the end of step s (none when the scenario books no funding). */
  readonly #fundingDue: Uint8Array;
  readonly #closeAtHorizon: boolean;
  readonly #funding: FundingSettlement;
  readonly #templates: readonly ModeTemplate[];
  readonly #pnl: RoutePnl;
  readonly #tally: LiquidationTally;
  /** The watches of the mode being evaluated, and their accounts' entity indices. */
  #watches: readonly AccountWatch[] = [];
  #watchEntity: Int32Array = new Int32Array(0);
  readonly widths: OutputWidths;

  constructor(plan: SimulationPlan) {
    this.#plan = plan;
    const market = plan.market;
    const n = market.assets.length;
    const { entities } = plan;
    this.widths = outputWidths(plan.modes.length, entities.accounts.length, entities.routes.length, market.steps);
    this.#pnl = new RoutePnl(n);
    this.#tally = new LiquidationTally(plan.scenario, plan.routeOf, entities);
    this.#path = allocateMarketPath(market);
    this.#scratch = allocatePathScratch(market);
    this.#market = new PathMarket(market.assets);
    this.#markHigh = new Float64Array(market.steps * n);
    this.#markLow = new Float64Array(market.steps * n);
    this.#basisHigh = new Float64Array(market.steps * n);
    this.#basisLow = new Float64Array(market.steps * n);
    this.#fundingDue = new Uint8Array(market.steps + 1);
    for (let s = 1; s <= market.steps && plan.scenario.costs.funding; s++) {
      for (const every of plan.fundingEverySteps) if (every > 0 && s % every === 0) this.#fundingDue[s] = 1;
    }
    this.#closeAtHorizon = plan.scenario.costs.closeAtHorizon;
    this.#funding = new FundingSettlement(plan, this.#path, this.#market);
    // Every path starts from the model's initial index and basis (generateMarketPath writes them at t0).
    for (let a = 0; a < n; a++) this.#market.set(a, market.initialIndex[a] ?? 0, market.basisInitial[a] ?? 0);
    const accountEntity = new Int32Array(plan.scenario.accounts.length).fill(-1);
    entities.accountIndices.forEach((account, e) => {
      accountEntity[account] = e;
    });
    this.#templates = plan.modes.map((mode) => openModeTemplate(plan, mode, this.#market, accountEntity));
  }

  get steps(): number {
    return this.#plan.market.steps;
  }

  /**
   * Simulates path `pathIndex` and writes its rows (every mode) at slot `slot` of the outputs: the outcome, account
   * and route rows, and when `sampled`, the PnL and distance to liquidation at every step end.
   */
  simulate(pathIndex: number, outputs: KernelOutputs, slot: number, sampled: boolean): void {
    generateMarketPath(this.#plan.market, pathStream(this.#plan.seed, pathIndex), this.#path, this.#scratch);
    this.#computeBoxes();
    this.#funding.startPath();
    for (let m = 0; m < this.#templates.length; m++) this.#evaluateMode(m, outputs, slot, sampled);
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

  #evaluateMode(m: number, outputs: KernelOutputs, slot: number, sampled: boolean): void {
    const plan = this.#plan;
    const model = plan.market;
    const n = model.assets.length;
    const steps = model.steps;
    const path = this.#path;
    const market = this.#market;
    const template = this.#templates[m];
    if (template === undefined) return;
    this.#setMarketAt(0);
    const { ledger, accounts } = startPath(template);
    const watches = template.watches;
    this.#watches = watches;
    this.#watchEntity = template.watchEntity;
    const tally = this.#tally;
    tally.reset(accounts);

    // The route's PnL at every step end for the drawdown (all paths) and the fan chart (sampled paths), from its
    // affine form in the prices, refreshed only after a booking.
    const routePnl = this.#pnl;
    routePnl.refresh(accounts, plan.deposits, market);
    // Positions changed (a forced close): the PnL's whole affine form is stale; balances only (funding): its constant.
    let pnlStale = false;
    let balancesStale = false;
    let peak = routePnl.at(path, 0);
    let maxDrawdown = 0;
    const pathRow = slot * this.widths.pathSteps + m * steps;
    const solverEvery = Math.max(1, Math.round(solverDistanceEverySeconds / model.stepSeconds));

    const stepSeconds = model.stepSeconds;
    const { indexHigh, indexLow } = path;
    for (let s = 1; s <= steps; s++) {
      const t = s * stepSeconds;
      const box = (s - 1) * n;
      let moved = false;
      for (let w = 0; w < watches.length; w++) {
        const watch = watches[w];
        if (watch === undefined || watch.account.positions.length === 0) continue;
        if (watch.safeWithin(box, indexHigh, indexLow, this.#markHigh, this.#markLow)) {
          watch.trackWorst(box, indexHigh, indexLow, this.#basisHigh, this.#basisLow);
          continue;
        }
        const before = watch.account.positions.length;
        this.#boxStep = s;
        if (this.#checkStep(watch, w, t)) pnlStale = true;
        if (!moved) this.#setMarketAt(s);
        moved = true;
        if (watch.account.positions.length === 0) continue;
        if (watch.account.positions.length === before) watch.rebase(market);
        else watch.reference(market);
        watch.trackWorst(box, indexHigh, indexLow, this.#basisHigh, this.#basisLow);
      }

      if (this.#fundingDue[s] === 1) {
        if (!moved) this.#setMarketAt(s);
        moved = true;
        for (let w = 0; w < watches.length; w++) {
          const watch = watches[w];
          if (watch === undefined || !this.#funding.settle(watch.account, s, t)) continue;
          balancesStale = true;
          const before = watch.account.positions.length;
          const surplus = marginSurplus(watch.account, market);
          if (surplus <= 0) {
            this.#record(liquidateDue(watch.account, t, market), w);
            pnlStale = true;
          }
          if (watch.account.positions.length === 0) continue;
          if (surplus > 0) watch.rebase(market, surplus);
          else if (watch.account.positions.length === before) watch.rebase(market);
          else watch.reference(market);
        }
      }
      if (pnlStale) {
        if (!moved) this.#setMarketAt(s);
        moved = true;
        routePnl.refresh(accounts, plan.deposits, market);
        pnlStale = false;
        balancesStale = false;
      } else if (balancesStale) {
        routePnl.refreshBalances(accounts);
        balancesStale = false;
      }
      const pnl = routePnl.at(path, s);
      if (pnl > peak) peak = pnl;
      else if (peak - pnl > maxDrawdown) maxDrawdown = peak - pnl;
      if (sampled) {
        if (!moved) this.#setMarketAt(s);
        moved = true;
        outputs.pnlPaths[pathRow + s - 1] = pnl;
        outputs.distancePaths[pathRow + s - 1] = this.#distanceNow(watches, s % solverEvery === 0 || s === steps);
      }
    }

    this.#finishMode(m, outputs, slot, { ledger, accounts, template, peak, maxDrawdown });
  }

  /**
   * The mode's rows at the horizon: the worst distance, the exit, and the outcome, account and route rows.
   * Kept out of #evaluateMode on purpose. When it was the tail of the step loop, about half of the runs fell into
   * a deopt loop: from some path on, every call entered the loop's cached on-stack-replaced code and was
   * deoptimised ("wrong map") in the tail, ~2,200 times in 3,000 paths (node --trace-deopt
   * bench/kernel-per-path.mjs 3000), and those runs were ~6 % slower (1.16 against 1.09 ms a path, medians of
   * 8 and 4 runs). Apart, the tail is compiled and deoptimised on its own: one deopt per run.
   */
  #finishMode(m: number, outputs: KernelOutputs, slot: number, state: { ledger: Ledger; accounts: readonly Account[]; template: ModeTemplate; peak: number; maxDrawdown: number }): void {
    const plan = this.#plan;
    const model = plan.market;
    const steps = model.steps;
    const path = this.#path;
    const market = this.#market;
    const watches = this.#watches;
    const tally = this.#tally;
    const routePnl = this.#pnl;
    const { ledger, accounts, template, peak } = state;
    let maxDrawdown = state.maxDrawdown;
    // At the horizon, before any exit: the worst distance, from the worst point each account reached.
    this.#setMarketAt(steps);
    let minDistance = Number.NaN;
    for (let w = 0; w < watches.length; w++) {
      const watch = watches[w];
      if (watch === undefined) continue;
      const distance = watch.liquidated ? 0 : watch.worstDistance(market);
      if (distance === null) continue;
      tally.accountDistance[this.#watchEntity[w] ?? -1] = distance;
      if (Number.isNaN(minDistance) || distance < minDistance) minDistance = distance;
    }
    // worstDistance moved the market to each account's worst point: back to the horizon's prices for the exit.
    this.#setMarketAt(steps);
    if (this.#closeAtHorizon) for (const account of accounts) account.exitAll(model.horizonSeconds, market);
    routePnl.refresh(accounts, plan.deposits, market);
    const exitPnl = routePnl.at(path, steps);
    if (peak - exitPnl > maxDrawdown) maxDrawdown = peak - exitPnl;
    const finalEquity = this.#marginEquity(accounts);
    const totals = ledger.totalValues();
    const rows = outputs.rows;
    const row = slot * this.widths.row + m * outcomeWidth;
    const c = outcomeColumn;
    rows[row + c.liquidated] = Number.isNaN(tally.liquidatedAt) ? 0 : 1;
    rows[row + c.liquidatedAt] = tally.liquidatedAt;
    rows[row + c.hedgeBroken] = Number.isNaN(tally.hedgeBrokenAt) ? 0 : 1;
    rows[row + c.hedgeBrokenAt] = tally.hedgeBrokenAt;
    rows[row + c.loss] = tally.loss;
    rows[row + c.pnl] = finalEquity - plan.deposits + this.#spotPnl(accounts);
    rows[row + c.fundingReceived] = totals.funding;
    rows[row + c.tradingFees] = totals.tradingFees;
    rows[row + c.liquidationFees] = totals.liquidationFees;
    rows[row + c.capitalReserved] = template.capitalReserved;
    rows[row + c.minDistanceToLiquidation] = minDistance;
    rows[row + c.finalEquity] = finalEquity;
    rows[row + c.maxDrawdown] = maxDrawdown;
    const { entities } = plan;
    tally.write(
      outputs.accountRows,
      slot * this.widths.accountRow + m * entities.accounts.length * accountOutcomeWidth,
      outputs.routeRows,
      slot * this.widths.routeRow + m * entities.routes.length * routeOutcomeWidth,
    );
  }

  /** Books forced closes of watch w: the watch is liquidated, the tally takes the records. */
  #record(records: readonly LiquidationRecord[], w: number): void {
    if (records.length === 0) return;
    const watch = this.#watches[w];
    if (watch !== undefined) watch.liquidated = true;
    this.#tally.record(records, this.#watchEntity[w] ?? -1);
  }

  /**
   * The smallest distance to liquidation over the mode's open accounts at the market's current prices; NaN when
   * none has a liquidation price, or when `solverDue` is false and an open account needs the solver.
   */
  #distanceNow(watches: readonly AccountWatch[], solverDue: boolean): number {
    let nearest = Number.NaN;
    for (const watch of watches) {
      if (watch.account.positions.length === 0) continue;
      if (!solverDue && watch.needsSolver) return Number.NaN;
      const distance = watch.distanceNow(this.#market);
      if (!Number.isNaN(distance) && (Number.isNaN(nearest) || distance < nearest)) nearest = distance;
    }
    return nearest;
  }

  /**
   * Exact check of one step whose screen failed: the surplus at every corner of the step's price box (concave in
   * the prices, so its minimum over the box is at a corner). A breach is located by bisection on the segment
   * from the step's start to the breaching corner and liquidated there, at the step's end time (the time is
   * known to the step; the price exactly). Repeats while the account stays breached (cascades, partial closes).
   */
  #checkStep(watch: AccountWatch, w: number, t: number): boolean {
    const account = watch.account;
    let booked = false;
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
      if (worst > 0) return booked;
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
      if (records.length === 0) return booked;
      booked = true;
      this.#record(records, w);
    }
    return booked;
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
}

