import type { MarginMode } from "@mstress/core";
import { outcomeFields as kernelFields, outcomeWidth } from "@mstress/sim";
import { summariseAccounts, summariseMode, summariseRoutes, type AccountOutcomes, type ModeOutcomes, type RouteOutcomes, type RunSummary } from "@mstress/report";
import { modeOutcomes } from "./outcome-table.js";

export type { RunSummary } from "@mstress/report";

// The kernel's column of max drawdown, when its rows carry one (results written before it existed do not).
const maxDrawdownColumn = (kernelFields as readonly string[]).indexOf("maxDrawdown");

function withMaxDrawdown(outcomes: ModeOutcomes, rows: Float64Array, modes: number, m: number): ModeOutcomes {
  if (maxDrawdownColumn < 0) return outcomes;
  const maxDrawdown = new Float64Array(outcomes.paths);
  for (let i = 0; i < outcomes.paths; i++) maxDrawdown[i] = rows[(i * modes + m) * outcomeWidth + maxDrawdownColumn] ?? Number.NaN;
  return { paths: outcomes.paths, columns: { ...outcomes.columns, maxDrawdown } };
}

/**
 * summary.json (see RunSummary in @mstress/report): per mode from the outcome rows; per account and per route when
 * their outcomes are given (account-outcomes.csv, route-outcomes.csv, in path order). Every input is in path
 * order and every reduction runs in that order, so a single run and merged shards give the same bytes.
 */
export function runSummary(input: {
  readonly scenario: string;
  readonly scenarioSha256: string;
  readonly seed: string;
  readonly horizonSeconds: number;
  readonly modes: readonly MarginMode[];
  readonly rows: Float64Array;
  readonly paths: number;
  readonly accountOutcomes?: AccountOutcomes;
  readonly routeOutcomes?: RouteOutcomes;
}): RunSummary {
  const { horizonSeconds, modes, paths } = input;
  const scoped = { modes, paths, horizonSeconds };
  return {
    scenario: input.scenario,
    scenarioSha256: input.scenarioSha256,
    seed: input.seed,
    paths,
    horizonSeconds,
    modes: Object.fromEntries(modes.map((mode, m) => [mode, summariseMode(withMaxDrawdown(modeOutcomes(input.rows, modes.length, m), input.rows, modes.length, m), { horizonSeconds })])),
    ...(input.accountOutcomes === undefined ? {} : { accounts: summariseAccounts(input.accountOutcomes, scoped) }),
    ...(input.routeOutcomes === undefined ? {} : { routes: summariseRoutes(input.routeOutcomes, scoped) }),
  };
}
