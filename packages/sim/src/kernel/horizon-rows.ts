import { unrealisedPnl, type Account, type Ledger, type LiquidationRecord } from "@mstress/core/engine";
import type { MarketPath } from "../models/market-path.js";
import type { RouteActions } from "../policies/route-actions.js";
import type { RouteJournal } from "../policies/route-journal.js";
import type { AccountWatch } from "./account-watch.js";
import type { EvaluationPlan } from "./evaluation-plan.js";
import type { LiquidationTally } from "./liquidation-tally.js";
import type { ModeTemplate } from "./mode-template.js";
import { accountOutcomeWidth, outcomeColumn, outcomeWidth, policyOutcomeWidth, routeOutcomeWidth } from "./outcome-fields.js";
import type { PathMarket } from "./path-market.js";
import type { RoutePnl } from "./route-pnl.js";
import type { KernelOutputs, OutputWidths } from "./simulate-chunk.js";
import type { StepBox } from "./step-box.js";

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

/** An evaluation as it reaches the horizon: its book and accounts, its watches, and what the step loop tracked. */
export interface HorizonState {
  readonly ledger: Ledger;
  readonly accounts: readonly Account[];
  readonly template: ModeTemplate;
  readonly managed: boolean;
  readonly peak: number;
  readonly maxDrawdown: number;
  readonly journal: RouteJournal | null;
  readonly watches: readonly AccountWatch[];
  readonly watchEntity: Int32Array;
  readonly liquidations: LiquidationRecord[] | null;
}

/** The route evaluator's rows of an evaluation at the horizon (and, with a journal, its detail). */
export class HorizonRows {
  readonly #plan: EvaluationPlan;
  readonly #widths: OutputWidths;
  readonly #path: MarketPath;
  readonly #market: PathMarket;
  readonly #box: StepBox;
  readonly #tally: LiquidationTally;
  readonly #actions: RouteActions;
  readonly #routePnl: RoutePnl;
  /** The evaluator's refresh of the route's PnL form (spot sold at its cost, cash in flight). */
  readonly #refreshPnl: (accounts: readonly Account[]) => void;

  constructor(
    plan: EvaluationPlan,
    widths: OutputWidths,
    box: StepBox,
    parts: { path: MarketPath; tally: LiquidationTally; actions: RouteActions; routePnl: RoutePnl; refreshPnl: (accounts: readonly Account[]) => void },
  ) {
    this.#plan = plan;
    this.#widths = widths;
    this.#box = box;
    this.#market = box.market;
    this.#path = parts.path;
    this.#tally = parts.tally;
    this.#actions = parts.actions;
    this.#routePnl = parts.routePnl;
    this.#refreshPnl = parts.refreshPnl;
  }

  /**
   * The mode's rows at the horizon: the worst distance, the exit, and the outcome, account, route and policy rows.
   * Kept out of the evaluator's step loop (RouteEvaluator#evaluate) on purpose. When it was the tail of the step loop, about half of the runs fell into
   * a deopt loop: from some path on, every call entered the loop's cached on-stack-replaced code and was
   * deoptimised ("wrong map") in the tail, ~2,200 times in 3,000 paths (node --trace-deopt
   * bench/kernel-per-path.mjs 3000), and those runs were ~6 % slower (1.16 against 1.09 ms a path, medians of
   * 8 and 4 runs). Apart, the tail is compiled and deoptimised on its own: one deopt per run.
   */
  write(e: number, outputs: KernelOutputs, slot: number, state: HorizonState): EvaluationDetail | null {
    const plan = this.#plan;
    const grid = plan.grid;
    const steps = grid.steps;
    const path = this.#path;
    const market = this.#market;
    const watches = state.watches;
    const tally = this.#tally;
    const actions = this.#actions;
    const routePnl = this.#routePnl;
    const { ledger, accounts, template, peak } = state;
    let maxDrawdown = state.maxDrawdown;
    // At the horizon, before any exit: the worst distance, from the worst point each account reached.
    this.#box.setMarketAt(steps);
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
      tally.accountDistance[state.watchEntity[w] ?? -1] = distance;
      if (Number.isNaN(minDistance) || distance < minDistance) minDistance = distance;
    }
    // worstDistance moved the market to each account's worst point: back to the horizon's prices for the exit.
    this.#box.setMarketAt(steps);
    const horizon = grid.horizonSeconds;
    if (plan.scenario.costs.closeAtHorizon) for (const account of accounts) account.exitAll(horizon, market);
    this.#refreshPnl(accounts);
    const exitPnl = routePnl.at(path, steps);
    if (peak - exitPnl > maxDrawdown) maxDrawdown = peak - exitPnl;
    const finalEquity = this.#marginEquity(accounts);
    const totals = ledger.totalValues();
    const rows = outputs.rows;
    const row = slot * this.#widths.row + e * outcomeWidth;
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
      slot * this.#widths.accountRow + e * entities.accounts.length * accountOutcomeWidth,
      outputs.routeRows,
      slot * this.#widths.routeRow + e * entities.routes.length * routeOutcomeWidth,
    );
    actions.writeRows(outputs.policyRows, slot * this.#widths.policyRow + e * entities.policies.length * policyOutcomeWidth);
    if (state.journal === null) return null;
    return {
      accounts,
      ledger,
      liquidations: state.liquidations ?? [],
      distanceAtHorizon: horizonDistance,
      accountEquity: accounts.map((account) => this.#marginEquity([account])),
    };
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
