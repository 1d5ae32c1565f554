import { lowerStepForFunding, MstressError, policySubStep, type MarginMode } from "@mstress/core/engine";
import type { MarketSpec, Scenario, VenueProfile } from "@mstress/core";
import { compileMarket, type BootstrapReturns, type CompiledMarket } from "../models/market-model.js";
import { assertRouteOpens, legTerms } from "../route/open-route.js";
import { planEvaluation, routeEvaluations, type EvaluationPlan } from "./evaluation-plan.js";
import { PathMarket } from "./path-market.js";

export { outcomeEntities, routeEvaluations, type OutcomeEntities, type RouteEvaluation } from "./evaluation-plan.js";

/** What a worker needs to simulate paths; plain data, so it crosses the thread boundary by structured clone. */
export interface SimulationInput {
  readonly scenario: Scenario;
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly bootstrap: BootstrapReturns;
  readonly modes: readonly MarginMode[];
  readonly seed: string;
  /** Paths 0..reservoirPaths-1 also record their PnL at every step (the fan chart's sample). */
  readonly reservoirPaths: number;
  /** With policies: evaluate the route without them too, on the same paths (the `-passive` rows). Default true. */
  readonly baseline?: boolean;
}

export interface SimulationPlan extends SimulationInput, EvaluationPlan {
  readonly market: CompiledMarket;
  /**
   * The sub-step a step where a policy may act is walked in (`policySubStep`: at most 15 minutes and half the shortest
   * delay), or null when the policies need none (none sets anything in motion, or the step is already that fine).
   */
  readonly policySubStepSeconds: number | null;
}

/**
 * Compiles a scenario for simulation and checks what can only be checked against venues and the market: every
 * leg's asset is modelled, the step divides every funding interval, and the route opens in each mode.
 */
export function planSimulation(input: SimulationInput): SimulationPlan {
  const { venues } = input;
  const written = input.scenario.market;
  if (written === undefined) throw new MstressError("E_BAD_INPUT", "market: expected market models to simulate (this scenario has only a scripted path: use mstress replay)");
  const spec = marketStepForVenues(input.scenario, written, venues);
  const scenario = spec === written ? input.scenario : { ...input.scenario, market: spec };
  const market = compileMarket(spec, input.bootstrap);
  const evaluation = planEvaluation({
    scenario,
    venues,
    modes: input.modes,
    baseline: input.baseline ?? true,
    grid: market,
    scriptedAdl: spec.stress.flatMap((overlay) => (overlay.adl === undefined ? [] : [{ at: overlay.at, adl: overlay.adl }])),
    adlModel: spec.adl ?? null,
  });
  const start = new PathMarket(market.assets);
  market.assets.forEach((_, a) => {
    start.set(a, market.initialIndex[a] ?? 0, market.basisInitial[a] ?? 0);
  });
  for (const mode of input.modes) assertRouteOpens(scenario, venues, mode, start);
  const subStep = policySubStep(scenario.policies, market.stepSeconds);
  return { ...input, ...evaluation, scenario, market, policySubStepSeconds: subStep < market.stepSeconds ? subStep : null };
}

/**
 * The market with an "auto" step lowered, where it must be, to divide every perp's funding interval (a step the
 * scenario writes is kept, and `planEvaluation` says if it does not divide one). Exported for the CLI's checks.
 */
export function marketStepForVenues(scenario: Scenario, market: MarketSpec, venues: ReadonlyMap<string, VenueProfile>): MarketSpec {
  if (market.stepAuto === undefined) return market;
  const intervals = legTerms(scenario, venues).flatMap((terms) => (terms === null ? [] : [terms.fundingIntervalHours * 3600]));
  const choice = lowerStepForFunding({ step: market.step, reason: market.stepAuto }, intervals);
  return choice.step === market.step ? market : { ...market, step: choice.step, stepAuto: choice.reason };
}

/** The labels of a run's evaluations, in the order of its rows (see `routeEvaluations`), without compiling it. */
export function evaluationLabels(input: Pick<SimulationInput, "scenario" | "modes" | "baseline">): string[] {
  return routeEvaluations(input.modes, input.scenario.policies.length > 0, input.baseline ?? true).map((e) => e.label);
}
