import { MstressError, type LiquidationRecord, type MarginMode } from "@mstress/core/engine";
import type { Scenario, VenueProfile } from "@mstress/core";
import { planEvaluation, type EvaluationPlan } from "../kernel/evaluation-plan.js";
import { outcomeColumn, outcomeWidth } from "../kernel/outcome-fields.js";
import { PathMarket } from "../kernel/path-market.js";
import { RouteEvaluator } from "../kernel/route-evaluator.js";
import { allocateOutputs } from "../kernel/simulate-chunk.js";
import type { RouteJournal } from "../policies/route-journal.js";
import { assertRouteOpens, legTerms, scenarioAssets } from "../route/open-route.js";
import { basisAtRows, fundingAtRows, windowLayout, type BasisSeries, type FundingRates, type HistoryBars, type WindowLayout } from "./backtest-windows.js";
import { allocateWindowPath, fillWindowPath, windowGrid, type WindowMarket } from "./history-window-path.js";

export interface BacktestInput {
  readonly scenario: Scenario;
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly modes: readonly MarginMode[];
  /** With policies: evaluate the route without them too (the `-passive` rows). */
  readonly baseline: boolean;
  readonly history: HistoryBars;
  /** Funding settlements from files, or null for the scenario's funding model mean. */
  readonly funding: FundingRates | null;
  /** Basis values from files, or null (or absent) for the scenario's basis mean. */
  readonly basis?: BasisSeries | null;
  readonly everySeconds: number;
}

/** One evaluation (a mode, or its passive baseline) of one window. Times are seconds after the window opened. */
export interface BacktestOutcome {
  readonly liquidated: boolean;
  readonly liquidatedAt: number | null;
  /** The mark of the first forced close, in the history's prices. */
  readonly liquidationPrice: number | null;
  readonly hedgeBroken: boolean;
  readonly hedgeBrokenAt: number | null;
  readonly loss: number;
  readonly pnl: number;
  readonly fundingReceived: number;
  readonly tradingFees: number;
  readonly liquidationFees: number;
  readonly capitalEmployed: number;
  readonly minDistanceToLiquidation: number | null;
  /** What the policies did (journal entries). */
  readonly actions: number;
}

export interface BacktestWindow {
  /** Window number: it opens at the close of row k x every. */
  readonly k: number;
  readonly openRow: number;
  /** Unix seconds of the opening close, and the history's price there. */
  readonly openTime: number;
  readonly openPrice: number;
  /** The history's close at the window's end. */
  readonly closePrice: number;
  /** Scenario price / opening price: every leg's quantity is scaled by this (see backtestRoute). */
  readonly quantityScale: number;
  /** By evaluation, in the order of `labels`. */
  readonly outcomes: readonly BacktestOutcome[];
}

export interface BacktestResult {
  readonly asset: string;
  readonly scenarioPrice: number;
  /** The evaluations' labels: each mode, and `<mode>-passive` after it for a scenario with policies. */
  readonly labels: readonly string[];
  readonly layout: WindowLayout;
  readonly horizonSeconds: number;
  readonly windows: readonly BacktestWindow[];
  /** Where funding and basis came from. */
  readonly market: WindowMarket;
}

/** What backtestRoute compiles once: the evaluation plan on the shared window grid, and what each window reads. */
export interface BacktestPlan {
  readonly plan: EvaluationPlan;
  readonly layout: WindowLayout;
  readonly market: WindowMarket;
  readonly fundingRows: Float64Array | null;
  /** The files' basis in force at each row, or null for the scenario's mean. */
  readonly basisRows: Float64Array | null;
}

const iso = (seconds: number): string => new Date(Math.round(seconds * 1000)).toISOString().replace(".000Z", "Z");

/**
 * Compiles a backtest and checks what only the history can tell: the route holds one asset (the history's), the
 * scenario's horizon and every funding interval are whole numbers of the history's step, the funding files cover
 * every settlement of every window, the basis files every row, and the route opens in each mode at the scenario's
 * price. Bad input names the field or file.
 */
