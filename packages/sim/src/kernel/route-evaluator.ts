import { liquidateDue, marginSurplus, type Account, type LiquidationRecord, type MarginMode } from "@mstress/core/engine";
import type { MarketPath } from "../models/market-path.js";
import { RouteActions } from "../policies/route-actions.js";
import type { RouteJournal } from "../policies/route-journal.js";
import type { AccountWatch } from "./account-watch.js";
import type { AdlDraws } from "./adl-draws.js";
import { CrossingSearch } from "./crossing-search.js";
import type { EvaluationPlan } from "./evaluation-plan.js";
import { FundingSettlement } from "./funding-settlement.js";
import { HorizonRows, type EvaluationDetail } from "./horizon-rows.js";
import { LiquidationTally } from "./liquidation-tally.js";
import { openModeTemplate, shareQuantities, startPath, type ModeTemplate } from "./mode-template.js";
import { PathMarket } from "./path-market.js";
import { RoutePnl } from "./route-pnl.js";
import { outputWidths, type KernelOutputs, type OutputWidths } from "./simulate-chunk.js";
import { sampledDistance, solverDistanceEverySeconds } from "./sampled-distance.js";
import { StepBox } from "./step-box.js";
import type { StepRefinement } from "./step-refinement.js";
import { watchTriggers } from "./watch-triggers.js";

export type { EvaluationDetail } from "./horizon-rows.js";
export { solverDistanceEverySeconds } from "./sampled-distance.js";

