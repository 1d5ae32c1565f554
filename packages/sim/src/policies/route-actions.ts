import {
  distanceToLiquidation,
  isolatedEquity,
  liquidationPrice,
  marginSurplus,
  money,
  MstressError,
  positionMaintenance,
  type Account,
  type MarginMode,
  type PerpetualPosition,
  type SpotHolding,
  type TradeAction,
} from "@mstress/core/engine";
import type { AccountWatch } from "../kernel/account-watch.js";
import type { EvaluationPlan } from "../kernel/evaluation-plan.js";
import type { LiquidationTally } from "../kernel/liquidation-tally.js";
import { PathMarket } from "../kernel/path-market.js";
import { policyOutcomeColumn, policyOutcomeWidth } from "../kernel/outcome-fields.js";
import { PolicyKind, TopUpSource, type CompiledPolicy } from "./compiled-policies.js";
import { EventQueue, ScheduledKind } from "./event-queue.js";
import type { RouteJournal } from "./route-journal.js";

/** A distance trigger of a policy on one watched account: the surplus it watches is the account's, or only these legs' (isolated). */
export interface WatchTrigger {
  readonly policy: number;
  readonly distance: number;
  /** Leg indices whose positions the trigger watches (isolated accounts); null: the account as a whole. */
  readonly legs: Int32Array | null;
}

const noTriggers: readonly WatchTrigger[] = [];

/** Smallest amount (quote currency) a policy moves; below it an action is not worth booking. */
const minimumAmount = 0.01;

/**
 * The route's rules at work on one path in one evaluation: the policies' state (cooldowns, transfers in flight,
 * what each has moved and cost), their trades and transfers booked through the accounts into the ledger, and the
 * auto-deleveraging closes. The route evaluator decides *when* (a trigger's crossing, a scheduled time, a funding
 * settlement); this class does *what*. The same code serves replay, the Monte Carlo and the backtest.
 */
export class RouteActions {
  readonly #plan: EvaluationPlan;
  readonly #market: PathMarket;
  readonly #tally: LiquidationTally;
  /** Scratch prices while a watch's worst point is evaluated before its positions change. */
  readonly #saved: PathMarket;
  readonly queue = new EventQueue();
  /** Per watch of each mode's template, its distance triggers (policies applying in that mode). */
  readonly #triggers: ReadonlyMap<MarginMode, readonly (readonly WatchTrigger[])[]>;
  /** The evaluation's state, per policy. */
  readonly #runs: Uint8Array;
  readonly #lastActionAt: Float64Array;
  readonly #inFlight: Uint8Array;
  readonly #exhausted: Uint8Array;
  readonly #done: Uint8Array;
  readonly #fundingCount: Int32Array;
  readonly #actions: Float64Array;
  readonly #moved: Float64Array;
  readonly #costs: Float64Array;
  readonly #firstActionAt: Float64Array;
  #accounts: readonly Account[] = [];
  #watches: readonly AccountWatch[] = [];
  #watchOfAccount: Int32Array = new Int32Array(0);
  #managed = false;
  /** The distance triggers of each watch in this evaluation (none when the policies do not run). */
  #evaluationTriggers: readonly (readonly WatchTrigger[])[] = [];
  /** `pnlLevel()`, kept: it changes only when an exit policy is done. */
  #pnlLevel = Number.NaN;
  /**
   * Moves on at every call that may change a policy's state (an action, a scheduled event, a close): the live
   * distance of a watch is kept while it stays (a cooldown's end is a scheduled event, so time alone changes
   * nothing). Per watch, the version its kept distance was found at (-1: none) and that distance.
   */
  #stateVersion = 0;
  readonly #liveVersion: Float64Array;
  readonly #liveDistance: Float64Array;
  /** The exit policies that watch funding, each with the perp legs of its routes (a settlement counts only those). */
  readonly #fundingExits: readonly { readonly policy: CompiledPolicy; readonly perpLegs: Int32Array }[];
  #journal: RouteJournal | null = null;
  /** Watches whose account changed since the step started: balances (touched) or positions too. */
  readonly touched: Uint8Array;
  readonly positionsChanged: Uint8Array;
  /** Whether any entry of `touched` is set (the evaluator clears them only then: most steps touch nothing). */
  anyTouched = false;
  /** Something was booked or traded: the route's PnL form is stale. */
  pnlStale = false;
  /** Cost basis of spot sold (it left the route's holdings for cash in a wallet), and cash in flight between accounts. */
  spotCostSold = 0;
  inFlight = 0;

