import { isMstressError, policySubStep, snapshotOf, type MarginMode, type Scenario, type VenueProfile } from "@mstress/core";
import { assertRouteOpens, planSimulation, routeOfLeg, termsFor } from "@mstress/sim";
import { bootstrapReturns } from "./bootstrap-returns.js";
import { loadScenario } from "./load-scenario.js";
import { runModes } from "./run-modes.js";
import { scenarioVenues } from "./scenario-venues.js";
import { scriptedPathOf } from "./scripted-path-of.js";
import { compactDuration } from "./compact-duration.js";

/** What `mstress validate` found in one file: errors fail it (exit 2), warnings do not. */
export interface ScenarioCheck {
  readonly file: string;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** One line describing what the scenario runs, when it has no errors. */
  readonly summary: string | null;
}

/** A route whose legs' net quantity per asset is within this fraction of its gross quantity hedges that asset. */
export const hedgeTolerance = 0.01;

/**
 * Every check `mstress replay` and `mstress run` would make before simulating, reusing their code (the schema,
 * venue and symbol lookups, the modes the venues offer, `planSimulation`'s step and opening checks, the scripted
 * path's checks), plus sense checks that warn: a route of several legs whose net delta per asset is not about
 * zero, and a step that does not divide a funding interval while funding is switched off.
 */
export function checkScenarioFile(file: string): ScenarioCheck {
  const errors: string[] = [];
  const prefixed = (line: string): string => (line.startsWith(`${file}:`) ? line : `${file}: ${line}`);
  const attempt = <T>(step: () => T): T | undefined => {
    try {
      return step();
    } catch (error) {
      if (!isMstressError(error)) throw error;
      for (const line of error.message.split("\n")) if (!errors.includes(prefixed(line))) errors.push(prefixed(line));
      return undefined;
    }
  };
  const failed = (): ScenarioCheck => ({ file, errors, warnings: [], summary: null });

  const scenario = attempt(() => loadScenario(file).scenario);
  if (scenario === undefined) return failed();
  const venues = attempt(() => scenarioVenues(scenario, file));
  if (venues === undefined) return failed();
  scenario.legs.forEach((leg, index) => {
    if (leg.type === "perp") attempt(() => termsFor(scenario, venues, leg.account, leg.symbol, index));
  });
  if (errors.length > 0) return failed();
  const modes = attempt(() => runModes(scenario, venues, undefined));
  if (modes === undefined) return failed();

  if (scenario.market !== undefined) {
    attempt(() => planSimulation({ scenario, venues, bootstrap: bootstrapReturns(scenario, file), modes, seed: "validate", reservoirPaths: 0 }));
  }
  if (scenario.path !== undefined) {
    const path = attempt(() => scriptedPathOf(scenario, file, venues));
    if (path !== undefined) {
      const start = path.at(0);
      for (const mode of modes) attempt(() => { assertRouteOpens(scenario, venues, mode, snapshotOf(start.index, start.basis)); });
    }
  }
  if (errors.length > 0) return failed();
  return { file, errors, warnings: [...hedgeWarnings(scenario, venues), ...fundingOffWarnings(scenario, venues), ...policyDelayWarnings(scenario)].map(prefixed), summary: summaryOf(scenario, modes) };
}