/** Events located within one step before the evaluator gives up on the step (each one books something). */
const maxEventsPerStep = 1000;

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
  /**
   * The step's price box and the points inside it (step-box.ts), and the crossing search over it; while a step is
   * walked in sub-steps, the refined step's (`#refinedStep`). The current (sub-)step's start time and length.
   */
  #box: StepBox;
  #search: CrossingSearch;
  #stepStart = 0;
  #stepLength = 1;
  readonly #coarseBox: StepBox;
  readonly #coarseSearch: CrossingSearch;
  /** A generated path's steps drawn finer, where a policy with something in flight acts (null: never refined). */
  readonly #refinement: StepRefinement | null;
  readonly #refinedBox: StepBox | null;
  readonly #refinedSearch: CrossingSearch | null;
  readonly #positionsBeforeSubStep: Int32Array;
  readonly #rows: HorizonRows;
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
  #liquidations: LiquidationRecord[] | null = null;
  readonly widths: OutputWidths;

  constructor(plan: EvaluationPlan, path: MarketPath, refinement: StepRefinement | null = null) {
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
    this.#box = new StepBox(grid, path, this.#market);
    this.#funding = new FundingSettlement(plan, path, this.#market);
    // Every path starts from the grid's initial index and basis (the path's t0 holds them).
    for (let a = 0; a < n; a++) this.#market.set(a, grid.initialIndex[a] ?? 0, grid.basisInitial[a] ?? 0);
    const accountEntity = new Int32Array(plan.scenario.accounts.length).fill(-1);
    entities.accountIndices.forEach((account, e) => {
      accountEntity[account] = e;
    });
    this.#templates = new Map(plan.modes.map((mode) => [mode, openModeTemplate(plan, mode, this.#market, accountEntity)]));
    shareQuantities([...this.#templates.values()]);
    const triggers = new Map([...this.#templates].map(([mode, template]) => [mode, watchTriggers(plan, mode, template)]));
    const maxWatches = Math.max(0, ...[...this.#templates.values()].map((t) => t.watches.length));
    this.#actions = new RouteActions(plan, this.#market, this.#tally, triggers, maxWatches);
    this.#unsafe = new Uint8Array(maxWatches);
    this.#positionsBefore = new Int32Array(maxWatches);
    this.#search = new CrossingSearch(this.#box, this.#actions, this.#scaled, maxWatches, plan.legIndex);
    this.#coarseBox = this.#box;
    this.#coarseSearch = this.#search;
    this.#refinement = refinement;
    this.#refinedBox = refinement === null ? null : new StepBox(refinement.grid, refinement.path, this.#market);
    this.#refinedSearch = this.#refinedBox === null ? null : new CrossingSearch(this.#refinedBox, this.#actions, this.#scaled, maxWatches, plan.legIndex);
    this.#positionsBeforeSubStep = new Int32Array(maxWatches);
    this.#rows = new HorizonRows(plan, this.widths, this.#box, {
      path,
      tally: this.#tally,
      actions: this.#actions,
      routePnl: this.#pnl,
      refreshPnl: (accounts) => {
        this.#refreshPnl(this.#pnl, accounts);
      },
    });
  }

  /** A new path is in the MarketPath: the step boxes and the funding cache follow it. */
  startPath(): void {
    this.#box.computeBoxes();
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
    this.#box.setMarketAt(0);
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
    // The policies run and something they set in motion is timed inside a step: their steps are walked finer.
    const refining = this.#refinement !== null && !actions.idle;
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
      let refined = false;
      let eventful = this.#screen(box, indexHigh, indexLow, quiet, this.#positionsBefore);
      // The PnL's form is fresh here: every booking of the step before was refreshed at its end.
      if (!quiet && this.#policiesDue(s, t, routePnl)) eventful = true;
      if (eventful && refining) {
        refined = true;
        if (this.#refinedStep(s, routePnl, accounts)) pnlStale = true;
      } else if (eventful && this.#walkEvents(s, times[s - 1] ?? 0, t, quiet, routePnl, accounts)) {
        pnlStale = true;
      }
      if (!quiet && adl !== null) {
        // Stochastic ADL at the step's end, where the move passed its threshold.
        for (; adlAt < adl.count && (adl.step[adlAt] ?? 0) <= s; adlAt++) {
          if ((adl.step[adlAt] ?? 0) !== s || (adl.uniform[adlAt] ?? 1) >= (plan.adlModel?.probability ?? 0)) continue;
          if (!moved) this.#box.setMarketAt(s);
          moved = true;
          actions.adl(adl.leg[adlAt] ?? -1, 1, t);
        }
      }
      // A refined step's sub-steps tracked the worst point already, each on its own (narrower) box.
      moved = this.#closeWatches(s, box, t, indexHigh, indexLow, quiet, this.#positionsBefore, !refined, moved);
      if (!quiet && actions.pnlStale) {
        pnlStale = true;
        actions.pnlStale = false;
      }

      if (plan.fundingDueAny[s] === 1) {
        if (!moved) this.#box.setMarketAt(s);
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
        if (!moved) this.#box.setMarketAt(s);
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
        if (!moved) this.#box.setMarketAt(s);
        moved = true;
        outputs.pnlPaths[pathRow + s - 1] = pnl;
        outputs.distancePaths[pathRow + s - 1] = sampledDistance(watches, market, s % solverEvery === 0 || s === steps);
      }
    }

    return this.#rows.write(e, outputs, slot, { ledger, accounts, template, managed, peak, maxDrawdown, journal, watches, watchEntity: this.#watchEntity, liquidations: this.#liquidations });
  }

  /**
   * Screens every watch over the current box's (sub-)step at offset `at`: an open account whose box reaches its
   * liquidation (or, unless `quiet`, one of its live triggers) is marked unsafe. Each watch's open positions are
   * counted into `before`. Returns whether any account is unsafe.
   */
  #screen(at: number, indexHigh: Float64Array, indexLow: Float64Array, quiet: boolean, before: Int32Array): boolean {
    const { markHigh, markLow } = this.#box;
    const watches = this.#watches;
    let eventful = false;
    for (let w = 0; w < watches.length; w++) {
      const watch = watches[w];
      this.#unsafe[w] = 0;
      before[w] = watch?.account.positions.length ?? 0;
      if (watch === undefined || watch.account.positions.length === 0) continue;
      if (!(quiet ? watch.safeWithin(at, indexHigh, indexLow, markHigh, markLow) : watch.safeWithinTriggers(at, indexHigh, indexLow, markHigh, markLow))) {
        this.#unsafe[w] = 1;
        eventful = true;
      }
    }
    return eventful;
  }

  /**
   * Whether the policies have something in (sub-)step k of the current box, which ends at t: a scheduled event
   * due by then, or the route's PnL able to reach a policy's level at the box's worst corner. First forgets what
   * the policies touched before.
   */
  #policiesDue(k: number, t: number, routePnl: RoutePnl): boolean {
    const actions = this.#actions;
    if (actions.anyTouched) clearTouched(actions);
    let due = actions.queue.nextTime() <= t;
    const level = actions.pnlLevel();
    if (!Number.isNaN(level) && this.#box.pnlAtWorstCorner(routePnl, k) <= level) due = true;
    return due;
  }

  /** The events of (sub-)step k of the current box, from `start` to `end` (#stepEvents); returns whether a liquidation was booked. */
  #walkEvents(k: number, start: number, end: number, quiet: boolean, routePnl: RoutePnl, accounts: readonly Account[]): boolean {
    this.#box.step = k;
    this.#stepStart = start;
    this.#stepLength = end - start;
    return this.#stepEvents(quiet, routePnl, accounts);
  }

  /**
   * The watches at the end t of (sub-)step k of the current box (offset `at`): each one that was unsafe or that a
   * policy touched is referenced at the end's prices (rebased when its positions are as they were), and, when
   * `track`, each open one's worst point over the box is tracked. `moved`: the market is at the end already (set
   * after an ADL). Returns whether the market is at the end.
   */
  #closeWatches(k: number, at: number, t: number, indexHigh: Float64Array, indexLow: Float64Array, quiet: boolean, before: Int32Array, track: boolean, moved: boolean): boolean {
    const box = this.#box;
    const { markHigh, markLow, basisHigh, basisLow } = box;
    const actions = this.#actions;
    const watches = this.#watches;
    const market = this.#market;
    for (let w = 0; w < watches.length; w++) {
      const watch = watches[w];
      if (watch === undefined || before[w] === 0) continue;
      if (this.#unsafe[w] === 1 || (!quiet && actions.touched[w] === 1)) {
        if (!moved) box.setMarketAt(k);
        moved = true;
        if (watch.account.positions.length === 0) continue;
        if (!quiet) watch.triggerDistance = actions.liveDistance(w, t);
        if (watch.account.positions.length === before[w] && (quiet || actions.positionsChanged[w] === 0)) watch.rebase(market);
        else watch.reference(market);
      }
      if (track && watch.account.positions.length > 0) watch.trackWorst(at, indexHigh, indexLow, basisHigh, basisLow, markHigh, markLow);
    }
    return moved;
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
    clearTouched(actions);
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
    this.#search.corner.fill(-1);
    let u = 0;
    let booked = false;
    for (let events = 0; events < maxEventsPerStep; events++) {
      const scheduled = quiet ? Number.POSITIVE_INFINITY : actions.queue.nextTime();
      const uScheduled = scheduled <= start + length ? Math.max(u, (scheduled - start) / length) : Number.POSITIVE_INFINITY;
      const uLimit = Math.min(1, uScheduled);
      let best = Number.POSITIVE_INFINITY;
      let bestWatch = -1;
      this.#search.searchTime = start + u * length;
      for (let w = 0; w < watches.length; w++) {
        const watch = watches[w];
        if (watch === undefined || this.#unsafe[w] !== 1 || watch.account.positions.length === 0) continue;
        const crossing = this.#search.firstCrossing(watches, w, u, uLimit, quiet);
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
          pnlCrossing = this.#box.firstPnlCrossing(routePnl, level, u, uLimit);
        }
      }
      if (pnlCrossing <= uLimit && pnlCrossing <= best) {
        u = pnlCrossing;
        this.#box.setPnlPoint(routePnl, u);
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
      this.#box.setStraight(u);
      actions.runScheduled(start + u * length);
      this.#afterActions();
    }
    return booked;
  }

  /**
   * Step s walked in the sub-steps of its refinement (step-refinement.ts): each sub-step is screened, its events
   * located and acted on, and its watches referenced and their worst points tracked by the same #screen,
   * #policiesDue, #walkEvents and #closeWatches as a step of the coarse grid, on the refined box; funding, ADL, the drawdown and the sampled rows stay at the step's end, where the caller takes them. On
   * return every watch is referenced at the step's end and nothing is left touched. Returns whether a
   * liquidation was booked.
   */
  #refinedStep(s: number, routePnl: RoutePnl, accounts: readonly Account[]): boolean {
    const refinement = this.#refinement;
    const box = this.#refinedBox;
    const refinedSearch = this.#refinedSearch;
    if (refinement === null || box === null || refinedSearch === null) return false;
    if (refinement.refine(s)) box.computeBoxes();
    this.#box = box;
    this.#search = refinedSearch;
    const n = this.#plan.grid.assets.length;
    const subSteps = refinement.subSteps;
    const start = this.#plan.grid.times[s - 1] ?? 0;
    const end = this.#plan.grid.times[s] ?? 0;
    const { indexHigh, indexLow } = refinement.path;
    const actions = this.#actions;
    let booked = false;
    let pnlStaleSeen = false;
    for (let k = 1; k <= subSteps; k++) {
      const at = (k - 1) * n;
      const t = k === subSteps ? end : start + k * refinement.subStepSeconds;
      let eventful = this.#screen(at, indexHigh, indexLow, false, this.#positionsBeforeSubStep);
      if (this.#policiesDue(k, t, routePnl)) eventful = true;
      const bookedHere = eventful && this.#walkEvents(k, start + (k - 1) * refinement.subStepSeconds, t, false, routePnl, accounts);
      booked = booked || bookedHere;
      const moved = this.#closeWatches(k, at, t, indexHigh, indexLow, false, this.#positionsBeforeSubStep, true, false);
      // The next sub-step's PnL screen reads the PnL's form: fresh after a booking, or an action that changed it. The
      // action's flag is cleared here, so the form is not rebuilt on every sub-step after it, and handed back below
      // for the step's own refresh at its end.
      if ((bookedHere || actions.pnlStale) && k < subSteps) {
        if (actions.pnlStale) {
          pnlStaleSeen = true;
          actions.pnlStale = false;
        }
        if (!moved) box.setMarketAt(k);
        this.#refreshPnl(routePnl, accounts);
      }
    }
    if (pnlStaleSeen) actions.pnlStale = true;
    if (actions.anyTouched) clearTouched(actions);
    this.#unsafe.fill(0);
    this.#box = this.#coarseBox;
    this.#search = this.#coarseSearch;
    return booked;
  }

  /** After a policy or the venue acted within a step: every open account is checked exactly for the rest of it. */
  #afterActions(): void {
    for (let w = 0; w < this.#watches.length; w++) {
      if ((this.#watches[w]?.account.positions.length ?? 0) > 0) this.#unsafe[w] = 1;
      this.#search.corner[w] = -1;
    }
  }

  /**
   * Acts at fraction u of the step on watch w's crossing: a liquidation when its surplus is gone (tried at the
   * step's limit too, as a last resort, should the located point not liquidate), else its live triggers.
   */
  #act(w: number, u: number, uLimit: number, quiet: boolean): boolean {
    const watch = this.#watches[w];
    if (watch === undefined) return false;
    const corner = this.#search.corner[w] ?? 0;
    const t = this.#stepStart + u * this.#stepLength;
    if (!quiet) this.#box.setStraight(u);
    this.#box.setCorner(watch, corner, u);
    const account = watch.account;
    if (marginSurplus(account, this.#market) <= 0) {
      let records = liquidateDue(account, t, this.#market);
      if (records.length === 0) {
        this.#box.setCorner(watch, corner, uLimit);
        records = liquidateDue(account, t, this.#market);
      }
      if (records.length === 0) {
        this.#unsafe[w] = 0;
        return false;
      }
      this.#record(records, w);
      // Its positions changed: the corner worst for what is left may be another.
      this.#search.corner[w] = -1;
      if (!quiet && this.#actions.pnlStale) this.#afterActions();
      return true;
    }
    if (!quiet) watch.noteDistance(this.#market);
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
    if (watch !== undefined) {
      watch.liquidated = true;
      watch.balancesChanged();
    }
    this.#tally.record(records, this.#watchEntity[w] ?? -1);
    this.#liquidations?.push(...records);
    for (const record of records) {
      if (record.closesLeg) this.#actions.legClosed(this.#plan.legIndex.get(record.leg) ?? -1, record.t);
    }
  }
}

/** Forgets which watches the policies touched (a fill only when one was: most steps touch none). */
function clearTouched(actions: RouteActions): void {
  actions.touched.fill(0);
  actions.positionsChanged.fill(0);
  actions.anyTouched = false;
}
