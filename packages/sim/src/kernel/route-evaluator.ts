import { liquidateDue, marginSurplus, unrealisedPnl, type Account, type Ledger, type LiquidationRecord, type MarginMode } from "@mstress/core/engine";
import type { MarketPath } from "../models/market-path.js";
import { RouteActions, type WatchTrigger } from "../policies/route-actions.js";
import type { RouteJournal } from "../policies/route-journal.js";
import { PolicyKind } from "../policies/compiled-policies.js";
import type { AccountWatch } from "./account-watch.js";
import type { AdlDraws } from "./adl-draws.js";
import type { EvaluationPlan } from "./evaluation-plan.js";
import { FundingSettlement } from "./funding-settlement.js";
import { LiquidationTally } from "./liquidation-tally.js";
import { openModeTemplate, startPath, type ModeTemplate } from "./mode-template.js";
import { accountOutcomeWidth, outcomeColumn, outcomeWidth, policyOutcomeWidth, routeOutcomeWidth } from "./outcome-fields.js";
import { PathMarket } from "./path-market.js";
import { RoutePnl } from "./route-pnl.js";
import { outputWidths, type KernelOutputs, type OutputWidths } from "./simulate-chunk.js";

/** Events located within one step before the evaluator gives up on the step (each one books something). */
const maxEventsPerStep = 1000;

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

/** What an evaluation leaves behind beyond its rows, for replay and backtest (not kept by the Monte Carlo). */
export interface EvaluationDetail {
  readonly accounts: readonly Account[];
  readonly ledger: Ledger;
  readonly liquidations: readonly LiquidationRecord[];
  /** Distance to liquidation at the horizon, before any exit (null: no open position has a liquidation price). */
  readonly distanceAtHorizon: number | null;
  /** Per account (scenario order): margin equity at the horizon (wallet, allocations, unrealised PnL). */
  readonly accountEquity: readonly number[];
}

/**
 * The path pricer: a route replayed on one path under each evaluation (a margin mode, with or without the
 * scenario's policies), whatever made the path (QuantLib's path generator -> path pricer split): the Monte Carlo's
 * generator, a scripted path (replay) or a window of history (backtest) fill the MarketPath, this evaluates it.
 * Every rule of the route — liquidation, funding, the policies, auto-deleveraging — lives here once.
 *
 * Where floats meet decimals: the hot loop (every step of every path, in every mode) is float64 over typed
 * arrays and creates no objects (V8 may still box a double at a call it does not inline; bench/kernel-allocation.mjs
 * measures what is allocated): it reads the path's prices and each account's float balance mirrors, and only
 * decides *whether* and *when* something happens. What happens — a funding payment, a liquidation, a fee, a
 * policy's transfer or trade, the exit — is sparse and is booked as exact decimal ledger events by the core's
 * Account and Ledger; the ledger's exact balances then give the float mirrors (the nearest doubles). The float
 * price meets the decimal book at the tick (priceAtTick), the float funding rate at its 1e-8 quantum.
 *
 * Inside a step: each account whose screen fails is checked on its way from the step's start to the corner of
 * the step's price box worst for it (the path's `withinStep`: for a scripted path, the straight line to the
 * step's end). Liquidation and the policies' triggers are barriers on that way; the first one crossed is located
 * by bisection and acted on at its own time, start + fraction x step; events due at known times (a transfer's
 * arrival, a delayed unwind, a scripted ADL, a cooldown's end) interleave with them in time order.
 *
 * Evaluations run one after another on the same path (common random numbers), so they differ only by margin
 * rules and policies. Every path opens at the same prices, so each mode's route is opened once (a template) and
 * each path starts from a copy of its accounts and ledger.
 */
