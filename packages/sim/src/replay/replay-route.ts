import { snapshotOf, type LiquidationRecord, type MarginMode } from "@mstress/core/engine";
import type { Scenario, VenueProfile } from "@mstress/core";
import { planEvaluation } from "../kernel/evaluation-plan.js";
import { accountOutcomeColumn, accountOutcomeWidth, outcomeColumn, outcomeWidth } from "../kernel/outcome-fields.js";
import type { PathGrid } from "../kernel/path-grid.js";
import { RouteEvaluator } from "../kernel/route-evaluator.js";
import { allocateOutputs } from "../kernel/simulate-chunk.js";
import type { MarketPath } from "../models/market-path.js";
import type { ScriptedPath } from "../models/scripted-path.js";
import type { RouteJournal, RouteJournalEntry } from "../policies/route-journal.js";
import { assertRouteOpens, legTerms } from "../route/open-route.js";

export interface ReplayAccountResult {
  readonly name: string;
  readonly venue: string;
  readonly mode: MarginMode;
  readonly liquidated: boolean;
  /** Wallet + isolated allocations + unrealised PnL at the horizon (spot collateral not included). */
  readonly finalEquity: number;
  readonly minDistanceToLiquidation: number | null;
}

export interface ReplayModeResult {
  readonly mode: MarginMode;
  /** `mode`, or `<mode>-passive` for the route without its policies. */
  readonly label: string;
  readonly liquidated: boolean;
  /** Seconds from the start to the first forced close, or null. */
  readonly liquidatedAt: number | null;
  /** Mark price of the first forced close, or null. */
  readonly liquidationPrice: number | null;
  /** What the trader lost to forced closes: realised loss since entry, liquidation fees, margin seized. */
  readonly loss: number;
  readonly hedgeBroken: boolean;
  readonly hedgeBrokenAt: number | null;
  /** Whether the hedge broke by an auto-deleveraging close (else by a liquidation); null when it held. */
  readonly hedgeBrokenByAdl: boolean | null;
  /** Seconds to the first ADL close, or null. */
  readonly adlAt: number | null;
  /** Sum over margin accounts of wallet + isolated allocations + unrealised PnL at the horizon. */
  readonly finalEquity: number;
  /** Change in the route's value: margin accounts' equity change plus the spot legs' PnL (and cash from spot sold or in flight). */
  readonly pnl: number;
  /** Distance at the worst point each account reached (0 once liquidated), the smallest over accounts. */
  readonly minDistanceToLiquidation: number | null;
  /** Distance to liquidation at the horizon, before any exit. */
  readonly distanceAtHorizon: number | null;
  readonly fundingReceived: number;
  /** The cash the route ties up in this evaluation (capital-employed.ts). */
  readonly capitalEmployed: number;
  readonly tradingFees: number;
  readonly liquidationFees: number;
  readonly liquidations: readonly LiquidationRecord[];
  /** What the policies and the venue's ADL did, in time order. */
  readonly actions: readonly RouteJournalEntry[];
  readonly accounts: readonly ReplayAccountResult[];
}

export interface ReplayInput {
  readonly scenario: Scenario;
  /** Venue profiles by the names the scenario's accounts use. */
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly path: ScriptedPath;
}

/** The instants the replay checks: every step, every path point, every funding settlement, and the horizon. */
function checkTimes(horizon: number, step: number, pointTimes: readonly number[], fundingIntervals: readonly number[]): number[] {
  const times = new Set<number>(pointTimes);
  for (let t = 0; t < horizon; t += step) times.add(t);
  for (const interval of fundingIntervals) for (let t = interval; t <= horizon; t += interval) times.add(t);
  times.add(horizon);
  return [...times].filter((t) => t <= horizon).sort((a, b) => a - b);
}

/**
 * A scripted path on the replay's grid (every step, every point, every funding settlement): prices and the basis
 * at each instant as the script interpolates them, the funding rate in force, and each step's extremes, which on
 * a straight segment are its ends ("segment" steps: the evaluator moves along the line, linear in price, exact).
 */
