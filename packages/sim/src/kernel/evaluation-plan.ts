import { MstressError, type MarginMode, type PerpetualTerms } from "@mstress/core/engine";
import type { Scenario, VenueProfile } from "@mstress/core";
import { compilePolicies, type CompiledPolicies } from "../policies/compiled-policies.js";
import { legTerms, routeOfLeg } from "../route/open-route.js";
import type { PathGrid } from "./path-grid.js";

/**
 * One way the route is evaluated on every path: a margin mode, with the scenario's policies or without them. A
 * scenario with policies is evaluated both ways on the same paths (unless the baseline is turned off), so the
 * effect of its rules is read off one table: `<mode>` with them, `<mode>-passive` without.
 */
export interface RouteEvaluation {
  /** The name in the tables, the summary and the report. */
  readonly label: string;
  readonly mode: MarginMode;
  /** Whether the policies run. */
  readonly managed: boolean;
}

/** The evaluations of a run, in the order of its rows: each mode, followed by its passive baseline when there is one. */
export function routeEvaluations(modes: readonly MarginMode[], hasPolicies: boolean, baseline: boolean): RouteEvaluation[] {
  if (!hasPolicies) return modes.map((mode) => ({ label: mode, mode, managed: false }));
  return modes.flatMap((mode) => [{ label: mode, mode, managed: true }, ...(baseline ? [{ label: `${mode}-passive`, mode, managed: false }] : [])]);
}

/** A scripted auto-deleveraging: at `t`, each listed perp leg (by index) in profit is closed by `fraction`. */
export interface ScheduledAdl {
  readonly t: number;
  readonly legs: Int32Array;
  readonly fraction: number;
}

/** Stochastic ADL (market.adl): a move beyond `move` within `withinSteps` steps closes each profitable perp with `probability`. */
export interface AdlModel {
  readonly move: number;
  readonly withinSteps: number;
  readonly probability: number;
}

/**
 * The entities of the per-account, per-route and per-policy outcome tables: the scenario's accounts that hold perp
 * positions (only those can be liquidated), in scenario order; every route in the order `routeOfLeg` names them
 * (the scenario's routes first, then each leg left out of them as a route of its own); the policies in order.
 */
export interface OutcomeEntities {
  /** Indices into `scenario.accounts`. */
  readonly accountIndices: readonly number[];
  readonly accounts: readonly string[];
  readonly routes: readonly string[];
  readonly policies: readonly string[];
}

export function outcomeEntities(scenario: Scenario): OutcomeEntities {
  const accountIndices = scenario.accounts.flatMap((account, i) => (scenario.legs.some((leg) => leg.type === "perp" && leg.account === account.name) ? [i] : []));
  return {
    accountIndices,
    accounts: accountIndices.map((i) => scenario.accounts[i]?.name ?? ""),
    routes: [...new Set(routeOfLeg(scenario).values())],
    policies: compilePolicies(scenario, routeOfLeg(scenario)).names,
  };
}

/** Everything the route evaluator needs besides the path: the route, its venues' terms, the grid and the rules. */
export interface EvaluationPlan {
  readonly scenario: Scenario;
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly modes: readonly MarginMode[];
  readonly evaluations: readonly RouteEvaluation[];
  readonly grid: PathGrid;
  readonly terms: readonly (PerpetualTerms | null)[];
  readonly routeOf: ReadonlyMap<string, string>;
  readonly legIndex: ReadonlyMap<string, number>;
  /** Index of each leg's asset in the grid's asset order. */
  readonly legAsset: Int32Array;
  readonly deposits: number;
  /** 1 where leg l settles funding at the end of step s, at [s x legs + l] (none when the scenario books no funding). */
  readonly fundingDue: Uint8Array;
  /** 1 where some leg settles at the end of step s. */
  readonly fundingDueAny: Uint8Array;
  /** The grid point one funding interval before t_s, for the return coupling, at [s x legs + l]. */
  readonly fundingFrom: Int32Array;
  readonly entities: OutcomeEntities;
  readonly policies: CompiledPolicies;
  /** Fee rate on selling each spot leg (NaN for perps). */
  readonly spotFeeRate: Float64Array;
  /** Slippage of a policy's trade: bps of its notional, plus bps per $1m of it. */
  readonly slippageBps: number;
  readonly slippageBpsPerMillion: number;
  readonly scriptedAdl: readonly ScheduledAdl[];
  readonly adlModel: AdlModel | null;
}