export class RouteEvaluator {
  readonly #plan: EvaluationPlan;
  readonly #path: MarketPath;
  readonly #market: PathMarket;
  readonly #scaled: PathMarket;
  /** Each step's price box (step x asset), shared by every evaluation of a path: mark and basis on either side. */
  readonly #markHigh: Float64Array;
  readonly #markLow: Float64Array;
  readonly #basisHigh: Float64Array;
  readonly #basisLow: Float64Array;
  /** Step of the box `#setCorner` works on, its start time and length. */
  #boxStep = 1;
  #stepStart = 0;
  #stepLength = 1;
  /** Time the current search starts from: whether a trigger is live is read there (it changes only at an event). */
  #searchTime = 0;
  readonly #linear: boolean;
  readonly #funding: FundingSettlement;
  readonly #templates: ReadonlyMap<MarginMode, ModeTemplate>;
  readonly #pnl: RoutePnl;
  readonly #tally: LiquidationTally;
  readonly #actions: RouteActions;
  /** The watches of the evaluation, their accounts' entity indices, and per watch this step's state. */
  #watches: readonly AccountWatch[] = [];
  #watchEntity: Int32Array = new Int32Array(0);
  readonly #unsafe: Uint8Array;
  readonly #positionsBefore: Int32Array;
  /** Per watch, the box corner it is checked towards this step (-1: not chosen yet). */
  readonly #corner: Int32Array;
  #liquidations: LiquidationRecord[] | null = null;
  readonly widths: OutputWidths;