export function scriptedGrid(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>, path: ScriptedPath): { grid: PathGrid; marketPath: MarketPath } {
  const terms = legTerms(scenario, venues);
  const fundingIntervals = scenario.costs.funding ? [...new Set(terms.flatMap((t) => (t == null ? [] : [t.fundingIntervalHours * 3600])))] : [];
  const times = Float64Array.from(checkTimes(path.horizon, scenario.path?.step ?? 60, path.points.map((p) => p.t), fundingIntervals));
  const assets = path.assets;
  const n = assets.length;
  const steps = times.length - 1;
  const index = new Float64Array((steps + 1) * n);
  const basis = new Float64Array((steps + 1) * n);
  const fundingState = new Float64Array((steps + 1) * n);
  times.forEach((t, s) => {
    const state = path.at(t);
    assets.forEach((asset, a) => {
      index[s * n + a] = state.index.get(asset) ?? 0;
      basis[s * n + a] = state.basis;
      fundingState[s * n + a] = state.funding;
    });
  });
  const indexHigh = new Float64Array(steps * n);
  const indexLow = new Float64Array(steps * n);
  for (let i = 0; i < steps * n; i++) {
    indexHigh[i] = Math.max(index[i] ?? 0, index[i + n] ?? 0);
    indexLow[i] = Math.min(index[i] ?? 0, index[i + n] ?? 0);
  }
  const grid: PathGrid = {
    assets,
    steps,
    times,
    horizonSeconds: path.horizon,
    initialIndex: index.slice(0, n),
    basisInitial: basis.slice(0, n),
    fundingCoupling: new Float64Array(n),
    fundingVenueOffset: assets.map(() => new Map<string, number>()),
    stressFunding: new Float64Array(steps * n).fill(Number.NaN),
    withinStep: "segment",
  };
  return { grid, marketPath: { index, indexHigh, indexLow, basis, fundingState, stressed: new Uint8Array(steps) } };
}

/**
 * Replays a route along a scripted path under each margin mode (with the scenario's policies, and without them
 * too when it has some and `baseline` is set): the route evaluator of the Monte Carlo on the script's grid, with
 * every action journalled. Deterministic: no randomness, no clock.
 */
export function replayScenario(input: ReplayInput, modes: readonly MarginMode[], baseline = false): ReplayModeResult[] {
  const { scenario, venues, path } = input;
  const { grid, marketPath } = scriptedGrid(scenario, venues, path);
  const start = snapshotOf(new Map(grid.assets.map((asset, a) => [asset, grid.initialIndex[a] ?? 0])), grid.basisInitial[0] ?? 0);
  for (const mode of modes) assertRouteOpens(scenario, venues, mode, start);
  const plan = planEvaluation({
    scenario,
    venues,
    modes,
    baseline,
    grid,
    scriptedAdl: scenario.path?.stress ?? [],
    adlModel: null,
  });
  const evaluator = new RouteEvaluator(plan, marketPath);
  evaluator.startPath();
  const outputs = allocateOutputs(evaluator.widths, 1, 0);
  return plan.evaluations.map((evaluation, e) => {
    const journal: RouteJournal = [];
    const detail = evaluator.evaluate(e, outputs, 0, false, null, journal);
    if (detail === null) throw new RangeError(`replay: evaluation ${evaluation.label} left no detail`);
    const row = (field: keyof typeof outcomeColumn): number => outputs.rows[e * outcomeWidth + outcomeColumn[field]] ?? Number.NaN;
    const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);
    const first = detail.liquidations.reduce<LiquidationRecord | undefined>((earliest, r) => (earliest === undefined || r.t < earliest.t ? r : earliest), undefined);
    const entityDistance = (name: string): number | null => {
      const entity = plan.entities.accounts.indexOf(name);
      if (entity < 0) return null;
      return orNull(outputs.accountRows[(e * plan.entities.accounts.length + entity) * accountOutcomeWidth + accountOutcomeColumn.minDistanceToLiquidation] ?? Number.NaN);
    };
    return {
      mode: evaluation.mode,
      label: evaluation.label,
      liquidated: row("liquidated") === 1,
      liquidatedAt: orNull(row("liquidatedAt")),
      liquidationPrice: first?.markPrice ?? null,
      loss: row("loss"),
      hedgeBroken: row("hedgeBroken") === 1,
      hedgeBrokenAt: orNull(row("hedgeBrokenAt")),
      hedgeBrokenByAdl: Number.isNaN(row("hedgeBrokenByAdl")) ? null : row("hedgeBrokenByAdl") === 1,
      adlAt: orNull(row("adlAt")),
      finalEquity: row("finalEquity"),
      pnl: row("pnl"),
      minDistanceToLiquidation: orNull(row("minDistanceToLiquidation")),
      distanceAtHorizon: detail.distanceAtHorizon,
      fundingReceived: row("fundingReceived"),
      capitalEmployed: row("capitalEmployed"),
      tradingFees: row("tradingFees"),
      liquidationFees: row("liquidationFees"),
      liquidations: detail.liquidations,
      actions: journal,
      accounts: detail.accounts.map((account, a) => ({
        name: account.name,
        venue: account.venue.name,
        mode: account.mode,
        liquidated: detail.liquidations.some((r) => r.account === account.name),
        finalEquity: detail.accountEquity[a] ?? Number.NaN,
        minDistanceToLiquidation: entityDistance(account.name),
      })),
    };
  });
}

/** The replay of one mode with the scenario's policies (no baseline). */
export function replayRoute(input: ReplayInput, mode: MarginMode): ReplayModeResult {
  const [result] = replayScenario(input, [mode]);
  if (result === undefined) throw new RangeError(`replay: no result for mode ${mode}`);
  return result;
}
