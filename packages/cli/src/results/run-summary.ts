import { summariseAccounts, summariseMode, summarisePolicies, summariseRoutes, type AccountOutcomes, type PolicyOutcomes, type RouteOutcomes, type RunSummary } from "@mstress/report";
import { modeOutcomes } from "./outcome-table.js";

export type { RunSummary } from "@mstress/report";

/**
 * summary.json (see RunSummary in @mstress/report): per mode (each evaluation's label: a mode, or its passive
 * baseline) from the outcome rows; per account, route and policy when their outcomes are given
 * (account-outcomes.csv, route-outcomes.csv, policy-outcomes.csv, in path order). Every input is in path order and
 * every reduction runs in that order, so a single run and merged shards give the same bytes.
 */
export function runSummary(input: {
  readonly scenario: string;
  readonly scenarioSha256: string;
  readonly seed: string;
  readonly horizonSeconds: number;
  readonly modes: readonly string[];
  readonly rows: Float64Array;
  readonly paths: number;
  readonly accountOutcomes?: AccountOutcomes;
  readonly routeOutcomes?: RouteOutcomes;
  readonly policyOutcomes?: PolicyOutcomes;
}): RunSummary {
  const { horizonSeconds, modes, paths } = input;
  const scoped = { modes, paths, horizonSeconds };
  return {
    scenario: input.scenario,
    scenarioSha256: input.scenarioSha256,
    seed: input.seed,
    paths,
    horizonSeconds,
    modes: Object.fromEntries(modes.map((mode, m) => [mode, summariseMode(modeOutcomes(input.rows, modes.length, m), { horizonSeconds })])),
    ...(input.accountOutcomes === undefined ? {} : { accounts: summariseAccounts(input.accountOutcomes, scoped) }),
    ...(input.routeOutcomes === undefined ? {} : { routes: summariseRoutes(input.routeOutcomes, scoped) }),
    ...(input.policyOutcomes === undefined || input.policyOutcomes.path.length === 0 ? {} : { policies: summarisePolicies(input.policyOutcomes, scoped) }),
  };
}