  constructor(plan: EvaluationPlan, path: MarketPath) {
    this.#plan = plan;
    this.#path = path;
    const grid = plan.grid;
    const n = grid.assets.length;
    const { entities } = plan;
    this.widths = outputWidths(plan.evaluations.length, entities, grid.steps);
    this.#pnl = new RoutePnl(n);
    this.#tally = new LiquidationTally(plan.scenario, plan.routeOf, entities);
    this.#market = new PathMarket(grid.assets);
    this.#scaled = new PathMarket(this.#market);
    this.#markHigh = new Float64Array(grid.steps * n);
    this.#markLow = new Float64Array(grid.steps * n);
    this.#basisHigh = new Float64Array(grid.steps * n);
    this.#basisLow = new Float64Array(grid.steps * n);
    this.#linear = grid.withinStep === "segment";
    this.#funding = new FundingSettlement(plan, path, this.#market);
    // Every path starts from the grid's initial index and basis (the path's t0 holds them).
    for (let a = 0; a < n; a++) this.#market.set(a, grid.initialIndex[a] ?? 0, grid.basisInitial[a] ?? 0);
    const accountEntity = new Int32Array(plan.scenario.accounts.length).fill(-1);
    entities.accountIndices.forEach((account, e) => {
      accountEntity[account] = e;
    });
    this.#templates = new Map(plan.modes.map((mode) => [mode, openModeTemplate(plan, mode, this.#market, accountEntity)]));
    const triggers = new Map([...this.#templates].map(([mode, template]) => [mode, watchTriggers(plan, mode, template)]));
    const maxWatches = Math.max(0, ...[...this.#templates.values()].map((t) => t.watches.length));
    this.#actions = new RouteActions(plan, this.#market, this.#tally, triggers, maxWatches);
    this.#unsafe = new Uint8Array(maxWatches);
    this.#positionsBefore = new Int32Array(maxWatches);
    this.#corner = new Int32Array(maxWatches);
  }

  /** A new path is in the MarketPath: the step boxes and the funding cache follow it. */
  startPath(): void {
    this.#computeBoxes();
    this.#funding.startPath();
  }

  /**
   * Evaluates the path under evaluation e and writes its rows at `slot` (and, when `sampled`, the PnL and distance
   * at every step end). `adl`: this path's stochastic ADL draws, if the market has them. `journal`: where to log
   * the policies' actions (replay, backtest); with it, the evaluation's detail is returned.
   */
  evaluate(e: number, outputs: KernelOutputs, slot: number, sampled: boolean, adl: AdlDraws | null, journal: RouteJournal | null = null): EvaluationDetail | null {
    const evaluation = this.#plan.evaluations[e];
    const template = evaluation === undefined ? undefined : this.#templates.get(evaluation.mode);
    if (evaluation === undefined || template === undefined) return null;
    return this.#evaluate(e, evaluation.mode, evaluation.managed, template, outputs, slot, sampled, adl, journal);
  }

  /**
   * The price box of every step: index extremes from the path, the basis at its worse endpoint for each side (the
   * basis is taken as linear within a step; its own noise enters at the step's end).
   */
  #computeBoxes(): void {
    const path = this.#path;
    const cells = this.#markHigh.length;
    const n = this.#plan.grid.assets.length;
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
    const n = this.#plan.grid.assets.length;
    for (let a = 0; a < n; a++) this.#market.set(a, this.#path.index[s * n + a] ?? 0, this.#path.basis[s * n + a] ?? 0);
  }

  #evaluate(
    e: number,
    mode: MarginMode,
    managed: boolean,
    template: ModeTemplate,
    outputs: KernelOutputs,
    slot: number,
    sampled: boolean,
    adl: AdlDraws | null,
    journal: RouteJournal | null,
  ): EvaluationDetail | null {
    const plan = this.#plan;
    const grid = plan.grid;
    const n = grid.assets.length;
    const steps = grid.steps;
    const times = grid.times;
    const path = this.#path;
    const market = this.#market;
    this.#setMarketAt(0);
    const { ledger, accounts } = startPath(template);
    const watches = template.watches;
    this.#watches = watches;
    this.#watchEntity = template.watchEntity;
    this.#liquidations = journal === null ? null : [];
    const tally = this.#tally;
    tally.reset(accounts);
    const actions = this.#actions;
    actions.reset(mode, managed, accounts, watches, template.watched, journal);
    this.#funding.startEvaluation();
    // Nothing but liquidation and funding can happen: the passive route's fast path.
    const quiet = actions.idle && adl === null;
    if (!quiet) for (let w = 0; w < watches.length; w++) watches[w]?.setTriggerDistance(actions.liveDistance(w, 0), market);

    // The route's PnL at every step end for the drawdown (all paths) and the fan chart (sampled paths), from its
    // affine form in the prices, refreshed only after a booking.
    const routePnl = this.#pnl;
    routePnl.refresh(accounts, plan.deposits, market);
    // Positions changed (a forced close, a trade): the PnL's whole affine form is stale; balances only (funding): its constant.
    let pnlStale = false;
    let balancesStale = false;
    let peak = routePnl.at(path, 0);
    let maxDrawdown = 0;
    const pathRow = slot * this.widths.pathSteps + e * steps;
    const solverEvery = Math.max(1, Math.round(solverDistanceEverySeconds / ((times[1] ?? 1) - (times[0] ?? 0))));
    const { indexHigh, indexLow } = path;
    let adlAt = 0;

    for (let s = 1; s <= steps; s++) {
      const t = times[s] ?? 0;
      const box = (s - 1) * n;
      let moved = false;
      let eventful = false;
      for (let w = 0; w < watches.length; w++) {
        const watch = watches[w];
        this.#unsafe[w] = 0;
        if (watch === undefined || watch.account.positions.length === 0) continue;
        this.#positionsBefore[w] = watch.account.positions.length;
        if (!watch.safeWithin(box, indexHigh, indexLow, this.#markHigh, this.#markLow)) {
          this.#unsafe[w] = 1;
          eventful = true;
        }
      }
      if (!quiet) {
        actions.touched.fill(0);
        actions.positionsChanged.fill(0);
        if (actions.queue.nextTime() <= t) eventful = true;
        const level = actions.pnlLevel();
        // The PnL's form is fresh here: every booking of the step before was refreshed at its end.
        if (!Number.isNaN(level) && this.#pnlAtWorstCorner(routePnl, s) <= level) eventful = true;
      }
      if (eventful) {
        this.#boxStep = s;
        this.#stepStart = times[s - 1] ?? 0;
        this.#stepLength = t - this.#stepStart;
        if (this.#stepEvents(quiet, routePnl, accounts)) pnlStale = true;
      }
      if (!quiet && adl !== null) {
        // Stochastic ADL at the step's end, where the move passed its threshold.
        for (; adlAt < adl.count && (adl.step[adlAt] ?? 0) <= s; adlAt++) {
          if ((adl.step[adlAt] ?? 0) !== s || (adl.uniform[adlAt] ?? 1) >= (plan.adlModel?.probability ?? 0)) continue;
          if (!moved) this.#setMarketAt(s);
          moved = true;
          actions.adl(adl.leg[adlAt] ?? -1, 1, t);
        }
      }
      for (let w = 0; w < watches.length; w++) {
        const watch = watches[w];
        if (watch === undefined || this.#positionsBefore[w] === 0) continue;
        const touched = !quiet && actions.touched[w] === 1;
        if (this.#unsafe[w] === 0 && !touched) {
          if (watch.account.positions.length > 0) watch.trackWorst(box, indexHigh, indexLow, this.#basisHigh, this.#basisLow);
          continue;
        }
        if (!moved) this.#setMarketAt(s);
        moved = true;
        if (watch.account.positions.length === 0) continue;
        if (!quiet) watch.triggerDistance = actions.liveDistance(w, t);
        if (watch.account.positions.length === this.#positionsBefore[w] && (quiet || actions.positionsChanged[w] === 0)) watch.rebase(market);
        else watch.reference(market);
        watch.trackWorst(box, indexHigh, indexLow, this.#basisHigh, this.#basisLow);
      }
      if (!quiet && actions.pnlStale) {
        pnlStale = true;
        actions.pnlStale = false;
      }

      if (plan.fundingDueAny[s] === 1) {
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
          if (!quiet) watch.triggerDistance = actions.liveDistance(w, t);
          if (surplus > 0) watch.rebase(market, surplus);
          else if (watch.account.positions.length === before) watch.rebase(market);
          else watch.reference(market);
        }
        if (!quiet) {
          actions.fundingSettled(s, t, this.#funding.lastRate);
          if (actions.pnlStale) {
            pnlStale = true;
            actions.pnlStale = false;
            this.#referenceTouched(t);
          }
        }
      }
      if (pnlStale) {
        if (!moved) this.#setMarketAt(s);
        moved = true;
        this.#refreshPnl(routePnl, accounts);
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

    return this.#finishEvaluation(e, outputs, slot, { ledger, accounts, template, managed, peak, maxDrawdown, journal });
  }

  /** The route's PnL form after bookings, counting spot sold at its cost and cash in flight between accounts. */
  #refreshPnl(routePnl: RoutePnl, accounts: readonly Account[]): void {
    const actions = this.#actions;
    routePnl.refresh(accounts, this.#plan.deposits + actions.spotCostSold - actions.inFlight, this.#market);
  }

  /** After an action at a step's end: references the touched watches at the market's prices. */
  #referenceTouched(t: number): void {
    const actions = this.#actions;
    for (let w = 0; w < this.#watches.length; w++) {
      const watch = this.#watches[w];
      if (watch === undefined || actions.touched[w] !== 1 || watch.account.positions.length === 0) continue;
      watch.triggerDistance = actions.liveDistance(w, t);
      watch.reference(this.#market);
    }
    actions.touched.fill(0);
    actions.positionsChanged.fill(0);
  }

  /**
   * The events inside the current step, in time order: each unsafe account's first barrier crossing on its way
   * to its worst corner (liquidation, or a live trigger), the scheduled events due, and the PnL exits. Returns
   * whether a liquidation was booked.
   */
  #stepEvents(quiet: boolean, routePnl: RoutePnl, accounts: readonly Account[]): boolean {
    const actions = this.#actions;
    const watches = this.#watches;
    const start = this.#stepStart;
    const length = this.#stepLength;
    this.#corner.fill(-1);
    let u = 0;
    let booked = false;
    for (let events = 0; events < maxEventsPerStep; events++) {
      const scheduled = quiet ? Number.POSITIVE_INFINITY : actions.queue.nextTime();
      const uScheduled = scheduled <= start + length ? Math.max(u, (scheduled - start) / length) : Number.POSITIVE_INFINITY;
      const uLimit = Math.min(1, uScheduled);
      let best = Number.POSITIVE_INFINITY;
      let bestWatch = -1;
      this.#searchTime = start + u * length;
      for (let w = 0; w < watches.length; w++) {
        const watch = watches[w];
        if (watch === undefined || this.#unsafe[w] !== 1 || watch.account.positions.length === 0) continue;
        const crossing = this.#firstCrossing(w, u, uLimit, quiet);
        if (crossing < best) {
          best = crossing;
          bestWatch = w;
        }
      }
      let pnlCrossing = Number.POSITIVE_INFINITY;
      if (!quiet) {
        const level = actions.pnlLevel();
        if (!Number.isNaN(level)) {
          this.#refreshPnl(routePnl, accounts);
          pnlCrossing = this.#firstPnlCrossing(routePnl, level, u, uLimit);
        }
      }
      if (pnlCrossing <= uLimit && pnlCrossing <= best) {
        u = pnlCrossing;
        this.#setPnlPoint(routePnl, u);
        actions.exitOnPnl(routePnl.atMarket(this.#market), start + u * length);
        this.#afterActions();
        continue;
      }
      if (best <= uLimit) {
        u = best;
        booked = this.#act(bestWatch, u, uLimit, quiet) || booked;
        continue;
      }
      if (uScheduled > 1) break;
      u = uScheduled;
      this.#setStraight(u);
      actions.runScheduled(start + u * length);
      this.#afterActions();
    }
    return booked;
  }

  /** After a policy or the venue acted within a step: every open account is checked exactly for the rest of it. */
  #afterActions(): void {
    for (let w = 0; w < this.#watches.length; w++) {
      if ((this.#watches[w]?.account.positions.length ?? 0) > 0) this.#unsafe[w] = 1;
      this.#corner[w] = -1;
    }
  }

  /**
   * The barrier watch w is checked against: its margin surplus, and with live triggers (not `quiet`) the smaller
   * of it and each trigger's surplus (prices moved by 1 +- d), at the market's current prices.
   */
  #barrier(w: number, quiet: boolean): number {
    const watch = this.#watches[w];
    if (watch === undefined) return Number.POSITIVE_INFINITY;
    const surplus = marginSurplus(watch.account, this.#market);
    if (quiet) return surplus;
    const t = this.#searchTime;
    let lowest = surplus;
    for (const trigger of this.#actions.triggersOf(w)) {
      if (!this.#actions.isLive(trigger, t)) continue;
      const value = this.#actions.triggerSurplus(trigger, watch.account, this.#scaled);
      if (value < lowest) lowest = value;
    }
    return lowest;
  }

  /**
   * The first fraction of the step in (u, uLimit] where watch w's barrier is met on its way to its worst corner
   * (+Infinity: none). The corner is the one with the lowest surplus at the step's extremes (the surplus is
   * concave in the prices, so its minimum over the box is at a corner); on a scripted step, the step's end. The
   * crossing is located by bisection to 1e-9 of the step.
   */
  #firstCrossing(w: number, u: number, uLimit: number, quiet: boolean): number {
    const watch = this.#watches[w];
    if (watch === undefined) return Number.POSITIVE_INFINITY;
    let corner = this.#corner[w] ?? -1;
    if (corner < 0) {
      corner = 0;
      if (!this.#linear) {
        let worst = Number.POSITIVE_INFINITY;
        const corners = 1 << watch.assets.length;
        for (let c = 0; c < corners; c++) {
          this.#setCorner(watch, c, 1);
          const surplus = marginSurplus(watch.account, this.#market);
          if (surplus < worst) {
            worst = surplus;
            corner = c;
          }
        }
      }
      this.#corner[w] = corner;
    }
    this.#setCorner(watch, corner, uLimit);
    if (this.#barrier(w, quiet) > 0) return Number.POSITIVE_INFINITY;
    let alive = u;
    let breached = uLimit;
    this.#setCorner(watch, corner, u);
    if (this.#barrier(w, quiet) <= 0) breached = u;
    while (breached - alive > 1e-9) {
      const mid = 0.5 * (alive + breached);
      this.#setCorner(watch, corner, mid);
      if (this.#barrier(w, quiet) <= 0) breached = mid;
      else alive = mid;
    }
    return breached;
  }

  /**
   * Acts at fraction u of the step on watch w's crossing: a liquidation when its surplus is gone (tried at the
   * step's limit too, as a last resort, should the located point not liquidate), else its live triggers.
   */
  #act(w: number, u: number, uLimit: number, quiet: boolean): boolean {
    const watch = this.#watches[w];
    if (watch === undefined) return false;
    const corner = this.#corner[w] ?? 0;
    const t = this.#stepStart + u * this.#stepLength;
    if (!quiet) this.#setStraight(u);
    this.#setCorner(watch, corner, u);
    const account = watch.account;
    if (marginSurplus(account, this.#market) <= 0) {
      let records = liquidateDue(account, t, this.#market);
      if (records.length === 0) {
        this.#setCorner(watch, corner, uLimit);
        records = liquidateDue(account, t, this.#market);
      }
      if (records.length === 0) {
        this.#unsafe[w] = 0;
        return false;
      }
      this.#record(records, w);
      // Its positions changed: the corner worst for what is left may be another.
      this.#corner[w] = -1;
      if (!quiet && this.#actions.pnlStale) this.#afterActions();
      return true;
    }
    if (quiet || !this.#actions.fireTriggers(w, t, this.#scaled)) {
      // Nothing to act on at the point (a trigger that just went idle): leave the account to the step's end.
      if (quiet) this.#unsafe[w] = 0;
      return false;
    }
    this.#afterActions();
    return false;
  }

  /** Books forced closes of watch w: the watch is liquidated, the tally takes the records, unwinds follow. */
  #record(records: readonly LiquidationRecord[], w: number): void {
    if (records.length === 0) return;
    const watch = this.#watches[w];
    if (watch !== undefined) watch.liquidated = true;
    this.#tally.record(records, this.#watchEntity[w] ?? -1);
    this.#liquidations?.push(...records);
    for (const record of records) {
      if (record.closesLeg) this.#actions.legClosed(this.#plan.legIndex.get(record.leg) ?? -1, record.t);
    }
  }

  /**
   * The mode's rows at the horizon: the worst distance, the exit, and the outcome, account, route and policy rows.
   * Kept out of #evaluate on purpose. When it was the tail of the step loop, about half of the runs fell into
   * a deopt loop: from some path on, every call entered the loop's cached on-stack-replaced code and was
   * deoptimised ("wrong map") in the tail, ~2,200 times in 3,000 paths (node --trace-deopt
   * bench/kernel-per-path.mjs 3000), and those runs were ~6 % slower (1.16 against 1.09 ms a path, medians of
   * 8 and 4 runs). Apart, the tail is compiled and deoptimised on its own: one deopt per run.
   */
  #finishEvaluation(
    e: number,
    outputs: KernelOutputs,
    slot: number,
    state: { ledger: Ledger; accounts: readonly Account[]; template: ModeTemplate; managed: boolean; peak: number; maxDrawdown: number; journal: RouteJournal | null },
  ): EvaluationDetail | null {
    const plan = this.#plan;
    const grid = plan.grid;
    const steps = grid.steps;
    const path = this.#path;
    const market = this.#market;
    const watches = this.#watches;
    const tally = this.#tally;
    const actions = this.#actions;
    const routePnl = this.#pnl;
    const { ledger, accounts, template, peak } = state;
    let maxDrawdown = state.maxDrawdown;
    // At the horizon, before any exit: the worst distance, from the worst point each account reached.
    this.#setMarketAt(steps);
    let horizonDistance: number | null = null;
    if (state.journal !== null) {
      for (const watch of watches) {
        const distance = watch.account.positions.length === 0 ? Number.NaN : watch.distanceNow(market);
        if (!Number.isNaN(distance) && (horizonDistance === null || distance < horizonDistance)) horizonDistance = distance;
      }
    }
    let minDistance = Number.NaN;
    for (let w = 0; w < watches.length; w++) {
      const watch = watches[w];
      if (watch === undefined) continue;
      const distance = watch.liquidated ? 0 : watch.pathWorstDistance(market);
      if (distance === null) continue;
      tally.accountDistance[this.#watchEntity[w] ?? -1] = distance;
      if (Number.isNaN(minDistance) || distance < minDistance) minDistance = distance;
    }
    // worstDistance moved the market to each account's worst point: back to the horizon's prices for the exit.
    this.#setMarketAt(steps);
    const horizon = grid.horizonSeconds;
    if (plan.scenario.costs.closeAtHorizon) for (const account of accounts) account.exitAll(horizon, market);
    this.#refreshPnl(routePnl, accounts);
    const exitPnl = routePnl.at(path, steps);
    if (peak - exitPnl > maxDrawdown) maxDrawdown = peak - exitPnl;
    const finalEquity = this.#marginEquity(accounts);
    const totals = ledger.totalValues();
    const rows = outputs.rows;
    const row = slot * this.widths.row + e * outcomeWidth;
    const c = outcomeColumn;
    rows[row + c.liquidated] = Number.isNaN(tally.liquidatedAt) ? 0 : 1;
    rows[row + c.liquidatedAt] = tally.liquidatedAt;
    rows[row + c.hedgeBroken] = Number.isNaN(tally.hedgeBrokenAt) ? 0 : 1;
    rows[row + c.hedgeBrokenAt] = tally.hedgeBrokenAt;
    rows[row + c.loss] = tally.loss;
    // Spot sold left the route's holdings at its cost for cash in a wallet; cash in flight is still the route's.
    rows[row + c.pnl] = finalEquity - plan.deposits + this.#spotPnl(accounts) - actions.spotCostSold + actions.inFlight;
    rows[row + c.fundingReceived] = totals.funding;
    rows[row + c.tradingFees] = totals.tradingFees;
    rows[row + c.liquidationFees] = totals.liquidationFees;
    rows[row + c.capitalEmployed] = state.managed ? template.capitalEmployedManaged : template.capitalEmployed;
    rows[row + c.minDistanceToLiquidation] = minDistance;
    rows[row + c.finalEquity] = finalEquity;
    rows[row + c.maxDrawdown] = maxDrawdown;
    rows[row + c.adl] = Number.isNaN(tally.adlAt) ? 0 : 1;
    rows[row + c.adlAt] = tally.adlAt;
    rows[row + c.hedgeBrokenByAdl] = Number.isNaN(tally.hedgeBrokenAt) ? Number.NaN : tally.hedgeBrokenByAdl;
    const { entities } = plan;
    tally.write(
      outputs.accountRows,
      slot * this.widths.accountRow + e * entities.accounts.length * accountOutcomeWidth,
      outputs.routeRows,
      slot * this.widths.routeRow + e * entities.routes.length * routeOutcomeWidth,
    );
    actions.writeRows(outputs.policyRows, slot * this.widths.policyRow + e * entities.policies.length * policyOutcomeWidth);
    if (state.journal === null) return null;
    return {
      accounts,
      ledger,
      liquidations: this.#liquidations ?? [],
      distanceAtHorizon: horizonDistance,
      accountEquity: accounts.map((account) => this.#marginEquity([account])),
    };
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
   * Sets the market to a point on the segment from the step's start (fraction 0) to a corner of its box
   * (fraction 1) for the watch's assets: log-linear in the index, linear in the basis; on a scripted step, the
   * straight line to the step's end, linear in the price. Bit j of `corner` picks the high side for the account's
   * j-th asset.
   */
  #setCorner(watch: AccountWatch, corner: number, fraction: number): void {
    const n = this.#plan.grid.assets.length;
    const box = (this.#boxStep - 1) * n;
    const path = this.#path;
    for (let j = 0; j < watch.assets.length; j++) {
      const a = watch.assets[j] ?? 0;
      const start = path.index[box + a] ?? 0;
      const basisStart = path.basis[box + a] ?? 0;
      if (this.#linear) {
        const end = path.index[box + n + a] ?? 0;
        const basisEnd = path.basis[box + n + a] ?? 0;
        this.#market.set(a, start + (end - start) * fraction, basisStart + (basisEnd - basisStart) * fraction);
        continue;
      }
      const high = (corner >> j) & 1;
      const end = high === 1 ? (path.indexHigh[box + a] ?? 0) : (path.indexLow[box + a] ?? 0);
      const basisEnd = high === 1 ? (this.#basisHigh[box + a] ?? 0) : (this.#basisLow[box + a] ?? 0);
      const index = fraction === 1 ? end : start * Math.pow(end / start, fraction);
      this.#market.set(a, index, basisStart + (basisEnd - basisStart) * fraction);
    }
  }

  /** Every asset at fraction u of the step on the straight line from its start to its end (log-linear in the index on a box step). */
  #setStraight(u: number): void {
    const n = this.#plan.grid.assets.length;
    const box = (this.#boxStep - 1) * n;
    const path = this.#path;
    for (let a = 0; a < n; a++) {
      const start = path.index[box + a] ?? 0;
      const end = path.index[box + n + a] ?? 0;
      const basisStart = path.basis[box + a] ?? 0;
      const basis = basisStart + ((path.basis[box + n + a] ?? 0) - basisStart) * u;
      const index = this.#linear ? start + (end - start) * u : start * Math.pow(end / start, u);
      this.#market.set(a, index, basis);
    }
  }

  /**
   * Every asset at fraction u on its way to the corner of step s's box worst for the route's PnL (an affine form
   * in the prices: per asset, the index and basis extremes that lower it most).
   */
  #setPnlPoint(routePnl: RoutePnl, u: number): void {
    const n = this.#plan.grid.assets.length;
    const box = (this.#boxStep - 1) * n;
    const path = this.#path;
    for (let a = 0; a < n; a++) {
      const start = path.index[box + a] ?? 0;
      const basisStart = path.basis[box + a] ?? 0;
      const { index: end, basis: basisEnd } = this.#pnlCorner(routePnl, box, a);
      const index = this.#linear ? start + (end - start) * u : start * Math.pow(end / start, u);
      this.#market.set(a, index, basisStart + (basisEnd - basisStart) * u);
    }
  }

  /** Asset a's index and basis extremes of the step (box at `box`) that make the route's PnL lowest; on a scripted step, its end. */
  #pnlCorner(routePnl: RoutePnl, box: number, a: number): { index: number; basis: number } {
    const n = this.#plan.grid.assets.length;
    const path = this.#path;
    if (this.#linear) return { index: path.index[box + n + a] ?? 0, basis: path.basis[box + n + a] ?? 0 };
    let best = { index: 0, basis: 0 };
    let lowest = Number.POSITIVE_INFINITY;
    for (const index of [path.indexHigh[box + a] ?? 0, path.indexLow[box + a] ?? 0]) {
      for (const basis of [this.#basisHigh[box + a] ?? 0, this.#basisLow[box + a] ?? 0]) {
        const value = routePnl.assetValue(a, index, basis);
        if (value < lowest) {
          lowest = value;
          best = { index, basis };
        }
      }
    }
    return best;
  }

  /** The route's PnL at the worst corner of step s's box (a lower bound over the step; on a scripted step, the lower end). */
  #pnlAtWorstCorner(routePnl: RoutePnl, s: number): number {
    const n = this.#plan.grid.assets.length;
    const box = (s - 1) * n;
    const path = this.#path;
    let pnl = routePnl.constantTerm;
    for (let a = 0; a < n; a++) {
      if (this.#linear) {
        pnl += Math.min(routePnl.assetValue(a, path.index[box + a] ?? 0, path.basis[box + a] ?? 0), routePnl.assetValue(a, path.index[box + n + a] ?? 0, path.basis[box + n + a] ?? 0));
        continue;
      }
      const { index, basis } = this.#pnlCorner(routePnl, box, a);
      pnl += routePnl.assetValue(a, index, basis);
    }
    return pnl;
  }

  /** The first fraction in (u, uLimit] where the route's PnL on its way to its worst corner is at or below `level`. */
  #firstPnlCrossing(routePnl: RoutePnl, level: number, u: number, uLimit: number): number {
    this.#setPnlPoint(routePnl, uLimit);
    if (routePnl.atMarket(this.#market) > level) return Number.POSITIVE_INFINITY;
    let alive = u;
    let breached = uLimit;
    this.#setPnlPoint(routePnl, u);
    if (routePnl.atMarket(this.#market) <= level) breached = u;
    while (breached - alive > 1e-9) {
      const mid = 0.5 * (alive + breached);
      this.#setPnlPoint(routePnl, mid);
      if (routePnl.atMarket(this.#market) <= level) breached = mid;
      else alive = mid;
    }
    return breached;
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

/**
 * The distance triggers on each watched account of a mode's template: a topUp watches its leg (isolated: that
 * position alone) or its account; a deRisk watches every account holding a perp of its routes (isolated: those
 * positions). Policies pinned to other modes are left out.
 */
function watchTriggers(plan: EvaluationPlan, mode: MarginMode, template: ModeTemplate): WatchTrigger[][] {
  const legsOf = (names: readonly number[]): Int32Array => Int32Array.from(names);
  return template.watches.map((watch, w) => {
    const accountIndex = template.watched[w] ?? -1;
    const triggers: WatchTrigger[] = [];
    for (const policy of plan.policies.policies) {
      if (!policy.modes.includes(mode) || Number.isNaN(policy.distanceBelow)) continue;
      const isolated = watch.account.mode === "isolated";
      if (policy.kind === PolicyKind.TopUp) {
        if (policy.account !== accountIndex) continue;
        triggers.push({ policy: policy.index, distance: policy.distanceBelow, legs: isolated && policy.leg >= 0 ? legsOf([policy.leg]) : null });
      } else if (policy.kind === PolicyKind.DeRisk) {
        const held = [...policy.routeLegs].filter((leg) => watch.account.positions.some((p) => p.leg === plan.scenario.legs[leg]?.name));
        if (held.length === 0) continue;
        triggers.push({ policy: policy.index, distance: policy.distanceBelow, legs: isolated ? legsOf(held) : null });
      }
    }
    return triggers;
  });
}
