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
  readonly accountOutcomes?: Lazy<AccountOutcomes>;
  readonly routeOutcomes?: Lazy<RouteOutcomes>;
  readonly policyOutcomes?: Lazy<PolicyOutcomes>;
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
    ...(input.accountOutcomes === undefined ? {} : { accounts: summariseAccounts(built(input.accountOutcomes), scoped) }),
    ...(input.routeOutcomes === undefined ? {} : { routes: summariseRoutes(built(input.routeOutcomes), scoped) }),
    ...withPolicies(input.policyOutcomes === undefined ? undefined : built(input.policyOutcomes), scoped),
  };
}

/**
 * Outcomes, or a function that builds them: the summary then builds each kind's columns when it comes to it, so
 * only one kind's are held at a time (at 10^6 paths x 3 modes, 170 MB for each of accounts and routes).
 */
export type Lazy<T> = T | (() => T);

function built<T>(outcomes: Lazy<T>): T {
  return typeof outcomes === "function" ? (outcomes as () => T)() : outcomes;
}

function withPolicies(outcomes: PolicyOutcomes | undefined, scoped: { modes: readonly string[]; paths: number; horizonSeconds: number }): Pick<RunSummary, "policies"> {
  return outcomes === undefined || outcomes.path.length === 0 ? {} : { policies: summarisePolicies(outcomes, scoped) };
}
