import { MstressError, type MarginMode, type PerpetualTerms } from "@mstress/core/engine";
import type { Scenario, VenueProfile } from "@mstress/core";
import { compileMarket, type BootstrapReturns, type CompiledMarket } from "../models/market-model.js";
import { assertRouteOpens, legTerms, routeOfLeg } from "../route/open-route.js";
import { PathMarket } from "./path-market.js";

/** What a worker needs to simulate paths; plain data, so it crosses the thread boundary by structured clone. */
export interface SimulationInput {
  readonly scenario: Scenario;
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly bootstrap: BootstrapReturns;
  readonly modes: readonly MarginMode[];
  readonly seed: string;
  /** Paths 0..reservoirPaths-1 also record their PnL at every step (the fan chart's sample). */
  readonly reservoirPaths: number;
}

export interface SimulationPlan extends SimulationInput {
  readonly market: CompiledMarket;
  readonly terms: readonly (PerpetualTerms | null)[];
  readonly routeOf: ReadonlyMap<string, string>;
  readonly legIndex: ReadonlyMap<string, number>;
  /** Index of each leg's asset in the market's asset order. */
  readonly legAsset: Int32Array;
  readonly deposits: number;
  /** Funding interval of each perp leg in steps (0 for spot legs or when funding is off). */
  readonly fundingEverySteps: Int32Array;
  /** The accounts and routes the per-entity outcome rows describe (see `outcomeEntities`). */
  readonly entities: OutcomeEntities;
}

/**
 * The entities of the per-account and per-route outcome tables: the scenario's accounts that hold perp positions
 * (only those can be liquidated), in scenario order, and every route in the order `routeOfLeg` names them (the
 * scenario's routes first, then each leg left out of them as a route of its own).
 */
export interface OutcomeEntities {
  /** Indices into `scenario.accounts`. */
  readonly accountIndices: readonly number[];
  readonly accounts: readonly string[];
  readonly routes: readonly string[];
}

export function outcomeEntities(scenario: Scenario): OutcomeEntities {
  const accountIndices = scenario.accounts.flatMap((account, i) => (scenario.legs.some((leg) => leg.type === "perp" && leg.account === account.name) ? [i] : []));
  return {
    accountIndices,
    accounts: accountIndices.map((i) => scenario.accounts[i]?.name ?? ""),
    routes: [...new Set(routeOfLeg(scenario).values())],
  };
}

/**
 * Compiles a scenario for simulation and checks what can only be checked against venues and the market: every
 * leg's asset is modelled, the step divides every funding interval, and the route opens in each mode.
 */
export function planSimulation(input: SimulationInput): SimulationPlan {
  const { scenario, venues } = input;
  const spec = scenario.market;
  if (spec === undefined) throw new MstressError("E_BAD_INPUT", "market: expected market models to simulate (this scenario has only a scripted path: use mstress replay)");
  const market = compileMarket(spec, input.bootstrap);
  const terms = legTerms(scenario, venues);
  const problems: string[] = [];
  const legAsset = new Int32Array(scenario.legs.length);
  const fundingEverySteps = new Int32Array(scenario.legs.length);
  scenario.legs.forEach((leg, i) => {
    const asset = leg.type === "spot" ? leg.asset : (terms[i]?.base ?? "");
    legAsset[i] = market.assets.indexOf(asset);
    if (legAsset[i] === -1) problems.push(`legs.${leg.name}.symbol: expected a perp on an asset the market models (${market.assets.join(", ")}); ${leg.type === "perp" ? leg.symbol : ""} is on ${asset}`);
    const legTermsHere = terms[i];
    if (legTermsHere != null && scenario.costs.funding) {
      const every = (legTermsHere.fundingIntervalHours * 3600) / market.stepSeconds;
      if (Math.abs(every - Math.round(every)) > 1e-9 || every < 1) {
        problems.push(`market.step: expected a step that divides the ${legTermsHere.fundingIntervalHours} h funding interval of ${legTermsHere.venue} (leg ${leg.name}), got ${market.stepSeconds}s`);
      } else {
        fundingEverySteps[i] = Math.round(every);
      }
    }
  });
  if (problems.length > 0) throw new MstressError("E_BAD_INPUT", problems.join("\n"));
  const start = new PathMarket(market.assets);
  market.assets.forEach((_, a) => {
    start.set(a, market.initialIndex[a] ?? 0, market.basisInitial[a] ?? 0);
  });
  for (const mode of input.modes) assertRouteOpens(scenario, venues, mode, start);
  return {
    ...input,
    market,
    terms,
    routeOf: routeOfLeg(scenario),
    legIndex: new Map(scenario.legs.map((leg, i) => [leg.name, i])),
    legAsset,
    deposits: scenario.accounts.reduce((sum, a) => sum + a.deposit, 0),
    fundingEverySteps,
    entities: outcomeEntities(scenario),
  };
}