export interface EvaluationInput {
  readonly scenario: Scenario;
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly modes: readonly MarginMode[];
  /** Evaluate a scenario with policies without them too (the passive baseline). */
  readonly baseline: boolean;
  readonly grid: PathGrid;
  readonly scriptedAdl: readonly { readonly at: number; readonly adl: { readonly legs: readonly string[]; readonly fraction: number } }[];
  readonly adlModel: { readonly move: number; readonly within: number; readonly probability: number } | null;
}

/**
 * Compiles what the route evaluator needs for a grid. Checks what only the grid can tell: every leg's asset is on
 * it, and (on an even grid) the step divides every funding interval.
 */
export function planEvaluation(input: EvaluationInput): EvaluationPlan {
  const { scenario, venues, grid } = input;
  const terms = legTerms(scenario, venues);
  const legs = scenario.legs.length;
  const problems: string[] = [];
  const legAsset = new Int32Array(legs);
  const fundingDue = new Uint8Array((grid.steps + 1) * legs);
  const fundingDueAny = new Uint8Array(grid.steps + 1);
  const fundingFrom = new Int32Array((grid.steps + 1) * legs);
  const even = grid.withinStep === "box";
  const stepSeconds = (grid.times[1] ?? 0) - (grid.times[0] ?? 0);
  scenario.legs.forEach((leg, l) => {
    const asset = leg.type === "spot" ? leg.asset : (terms[l]?.base ?? "");
    legAsset[l] = grid.assets.indexOf(asset);
    if (legAsset[l] === -1) problems.push(`legs.${leg.name}.symbol: expected a perp on an asset the market models (${grid.assets.join(", ")}); ${leg.type === "perp" ? leg.symbol : ""} is on ${asset}`);
    const legTermsHere = terms[l];
    if (legTermsHere == null || !scenario.costs.funding) return;
    const interval = legTermsHere.fundingIntervalHours * 3600;
    if (even) {
      const every = interval / stepSeconds;
      if (Math.abs(every - Math.round(every)) > 1e-9 || every < 1) {
        problems.push(`market.step: expected a step that divides the ${legTermsHere.fundingIntervalHours} h funding interval of ${legTermsHere.venue} (leg ${leg.name}), got ${stepSeconds}s`);
        return;
      }
    }
    let from = 0;
    for (let s = 1; s <= grid.steps; s++) {
      const t = grid.times[s] ?? 0;
      const intervals = t / interval;
      if (Math.abs(intervals - Math.round(intervals)) > 1e-9) continue;
      fundingDue[s * legs + l] = 1;
      fundingDueAny[s] = 1;
      while ((grid.times[from + 1] ?? Number.POSITIVE_INFINITY) <= t - interval + 1e-6) from++;
      fundingFrom[s * legs + l] = from;
    }
  });
  if (problems.length > 0) throw new MstressError("E_BAD_INPUT", problems.join("\n"));
  const routeOf = routeOfLeg(scenario);
  const legIndex = new Map(scenario.legs.map((leg, i) => [leg.name, i]));
  const spotFeeRate = Float64Array.from(scenario.legs, (leg) => {
    if (leg.type !== "spot") return Number.NaN;
    if (!scenario.costs.fees) return 0;
    // A spot leg pays the scenario's spot fee, else the taker rate of a perp on its asset (the venue's own rate).
    return scenario.costs.spotFee ?? terms.find((t) => t?.base === leg.asset)?.takerFeeRate ?? 0;
  });
  const policies = compilePolicies(scenario, routeOf);
  return {
    scenario,
    venues,
    modes: input.modes,
    evaluations: routeEvaluations(input.modes, policies.policies.length > 0, input.baseline),
    grid,
    terms,
    routeOf,
    legIndex,
    legAsset,
    deposits: scenario.accounts.reduce((sum, a) => sum + a.deposit, 0),
    fundingDue,
    fundingDueAny,
    fundingFrom,
    entities: outcomeEntities(scenario),
    policies,
    spotFeeRate,
    slippageBps: scenario.costs.slippage.bps,
    slippageBpsPerMillion: scenario.costs.slippage.bpsPerMillion,
    scriptedAdl: input.scriptedAdl.map((event) => ({ t: event.at, legs: Int32Array.from(event.adl.legs, (name) => legIndex.get(name) ?? -1), fraction: event.adl.fraction })),
    adlModel:
      input.adlModel === null
        ? null
        : { move: input.adlModel.move, withinSteps: Math.max(1, Math.round(input.adlModel.within / stepSeconds)), probability: input.adlModel.probability },
  };
}