  constructor(plan: EvaluationPlan, market: PathMarket, tally: LiquidationTally, triggers: ReadonlyMap<MarginMode, readonly (readonly WatchTrigger[])[]>, maxWatches: number) {
    this.#plan = plan;
    this.#market = market;
    this.#tally = tally;
    this.#saved = new PathMarket(market);
    this.#triggers = triggers;
    const count = plan.policies.policies.length;
    this.#runs = new Uint8Array(count);
    this.#lastActionAt = new Float64Array(count);
    this.#inFlight = new Uint8Array(count);
    this.#exhausted = new Uint8Array(count);
    this.#done = new Uint8Array(count);
    this.#fundingCount = new Int32Array(count);
    this.#actions = new Float64Array(count);
    this.#moved = new Float64Array(count);
    this.#costs = new Float64Array(count);
    this.#firstActionAt = new Float64Array(count);
    this.touched = new Uint8Array(maxWatches);
    this.positionsChanged = new Uint8Array(maxWatches);
    this.#liveVersion = new Float64Array(maxWatches).fill(-1);
    this.#liveDistance = new Float64Array(maxWatches);
    this.#fundingExits = plan.policies.policies
      .filter((policy) => policy.kind === PolicyKind.Exit && !Number.isNaN(policy.fundingBelow))
      .map((policy) => ({ policy, perpLegs: Int32Array.from([...policy.routeLegs].filter((leg) => plan.scenario.legs[leg]?.type === "perp")) }));
  }