export function planBacktest(input: BacktestInput): BacktestPlan {
  const { scenario, venues, history } = input;
  const spec = scenario.market;
  if (spec === undefined) throw new MstressError("E_BAD_INPUT", "market: expected a market block (its horizon and the asset's price set each window's length and notional)");
  const assets = scenarioAssets(scenario, venues);
  const asset = assets[0];
  if (asset === undefined || assets.length > 1) throw new MstressError("E_BAD_INPUT", `--history: a price history prices one asset; this route holds ${assets.join(", ")}: expected a route on one asset`);
  const assetSpec = spec.assets[asset];
  if (assetSpec === undefined) throw new MstressError("E_BAD_INPUT", `market.assets.${asset}: expected the price of ${asset}, the asset the route holds`);
  const layout = windowLayout(history, spec.horizon, input.everySeconds);
  if (scenario.costs.funding) {
    for (const terms of legTerms(scenario, venues)) {
      if (terms == null) continue;
      const interval = terms.fundingIntervalHours * 3600;
      if (Math.abs(interval / history.step - Math.round(interval / history.step)) > 1e-9 || interval < history.step) {
        throw new MstressError("E_BAD_INPUT", `--history: rows ${String(history.step)} s apart do not divide the ${String(terms.fundingIntervalHours)} h funding interval of ${terms.venue}; expected a history with a finer step`);
      }
    }
  }
  const market: WindowMarket = {
    asset,
    openingPrice: assetSpec.price,
    basis: assetSpec.basis?.mean ?? 0,
    fundingMean: assetSpec.funding?.mean ?? 0,
    fundingCoupling: input.funding === null ? (assetSpec.funding?.returnCoupling ?? 0) : 0,
    fundingVenueOffset: new Map(Object.entries(assetSpec.funding?.venueOffset ?? {})),
  };
  const plan = planEvaluation({
    scenario,
    venues,
    modes: input.modes,
    baseline: input.baseline,
    grid: windowGrid(market, layout.stepsPerWindow, history.step),
    scriptedAdl: [],
    adlModel: null,
  });
  const start = new PathMarket([asset]);
  start.set(0, market.openingPrice, market.basis);
  for (const mode of input.modes) assertRouteOpens(scenario, venues, mode, start);
  const fundingRows = input.funding === null ? null : fundingAtRows(history, input.funding);
  if (fundingRows !== null) assertFundingCovers(fundingRows, plan, layout, history, input.funding);
  const basis = input.basis ?? null;
  const basisRows = basis === null ? null : basisAtRows(history, basis);
  if (basisRows !== null) assertBasisCovers(basisRows, layout, history, basis);
  return { plan, layout, market, fundingRows, basisRows };
}

/** Every row of every kept window has a basis in force (rows without one are the history's first, before the files start). */
function assertBasisCovers(basisRows: Float64Array, layout: WindowLayout, history: HistoryBars, basis: BasisSeries | null): void {
  const k = layout.kept[0];
  if (k === undefined) return;
  const openRow = k * layout.everyRows;
  if (!Number.isNaN(basisRows[openRow] ?? Number.NaN)) return;
  const first = basis?.time[0];
  throw new MstressError(
    "E_BAD_INPUT",
    `--basis: no value at or before ${iso(history.closeTime[openRow] ?? Number.NaN)}, where the first window opens; the basis files start at ${first === undefined ? "nothing" : iso(first)}: expected a basis over every window (narrow the history with --from)`,
  );
}

/**
 * The plan with the route opened at another basis: a window opens at the files' basis in force at its opening
 * row, so its perps enter at that mark, and the route is opened again (checked as a run checks it) when the
 * opening basis differs from the last window's.
 */
function planOpeningAt(plan: EvaluationPlan, input: BacktestInput, market: WindowMarket, basis: number, openTime: number): EvaluationPlan {
  const start = new PathMarket([market.asset]);
  start.set(0, market.openingPrice, basis);
  try {
    for (const mode of input.modes) assertRouteOpens(input.scenario, input.venues, mode, start);
  } catch (error) {
    if (error instanceof MstressError) throw new MstressError(error.code, `--basis: the window opening ${iso(openTime)} at a basis of ${String(basis)}: ${error.message}`);
    throw error;
  }
  return { ...plan, grid: { ...plan.grid, basisInitial: Float64Array.of(basis) } };
}

/** Every settlement of every kept window has a rate in force: a settlement of the files at or before it. */
function assertFundingCovers(fundingRows: Float64Array, plan: EvaluationPlan, layout: WindowLayout, history: HistoryBars, funding: FundingRates | null): void {
  const steps = layout.stepsPerWindow;
  for (const k of layout.kept) {
    const openRow = k * layout.everyRows;
    for (let s = 1; s <= steps; s++) {
      if (plan.fundingDueAny[s] !== 1 || !Number.isNaN(fundingRows[openRow + s] ?? Number.NaN)) continue;
      const first = funding?.time[0];
      throw new MstressError(
        "E_BAD_INPUT",
        `--funding: no settlement at or before ${iso(history.closeTime[openRow + s] ?? Number.NaN)}, a funding time of the window opening ${iso(history.closeTime[openRow] ?? Number.NaN)}; the funding files start at ${first === undefined ? "nothing" : iso(first)}: expected funding over every window (narrow the history with --from)`,
      );
    }
  }
}