/** Routes of two or more legs whose legs do not net to about zero quantity in some asset. */
export function hedgeWarnings(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>): string[] {
  const routeOf = routeOfLeg(scenario);
  const warnings: string[] = [];
  const routeNames = [...new Set(scenario.legs.map((leg) => routeOf.get(leg.name) ?? leg.name))];
  for (const route of routeNames) {
    const legs = scenario.legs.map((leg, index) => ({ leg, index })).filter(({ leg }) => routeOf.get(leg.name) === route);
    if (legs.length < 2) continue;
    const byAsset = new Map<string, { net: number; gross: number }>();
    for (const { leg, index } of legs) {
      const asset = leg.type === "spot" ? leg.asset : termsFor(scenario, venues, leg.account, leg.symbol, index).base;
      const signed = (leg.side === "long" ? 1 : -1) * leg.qty;
      const totals = byAsset.get(asset) ?? { net: 0, gross: 0 };
      byAsset.set(asset, { net: totals.net + signed, gross: totals.gross + leg.qty });
    }
    const unhedged = [...byAsset].filter(([, t]) => Math.abs(t.net) > hedgeTolerance * t.gross);
    if (unhedged.length === 0) continue;
    const routeIndex = scenario.routes?.findIndex((r) => r.name === route) ?? -1;
    const field = routeIndex >= 0 ? `routes.${routeIndex}` : "legs";
    const nets = unhedged.map(([asset, t]) => `${asset} ${t.net > 0 ? "+" : ""}${Number(t.net.toPrecision(12))}`).join(", ");
    warnings.push(
      `warning: ${field}: route ${route}'s legs do not hedge: net ${nets}; expected long and short legs netting to about zero per asset (a directional position is a route of one leg)`,
    );
  }
  return warnings;
}

/**
 * A policy whose delay is under twice the sub-step it is timed on (`policySubStep`: at least a minute): what it sets in
 * motion is timed along the sub-step's path to its worst corner, which under-counts liquidations while it is in
 * flight (docs/methodology.md, "The default step").
 */
function policyDelayWarnings(scenario: Scenario): string[] {
  const market = scenario.market;
  if (market === undefined) return [];
  const subStep = policySubStep(scenario.policies, market.step);
  return scenario.policies.flatMap((policy, index) =>
    "delay" in policy && policy.delay > 0 && subStep > 2 * policy.delay
      ? [`warning: policies.${policy.name ?? `${policy.kind}-${String(index)}`}.delay: ${compactDuration(policy.delay)} is under half of the ${compactDuration(subStep)} sub-step policies are timed on; liquidations while it is in flight are under-counted: expected a delay of at least ${compactDuration(2 * subStep)}`]
      : [],
  );
}

/** With funding off, `planSimulation` does not check the step against the funding intervals: say so instead. */
function fundingOffWarnings(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>): string[] {
  const market = scenario.market;
  // An "auto" step is lowered to divide every funding interval when the run is planned.
  if (market === undefined || scenario.costs.funding || market.stepAuto !== undefined) return [];
  const warnings = new Set<string>();
  scenario.legs.forEach((leg, index) => {
    if (leg.type !== "perp") return;
    const terms = termsFor(scenario, venues, leg.account, leg.symbol, index);
    const every = (terms.fundingIntervalHours * 3600) / market.step;
    if (every < 1 || Math.abs(every - Math.round(every)) > 1e-9) {
      warnings.add(`warning: market.step: ${compactDuration(market.step)} does not divide the ${terms.fundingIntervalHours} h funding interval of ${terms.venue}; harmless while costs.funding is false, an error once funding is on`);
    }
  });
  return [...warnings];
}

/** Where policies that set something in motion are timed on sub-steps of the generated step, say on which. */
function subStepNote(policies: Scenario["policies"], step: number): string {
  const subStep = policySubStep(policies, step);
  return subStep < step ? `, policies timed on ${compactDuration(subStep)} sub-steps` : "";
}

function summaryOf(scenario: Scenario, modes: readonly MarginMode[]): string {
  const runs = [
    scenario.market === undefined ? null : `mstress run: ${compactDuration(scenario.market.horizon)} at ${compactDuration(scenario.market.step)} steps${scenario.market.stepAuto === undefined ? "" : " (auto)"}${subStepNote(scenario.policies, scenario.market.step)}`,
    scenario.path === undefined ? null : "mstress replay: scripted path",
  ].filter((s) => s !== null);
  return `${runs.join("; ")}; modes ${modes.join(", ")}; ${scenario.legs.length} leg${scenario.legs.length === 1 ? "" : "s"} in ${scenario.accounts.length} account${scenario.accounts.length === 1 ? "" : "s"}`;
}