  /** Starts an evaluation of the path: its accounts and watches, whether the policies run, and the scheduled ADL. */
  reset(mode: MarginMode, managed: boolean, accounts: readonly Account[], watches: readonly AccountWatch[], watched: Int32Array, journal: RouteJournal | null): void {
    this.#stateVersion++;
    this.#managed = managed;
    this.#accounts = accounts;
    this.#watches = watches;
    this.#journal = journal;
    if (this.#watchOfAccount.length !== accounts.length) this.#watchOfAccount = new Int32Array(accounts.length);
    this.#watchOfAccount.fill(-1);
    watched.forEach((a, w) => {
      this.#watchOfAccount[a] = w;
    });
    const policies = this.#plan.policies.policies;
    for (let p = 0; p < policies.length; p++) this.#runs[p] = managed && policies[p]?.modes.includes(mode) === true ? 1 : 0;
    this.#lastActionAt.fill(Number.NEGATIVE_INFINITY);
    this.#inFlight.fill(0);
    this.#exhausted.fill(0);
    this.#done.fill(0);
    this.#fundingCount.fill(0);
    this.#actions.fill(0);
    this.#moved.fill(0);
    this.#costs.fill(0);
    this.#firstActionAt.fill(Number.NaN);
    this.touched.fill(0);
    this.positionsChanged.fill(0);
    this.anyTouched = false;
    this.#evaluationTriggers = managed ? (this.#triggers.get(mode) ?? []) : [];
    this.#pnlLevel = this.#highestPnlLevel();
    this.pnlStale = false;
    this.spotCostSold = 0;
    this.inFlight = 0;
    this.queue.clear();
    this.#plan.scriptedAdl.forEach((event, i) => {
      this.queue.push(event.t, ScheduledKind.ScriptedAdl, i);
    });
  }

  /** Whether anything beyond the passive route can happen in this evaluation (policies running, or ADL scheduled). */
  get idle(): boolean {
    return this.queue.size === 0 && !this.#managed;
  }

  /** The distance triggers of watch w in this evaluation's mode. */
  triggersOf(w: number): readonly WatchTrigger[] {
    return this.#evaluationTriggers[w] ?? noTriggers;
  }

  /** Whether a trigger's policy may act at time t (running, not exhausted or waiting on a transfer, past its cooldown). */
  isLive(trigger: WatchTrigger, t: number): boolean {
    const p = trigger.policy;
    if (this.#runs[p] !== 1 || this.#exhausted[p] === 1 || this.#inFlight[p] === 1 || this.#done[p] === 1) return false;
    const policy = this.#policy(p);
    return t >= (this.#lastActionAt[p] ?? 0) + policy.cooldown;
  }

  /** The largest distance of watch w's live triggers at time t (0: none, only liquidation is watched). */
  liveDistance(w: number, t: number): number {
    if (this.#liveVersion[w] === this.#stateVersion) return this.#liveDistance[w] ?? 0;
    let largest = 0;
    for (const trigger of this.triggersOf(w)) if (trigger.distance > largest && this.isLive(trigger, t)) largest = trigger.distance;
    this.#liveVersion[w] = this.#stateVersion;
    this.#liveDistance[w] = largest;
    return largest;
  }

  /** The highest PnL level of a running exit policy (NaN: none): the scenario's PnL at or below it exits. */
  pnlLevel(): number {
    return this.#pnlLevel;
  }

  #highestPnlLevel(): number {
    let level = Number.NaN;
    for (const policy of this.#plan.policies.policies) {
      if (policy.kind !== PolicyKind.Exit || Number.isNaN(policy.pnlBelow) || this.#runs[policy.index] !== 1 || this.#done[policy.index] === 1) continue;
      if (Number.isNaN(level) || policy.pnlBelow > level) level = policy.pnlBelow;
    }
    return level;
  }

  /**
   * Whether the trigger is met at the market's prices: the watched positions' (or the account's) margin surplus
   * with every price moved by 1 + d or by 1 - d is at or below zero. Then the distance to liquidation is under d
   * (the surplus is concave in a common price factor, so it is positive on an interval around 1 that reaches past
   * both 1 - d and 1 + d exactly when the distance is at least d).
   */
  triggerMet(trigger: WatchTrigger, account: Account, scaled: PathMarket): boolean {
    scaled.scaleFrom(this.#market, 1 + trigger.distance);
    if (scopeSurplus(account, scaled, trigger.legs, this.#plan) <= 0) return true;
    scaled.scaleFrom(this.#market, 1 - trigger.distance);
    return scopeSurplus(account, scaled, trigger.legs, this.#plan) <= 0;
  }

  /** Acts on every live trigger of watch w met at the market's current prices (time t), in policy order. */
  fireTriggers(w: number, t: number, scaled: PathMarket): boolean {
    this.#stateVersion++;
    const watch = this.#watches[w];
    if (watch === undefined) return false;
    let acted = false;
    for (const trigger of this.triggersOf(w)) {
      if (!this.isLive(trigger, t) || watch.account.positions.length === 0) continue;
      if (!this.triggerMet(trigger, watch.account, scaled)) continue;
      const policy = this.#policy(trigger.policy);
      acted = (policy.kind === PolicyKind.TopUp ? this.#topUp(policy, trigger, watch.account, t) : this.#deRisk(policy, t)) || acted;
    }
    return acted;
  }

  /** A leg was closed whole by a liquidation or an ADL at time t: the unwind policies covering its route act (or are scheduled). */
  legClosed(leg: number, t: number): void {
    this.#stateVersion++;
    if (!this.#managed) return;
    const route = this.#plan.routeOf.get(this.#plan.scenario.legs[leg]?.name ?? "");
    for (const policy of this.#plan.policies.policies) {
      if (policy.kind !== PolicyKind.Unwind || this.#runs[policy.index] !== 1 || route === undefined || !policy.routes.includes(route)) continue;
      if (policy.delay === 0) this.#unwind(policy, leg, t);
      else this.queue.push(t + policy.delay, ScheduledKind.Unwind, leg, policy.index);
    }
  }

  /** Runs the next scheduled event, which is due now (time t; the market at its prices). */
  runScheduled(t: number): void {
    this.#stateVersion++;
    this.queue.pop();
    const { kind, subject, amount } = this.queue;
    switch (kind) {
      case ScheduledKind.TransferArrival:
        this.#arrive(this.#policy(subject), amount, t);
        return;
      case ScheduledKind.Unwind:
        this.#unwind(this.#policy(amount), subject, t);
        return;
      case ScheduledKind.ScriptedAdl: {
        const event = this.#plan.scriptedAdl[subject];
        if (event !== undefined) for (const leg of event.legs) this.adl(leg, event.fraction, t);
        return;
      }
      case ScheduledKind.Rearm:
        // Nothing to book: the policy's trigger is live again, which the evaluator reads through `isLive`.
        return;
    }
  }

  /**
   * Auto-deleveraging of a perp leg at time t: closed by `fraction` at the mark if it is in profit there (no fee:
   * the venue closes it against a bankrupt position). A leg closed whole breaks its route's hedge if another leg
   * lives, and the unwind policies act.
   */
  adl(leg: number, fraction: number, t: number): void {
    this.#stateVersion++;
    const position = this.#perpetual(leg);
    if (position === null) return;
    const account = this.#accountOf(position);
    const mark = this.#market.markPrice(position.terms);
    if (position.side * (mark - position.entryValue) <= 0) return;
    const quantity = fraction >= 1 ? position.quantity : position.quantity.times(fraction).toDecimalPlaces(8, 1);
    if (!quantity.isPositive()) return;
    this.#freeze(account);
    account.reducePerpetual(t, position, quantity, mark, 0, "adl");
    this.#changed(account, true);
    const closesLeg = !account.positions.includes(position);
    this.#tally.recordAdl(t, position.leg, position.route, closesLeg);
    this.#journal?.push({ t, by: "adl", action: "adl", leg: position.leg, quantity: quantity.toNumber(), price: mark });
    if (closesLeg) this.legClosed(leg, t);
  }

  /** After a funding settlement at the end of step s (time t): the exit policies on funding count it. */
  fundingSettled(s: number, t: number, lastRate: Float64Array): void {
    if (!this.#managed || this.#fundingExits.length === 0) return;
    const legs = this.#plan.scenario.legs.length;
    for (const { policy, perpLegs } of this.#fundingExits) {
      if (this.#runs[policy.index] !== 1 || this.#done[policy.index] === 1) continue;
      // The route's net funding per 8 h: what its open perps receive, as a rate on their notional.
      let settledNow = false;
      let received = 0;
      let notional = 0;
      for (const leg of perpLegs) {
        const position = this.#perpetual(leg);
        const rate = lastRate[leg] ?? Number.NaN;
        if (position === null || Number.isNaN(rate)) continue;
        if (this.#plan.fundingDue[s * legs + leg] === 1) settledNow = true;
        const legNotional = position.quantityValue * this.#market.markPrice(position.terms);
        received += -position.side * ((rate * 8) / position.terms.fundingIntervalHours) * legNotional;
        notional += legNotional;
      }
      if (!settledNow || notional === 0) continue;
      const perEightHours = received / notional;
      const count = perEightHours < policy.fundingBelow ? (this.#fundingCount[policy.index] ?? 0) + 1 : 0;
      this.#fundingCount[policy.index] = count;
      if (count >= policy.settlements) this.exit(policy.index, t, `net funding ${perEightHours} per 8 h below ${policy.fundingBelow} for ${count} settlements`);
    }
  }

  /** Closes every leg of an exit policy's routes at time t. */
  exit(p: number, t: number, reason: string): void {
    this.#stateVersion++;
    const policy = this.#policy(p);
    this.#done[p] = 1;
    this.#pnlLevel = this.#highestPnlLevel();
    this.#journal?.push({ t, by: policy.name, action: "exit", note: reason });
    this.#record(policy, t, this.#closeLegs(policy.routeLegs, 1, t, "exit", policy));
  }

  /** The PnL exits whose level is at or above `pnl`: they fire now (time t). */
  exitOnPnl(pnl: number, t: number): void {
    this.#stateVersion++;
    for (const policy of this.#plan.policies.policies) {
      if (policy.kind !== PolicyKind.Exit || Number.isNaN(policy.pnlBelow) || this.#runs[policy.index] !== 1 || this.#done[policy.index] === 1) continue;
      if (pnl <= policy.pnlBelow) this.exit(policy.index, t, `PnL ${pnl.toFixed(2)} at or below ${policy.pnlBelow}`);
    }
  }

  /** Writes this evaluation's per-policy rows at `at` (policies in order). */
  writeRows(rows: Float64Array, at: number): void {
    const c = policyOutcomeColumn;
    for (let p = 0; p < this.#runs.length; p++) {
      const row = at + p * policyOutcomeWidth;
      rows[row + c.actions] = this.#actions[p] ?? 0;
      rows[row + c.moved] = this.#moved[p] ?? 0;
      rows[row + c.reserveExhausted] = this.#exhausted[p] ?? 0;
      rows[row + c.costs] = this.#costs[p] ?? 0;
      rows[row + c.firstActionAt] = this.#firstActionAt[p] ?? Number.NaN;
    }
  }

  #policy(p: number): CompiledPolicy {
    const policy = this.#plan.policies.policies[p];
    if (policy === undefined) throw new RangeError(`no policy ${p}`);
    return policy;
  }

  /** Counts an action of a policy at time t that moved `moved` (quote currency) and starts its cooldown. */
  #record(policy: CompiledPolicy, t: number, moved: number): void {
    const p = policy.index;
    this.#actions[p] = (this.#actions[p] ?? 0) + 1;
    this.#moved[p] = (this.#moved[p] ?? 0) + moved;
    if (Number.isNaN(this.#firstActionAt[p] ?? 0)) this.#firstActionAt[p] = t;
    this.#lastActionAt[p] = t;
    if (policy.cooldown > 0) this.queue.push(t + policy.cooldown, ScheduledKind.Rearm, p);
  }

  #exhaust(policy: CompiledPolicy, t: number, wanted: number, left: number): void {
    if (this.#exhausted[policy.index] === 1) return;
    this.#exhausted[policy.index] = 1;
    this.#journal?.push({ t, by: policy.name, action: "reserve-exhausted", amount: left, note: `wanted ${wanted.toFixed(2)}, ${left.toFixed(2)} left` });
  }

  /** The account's positions are about to change: its watch keeps the worst distance of what it held. */
  #freeze(account: Account): void {
    const w = this.#watchOfAccount[this.#accounts.indexOf(account)] ?? -1;
    this.#watches[w]?.freezeWorst(this.#market, this.#saved);
  }

  #changed(account: Account, positions: boolean): void {
    const w = this.#watchOfAccount[this.#accounts.indexOf(account)] ?? -1;
    if (w >= 0) {
      this.#watches[w]?.balancesChanged();
      this.touched[w] = 1;
      this.anyTouched = true;
      if (positions) this.positionsChanged[w] = 1;
    }
    this.pnlStale = true;
  }

  /** The open perpetual of perp leg `leg` (index), or null when it is closed (no pair allocated: it runs at every settlement). */
  #perpetual(leg: number): PerpetualPosition | null {
    const name = this.#plan.scenario.legs[leg]?.name;
    for (const account of this.#accounts) for (const position of account.positions) if (position.leg === name) return position;
    return null;
  }

  /** The account holding an open `position` (`#perpetual`'s). */
  #accountOf(position: PerpetualPosition): Account {
    const account = this.#accounts.find((candidate) => candidate.positions.includes(position));
    if (account === undefined) throw new MstressError("E_INVARIANT", `policies: no account holds leg ${position.leg}`);
    return account;
  }

  #holding(leg: number): { account: Account; holding: SpotHolding } | null {
    const name = this.#plan.scenario.legs[leg]?.name;
    for (const account of this.#accounts) for (const holding of account.spot) if (holding.leg === name) return { account, holding };
    return null;
  }

  /**
   * The quantity of spot at `index` whose sale brings in `amount` net of slippage and `feeRate`: its notional x
   * solves x (1 - s - f - k x) = amount, with s the fixed slippage and k the size part per unit of notional (the
   * smaller root, where the proceeds still grow with x). +Infinity when no sale brings that much in.
   */
  #quantityForProceeds(amount: number, index: number, feeRate: number): number {
    if (!Number.isFinite(amount)) return amount;
    const kept = 1 - this.#plan.slippageBps / 1e4 - feeRate;
    const k = this.#plan.slippageBpsPerMillion / 1e10;
    const discriminant = kept * kept - 4 * k * amount;
    if (discriminant < 0) return Number.POSITIVE_INFINITY;
    // 2c / (b + sqrt(b^2 - 4ac)): the smaller root without cancellation, and amount / kept when k = 0.
    return (2 * amount) / (kept + Math.sqrt(discriminant)) / index;
  }

  /** Slippage as a fraction of the price for a trade of this notional. */
  #slippage(notional: number): number {
    return (this.#plan.slippageBps + (this.#plan.slippageBpsPerMillion * notional) / 1e6) / 1e4;
  }

  /**
   * Closes `fraction` of each listed leg that is open (perps bought back or sold at the mark, spot sold at the
   * index, each at the taker fee and slippage). Returns the notional traded; charges the policy's costs.
   */
  #closeLegs(legs: Int32Array, fraction: number, t: number, action: TradeAction, policy: CompiledPolicy): number {
    let traded = 0;
    for (const leg of legs) {
      const position = this.#perpetual(leg);
      if (position !== null) {
        const quantity = fraction >= 1 ? position.quantity : position.quantity.times(fraction).toDecimalPlaces(8, 1);
        traded += this.#tradePerp(this.#accountOf(position), position, quantity.isPositive() ? quantity : position.quantity, t, action, policy);
        continue;
      }
      const spot = this.#holding(leg);
      if (spot === null) continue;
      const quantity = fraction >= 1 ? spot.holding.quantity : spot.holding.quantity.times(fraction).toDecimalPlaces(8, 1);
      traded += this.#sellSpot(spot.account, spot.holding, quantity.isPositive() ? quantity : spot.holding.quantity, t, action, policy).value;
    }
    return traded;
  }

  /** Buys back or sells `quantity` of a perp at the mark with slippage and the taker fee; returns the notional. */
  #tradePerp(account: Account, position: PerpetualPosition, quantity: ReturnType<typeof money>, t: number, action: TradeAction, policy: CompiledPolicy): number {
    const mark = this.#market.markPrice(position.terms);
    const notional = quantity.toNumber() * mark;
    // Closing a short buys (pays up), closing a long sells (gets less).
    const slip = this.#slippage(notional);
    const fill = mark * (1 - position.side * slip);
    this.#freeze(account);
    const fee = account.reducePerpetual(t, position, quantity, fill, position.terms.takerFeeRate, action);
    this.#costs[policy.index] = (this.#costs[policy.index] ?? 0) + fee.toNumber() + notional * slip;
    this.#changed(account, true);
    this.#journal?.push({ t, by: policy.name, action, leg: position.leg, account: account.name, quantity: quantity.toNumber(), price: fill });
    return notional;
  }

  /** Sells `quantity` of spot at the index with slippage and the spot fee; returns the value at the index and the proceeds. */
  #sellSpot(account: Account, holding: SpotHolding, quantity: ReturnType<typeof money>, t: number, action: TradeAction, policy: CompiledPolicy): { value: number; proceeds: number } {
    const index = this.#market.indexPrice(holding.asset);
    const value = quantity.toNumber() * index;
    const slip = this.#slippage(value);
    const fill = index * (1 - slip);
    const feeRate = this.#plan.spotFeeRate[this.#plan.legIndex.get(holding.leg) ?? -1] ?? 0;
    const proceeds = account.sellSpot(t, holding, quantity, fill, feeRate, action).toNumber();
    this.spotCostSold += quantity.toNumber() * holding.entryValue;
    this.#costs[policy.index] = (this.#costs[policy.index] ?? 0) + value - proceeds;
    this.#changed(account, false);
    this.#journal?.push({ t, by: policy.name, action, leg: holding.leg, account: account.name, quantity: quantity.toNumber(), price: fill, amount: proceeds });
    return { value, proceeds };
  }

  #deRisk(policy: CompiledPolicy, t: number): boolean {
    const traded = this.#closeLegs(policy.routeLegs, policy.reduce, t, "de-risk", policy);
    if (traded === 0) {
      this.#done[policy.index] = 1;
      this.#pnlLevel = this.#highestPnlLevel();
      return false;
    }
    this.#record(policy, t, traded);
    return true;
  }

  #unwind(policy: CompiledPolicy, closedLeg: number, t: number): void {
    const route = this.#plan.routeOf.get(this.#plan.scenario.legs[closedLeg]?.name ?? "");
    const legs = Int32Array.from(policy.routeLegs.filter((leg) => this.#plan.routeOf.get(this.#plan.scenario.legs[leg]?.name ?? "") === route));
    const traded = this.#closeLegs(legs, 1, t, "unwind", policy);
    if (traded > 0) this.#record(policy, t, traded);
  }

  /**
   * A top-up when the trigger is met at time t: how much (a fixed amount, or what restores `toDistance`, within
   * what is left of `maxTotal` and of the source), then the booking: the account's own wallet into the allocation,
   * a transfer from another account (in flight for `delay`), or a sale of spot that also reduces the perp.
   */
  #topUp(policy: CompiledPolicy, trigger: WatchTrigger, account: Account, t: number): boolean {
    const p = policy.index;
    const left = policy.maxTotal - (this.#moved[p] ?? 0);
    // Isolated: the watched leg's allocation, or the account's position nearest liquidation.
    const target = account.mode === "isolated" ? this.#nearestPosition(account, trigger.legs) : null;
    if (account.mode === "isolated" && target === null) return false;
    if (policy.source === TopUpSource.FreeBalance && account.mode !== "isolated") {
      // The wallet already backs cross and portfolio positions: there is nothing to add from it.
      this.#done[p] = 1;
      this.#pnlLevel = this.#highestPnlLevel();
      return false;
    }
    if (policy.source === TopUpSource.SellSpot) return this.#topUpFromSpot(policy, account, target, trigger, t, left);
    const source = policy.source === TopUpSource.Account ? this.#accounts[policy.sourceIndex] : account;
    if (source === undefined) return false;
    const available = policy.source === TopUpSource.Account ? transferable(source, this.#market) : account.walletBalance();
    const wanted = Number.isNaN(policy.toDistance)
      ? policy.addAmount
      : this.#amountToDistance(account, target, trigger.legs, policy.toDistance, Math.min(left, available));
    const amount = Math.min(wanted, left, available);
    if (amount < wanted - minimumAmount) this.#exhaust(policy, t, wanted, Math.max(0, Math.min(left, available)));
    if (amount < minimumAmount) {
      this.#exhausted[p] = 1;
      return false;
    }
    const cash = money(amount).toDecimalPlaces(2, 1);
    if (policy.source === TopUpSource.FreeBalance) {
      if (target !== null) account.topUpIsolated(t, target.leg, cash, policy.name);
      this.#changed(account, false);
      this.#journal?.push({ t, by: policy.name, action: "top-up", leg: target?.leg ?? "", account: account.name, amount: cash.toNumber() });
    } else {
      source.sendTransfer(t, cash, account.name, policy.name);
      this.#changed(source, false);
      this.inFlight += cash.toNumber();
      this.#journal?.push({ t, by: policy.name, action: "transfer-out", account: source.name, amount: cash.toNumber(), note: `to ${account.name}, arrives after ${policy.delay}s` });
      this.#inFlight[p] = 1;
      if (policy.delay === 0) this.#arrive(policy, cash.toNumber(), t);
      else this.queue.push(t + policy.delay, ScheduledKind.TransferArrival, p, cash.toNumber());
    }
    this.#record(policy, t, cash.toNumber());
    return true;
  }

  /** A transfer of a top-up arrives (time t): into the wallet, less the fee, then into the allocation when isolated. */
  #arrive(policy: CompiledPolicy, amount: number, t: number): void {
    const account = this.#accounts[policy.account];
    if (account === undefined) return;
    const fee = Math.min(policy.fee, amount);
    account.receiveTransfer(t, money(amount), money(fee), this.#accounts[policy.sourceIndex]?.name ?? "", policy.name);
    this.inFlight -= amount;
    this.#inFlight[policy.index] = 0;
    this.#costs[policy.index] = (this.#costs[policy.index] ?? 0) + fee;
    const legs = policy.leg >= 0 ? Int32Array.of(policy.leg) : null;
    const target = account.mode === "isolated" ? this.#nearestPosition(account, legs) : null;
    if (target !== null) account.topUpIsolated(t, target.leg, money(amount - fee), policy.name);
    this.#changed(account, false);
    this.#journal?.push({ t, by: policy.name, action: "transfer-in", account: account.name, leg: target?.leg ?? "", amount: amount - fee });
  }

  /**
   * Top-up by selling spot: sells q of the spot leg and buys back (or sells) q of the perp, so the route's delta is
   * kept, and adds the proceeds to the perp's margin. q gives `addAmount` of proceeds, or restores `toDistance`.
   */
  #topUpFromSpot(policy: CompiledPolicy, account: Account, target: PerpetualPosition | null, trigger: WatchTrigger, t: number, left: number): boolean {
    const spot = this.#holding(policy.sourceIndex);
    const perp = target ?? this.#perpOn(account, spot?.holding.asset ?? "");
    if (spot === null || perp === null) {
      this.#exhaust(policy, t, Number.NaN, 0);
      return false;
    }
    const index = this.#market.indexPrice(spot.holding.asset);
    const feeRate = this.#plan.spotFeeRate[policy.sourceIndex] ?? 0;
    // The slippage grows with the sale's size (bpsPerMillion), so the proceeds are not linear in the quantity.
    const proceedsOf = (q: number): number => q * index * (1 - this.#slippage(q * index) - feeRate);
    const most = Math.min(spot.holding.quantityValue, perp.quantityValue, this.#quantityForProceeds(left, index, feeRate));
    const wanted = Number.isNaN(policy.toDistance)
      ? this.#quantityForProceeds(policy.addAmount, index, feeRate)
      : this.#quantityToDistance(account, perp, trigger.legs, policy.toDistance, most, proceedsOf);
    const quantity = money(Math.min(wanted, most)).toDecimalPlaces(8, 1);
    if (Math.min(wanted, most) < wanted * (1 - 1e-9)) this.#exhaust(policy, t, Number.isNaN(policy.toDistance) ? policy.addAmount : proceedsOf(wanted), proceedsOf(most));
    if (!quantity.isPositive()) {
      this.#exhausted[policy.index] = 1;
      return false;
    }
    const { proceeds } = this.#sellSpot(spot.account, spot.holding, quantity, t, "sell-spot", policy);
    this.#tradePerp(account, perp, quantity.greaterThan(perp.quantity) ? perp.quantity : quantity, t, "sell-spot", policy);
    const cash = money(proceeds);
    if (spot.account !== account) {
      // Spot held in another account: its proceeds move over at once (no transfer time or fee is modelled for it).
      spot.account.sendTransfer(t, cash, account.name, policy.name);
      account.receiveTransfer(t, cash, money(0), spot.account.name, policy.name);
    }
    if (account.mode === "isolated" && account.positions.includes(perp)) account.topUpIsolated(t, perp.leg, cash, policy.name);
    this.#journal?.push({ t, by: policy.name, action: "top-up", leg: perp.leg, account: account.name, amount: proceeds });
    this.#record(policy, t, proceeds);
    return true;
  }

  #perpOn(account: Account, asset: string): PerpetualPosition | null {
    return account.positions.find((p) => p.terms.base === asset) ?? null;
  }

  /** The account's position (among `legs`, if given) nearest liquidation, for an isolated top-up. */
  #nearestPosition(account: Account, legs: Int32Array | null): PerpetualPosition | null {
    let nearest: PerpetualPosition | null = null;
    let nearestDistance = Number.POSITIVE_INFINITY;
    for (const position of account.positions) {
      if (legs !== null && !legs.includes(this.#plan.legIndex.get(position.leg) ?? -1)) continue;
      const distance = isolatedDistance(position, account.isolatedMargin(position.leg), position.quantityValue, this.#market);
      if (nearest === null || distance < nearestDistance) {
        nearest = position;
        nearestDistance = distance;
      }
    }
    return nearest;
  }

  /** The least cash (within `most`) that brings the watched distance to `target`; `most` when even that falls short. */
  #amountToDistance(account: Account, position: PerpetualPosition | null, legs: Int32Array | null, target: number, most: number): number {
    const distanceWith = (extra: number): number =>
      position !== null
        ? isolatedDistance(position, account.isolatedMargin(position.leg) + extra, position.quantityValue, this.#market)
        : this.#accountDistance(account, legs, extra);
    return solveIncreasing(distanceWith, target, most);
  }

  /**
   * The least quantity (within `most`) of spot to sell and perp to reduce that brings the distance to `target`:
   * the position shrinks by q and its margin gains the spot's proceeds plus the perp's realised PnL, less its fee.
   */
  #quantityToDistance(account: Account, perp: PerpetualPosition, legs: Int32Array | null, target: number, most: number, proceedsOf: (q: number) => number): number {
    const mark = this.#market.markPrice(perp.terms);
    // What q brings to the margin: the spot's proceeds and the realised PnL of q of the perp bought back (or sold)
    // at its fill, less its fee; both fills slip by the trade's size.
    const gained = (q: number): number => {
      const fill = mark * (1 - perp.side * this.#slippage(q * mark));
      return proceedsOf(q) + q * (perp.side * (fill - perp.entryValue) - fill * perp.terms.takerFeeRate);
    };
    const distanceWith = (q: number): number => {
      if (account.mode === "isolated") return isolatedDistance(perp, account.isolatedMargin(perp.leg) + gained(q), perp.quantityValue - q, this.#market);
      const quantity = perp.quantityValue;
      perp.quantityValue = quantity - q;
      // The wallet gains the proceeds and the realised PnL of the part bought back, less its fee.
      const distance = this.#accountDistance(account, legs, gained(q));
      perp.quantityValue = quantity;
      return distance;
    };
    return solveIncreasing(distanceWith, target, most);
  }

  /** Distance to liquidation of a cross or portfolio account with `extra` more in its wallet (the watch's solver, or the closed form for one position). */
  #accountDistance(account: Account, legs: Int32Array | null, extra: number): number {
    const w = this.#watchOfAccount[this.#accounts.indexOf(account)] ?? -1;
    const watch = this.#watches[w];
    if (account.mode === "isolated") {
      let nearest = Number.POSITIVE_INFINITY;
      for (const position of account.positions) {
        if (legs !== null && !legs.includes(this.#plan.legIndex.get(position.leg) ?? -1)) continue;
        nearest = Math.min(nearest, isolatedDistance(position, account.isolatedMargin(position.leg), position.quantityValue, this.#market));
      }
      return nearest;
    }
    const only = account.positions[0];
    if (account.mode === "cross" && account.positions.length === 1 && only !== undefined) {
      return isolatedDistance(only, account.walletBalance() + extra, only.quantityValue, this.#market);
    }
    if (watch === undefined) return Number.POSITIVE_INFINITY;
    const { up, down } = watch.liquidationFactors(this.#market, extra);
    return Math.min(up === null ? Number.POSITIVE_INFINITY : Math.abs(up - 1), down === null ? Number.POSITIVE_INFINITY : Math.abs(down - 1));
  }
}

/**
 * A watched scope's margin surplus: the account's, or (isolated) the smallest over the positions of the listed
 * legs (positive = alive).
 */
export function scopeSurplus(account: Account, market: PathMarket, legs: Int32Array | null, plan: EvaluationPlan): number {
  if (legs === null || account.mode !== "isolated") return marginSurplus(account, market);
  let lowest = Number.POSITIVE_INFINITY;
  for (const position of account.positions) {
    if (!legs.includes(plan.legIndex.get(position.leg) ?? -1)) continue;
    lowest = Math.min(lowest, isolatedEquity(account, position, market) - positionMaintenance(position, market));
  }
  return lowest;
}

/** Closed-form distance of one position backed by `collateral` at `quantity` (+Infinity when no price liquidates it). */
function isolatedDistance(position: PerpetualPosition, collateral: number, quantity: number, market: PathMarket): number {
  if (quantity <= 0) return Number.POSITIVE_INFINITY;
  const { liquidationPrice: price } = liquidationPrice({ terms: position.terms, side: position.side, quantity, entryPrice: position.entryValue, collateral });
  return distanceToLiquidation(price, market.markPrice(position.terms), position.side) ?? Number.POSITIVE_INFINITY;
}

/** What an account can send away: its free wallet (isolated, or no positions), else its surplus over maintenance. */
function transferable(account: Account, market: PathMarket): number {
  if (account.mode === "isolated" || account.positions.length === 0) return Math.max(0, account.walletBalance());
  return Math.max(0, Math.min(account.walletBalance(), marginSurplus(account, market)));
}

/**
 * The least x in [0, most] with f(x) >= target for an increasing f (bisection to a cent's worth of the range), or
 * `most` when f(most) < target.
 */
function solveIncreasing(f: (x: number) => number, target: number, most: number): number {
  if (!(most > 0) || f(most) < target) return Math.max(0, most);
  let low = 0;
  let high = most;
  for (let i = 0; i < 60 && high - low > 1e-6 * Math.max(1, most); i++) {
    const mid = 0.5 * (low + high);
    if (f(mid) >= target) high = mid;
    else low = mid;
  }
  return high;
}