/**
 * Historical simulation: the scenario's route replayed over every window of a price history by the route
 * evaluator of the Monte Carlo and replay (every rule of the route, the policies included, as in a run), with no
 * random numbers.
 *
 * Each window opens the route at the scenario's notional: every leg's quantity scaled by (scenario price / the
 * window's opening price), allocations and deposits as written, so the leverage is the scenario's in every window.
 * That is computed in the scenario's own price frame, which is the same thing and lets the route be opened once:
 * the window's prices are multiplied by the scale, so it opens at the scenario's price with the scenario's
 * quantities. Every amount (PnL, notional, margin, funding, fees, brackets) is qty x price and is equal in both
 * frames; distances are ratios; a liquidation price is divided back by the scale. The one difference is the tick:
 * prices are booked at the venue's tick on the scenario's price scale, at most half a tick from the real frame's
 * booking per fill (backtest-route.test.ts compares the two frames).
 *
 * With basis files, each window opens its perps at the mark of the basis in force at its opening row (the route
 * is opened again when that differs from the last window's), and the basis of every row is the files'.
 */
export function backtestRoute(input: BacktestInput): BacktestResult {
  const { plan, layout, market, fundingRows, basisRows } = planBacktest(input);
  const { history } = input;
  const path = allocateWindowPath(layout.stepsPerWindow);
  let evaluator = new RouteEvaluator(plan, path);
  let openingBasis = market.basis;
  const outputs = allocateOutputs(evaluator.widths, 1, 0);
  const windows: BacktestWindow[] = [];
  for (const k of layout.kept) {
    const openRow = k * layout.everyRows;
    const openPrice = history.close[openRow] ?? Number.NaN;
    const scale = market.openingPrice / openPrice;
    fillWindowPath(history, fundingRows, market, openRow, scale, path, basisRows);
    const basis = path.basis[0] ?? Number.NaN;
    if (basis !== openingBasis) {
      evaluator = new RouteEvaluator(planOpeningAt(plan, input, market, basis, history.closeTime[openRow] ?? Number.NaN), path);
      openingBasis = basis;
    }
    evaluator.startPath();
    const outcomes = plan.evaluations.map((_, e) => evaluateWindow(evaluator, outputs, e, scale));
    windows.push({
      k,
      openRow,
      openTime: history.closeTime[openRow] ?? Number.NaN,
      openPrice,
      closePrice: history.close[openRow + layout.stepsPerWindow] ?? Number.NaN,
      quantityScale: scale,
      outcomes,
    });
  }
  return {
    asset: market.asset,
    scenarioPrice: market.openingPrice,
    labels: plan.evaluations.map((e) => e.label),
    layout,
    horizonSeconds: plan.grid.horizonSeconds,
    windows,
    market,
  };
}

/** Evaluation e of the window in the evaluator's path; prices back in the history's frame by `scale`. */
export function evaluateWindow(evaluator: RouteEvaluator, outputs: ReturnType<typeof allocateOutputs>, e: number, scale: number): BacktestOutcome {
  const journal: RouteJournal = [];
  const detail = evaluator.evaluate(e, outputs, 0, false, null, journal);
  if (detail === null) throw new MstressError("E_INVARIANT", `backtest: evaluation ${String(e)} left no detail`);
  const row = (field: keyof typeof outcomeColumn): number => outputs.rows[e * outcomeWidth + outcomeColumn[field]] ?? Number.NaN;
  const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);
  const first = detail.liquidations.reduce<LiquidationRecord | undefined>((earliest, r) => (earliest === undefined || r.t < earliest.t ? r : earliest), undefined);
  return {
    liquidated: row("liquidated") === 1,
    liquidatedAt: orNull(row("liquidatedAt")),
    liquidationPrice: first === undefined ? null : first.markPrice / scale,
    hedgeBroken: row("hedgeBroken") === 1,
    hedgeBrokenAt: orNull(row("hedgeBrokenAt")),
    loss: row("loss"),
    pnl: row("pnl"),
    fundingReceived: row("fundingReceived"),
    tradingFees: row("tradingFees"),
    liquidationFees: row("liquidationFees"),
    capitalEmployed: row("capitalEmployed"),
    minDistanceToLiquidation: orNull(row("minDistanceToLiquidation")),
    actions: journal.length,
  };
}
