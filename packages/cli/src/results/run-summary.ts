import { summariseAccounts, summariseMode, summarisePolicies, summariseRoutes, type AccountOutcomes, type ModeOutcomes, type PolicyOutcomes, type RouteOutcomes, type RunSummary } from "@mstress/report";
import { outcomeWidth } from "@mstress/sim";
import { modeOutcomes, modeOutcomesOfColumns, pnlByModeOfColumns } from "./outcome-table.js";
import { transposeInPlace } from "./transpose-in-place.js";

export type { RunSummary } from "@mstress/report";

/** What summary.json is made of: the run's facts and its outcomes. */
export interface RunSummaryInput {
  readonly scenario: string;
  readonly scenarioSha256: string;
  readonly seed: string;
  readonly horizonSeconds: number;
  readonly modes: readonly string[];
  /** The outcome rows: paths x modes x fields. */
  readonly rows: Float64Array;
  readonly paths: number;
  readonly accountOutcomes?: ByMode<AccountOutcomes>;
  readonly routeOutcomes?: ByMode<RouteOutcomes>;
  readonly policyOutcomes?: ByMode<PolicyOutcomes>;
}

/**
 * summary.json (see RunSummary in @mstress/report): per mode (each evaluation's label: a mode, or its passive
 * baseline) from the outcome rows; per account, route and policy when their outcomes are given
 * (account-outcomes.csv, route-outcomes.csv, policy-outcomes.csv, in path order). Every input is in path order and
 * every reduction runs in that order, so a single run and merged shards give the same bytes.
 */
export function runSummary(input: RunSummaryInput): RunSummary {
  return summarise(input, (m) => modeOutcomes(input.rows, input.modes.length, m));
}

/** Outcome rows held in a field the summary empties once it is done with them. */
export interface ReleasableRows {
  rows: Float64Array;
}

/**
 * `runSummary` of outcome rows the caller has written and needs no more (a run, a merge), in less memory: the rows
 * are transposed in place and each mode summarised from views of its columns (not ~100 MB of copies a mode at 10^6
 * paths); each mode's PnL, all the report needs of them, is copied out; and `held.rows` is emptied before the
 * accounts', routes' and policies' columns are built, so that the rows (312 MB at 10^6 paths and three modes) can go.
 * The same summary, to the byte, as `runSummary` of the rows.
 */
export function runSummaryReleasingRows(input: Omit<RunSummaryInput, "rows">, held: ReleasableRows): { readonly summary: RunSummary; readonly pnlByMode: Map<string, Float64Array> } {
  const modes = input.modes.length;
  transposeInPlace(held.rows, input.paths, modes * outcomeWidth);
  let pnlByMode = new Map<string, Float64Array>();
  const summary = summarise(
    input,
    (m) => modeOutcomesOfColumns(held.rows, modes, m),
    () => {
      pnlByMode = pnlByModeOfColumns(held.rows, input.modes);
      held.rows = new Float64Array(0);
    },
  );
  return { summary, pnlByMode };
}

/** The summary from each mode's outcomes by its index in `modes`; `afterModes` runs once the modes are summarised. */
function summarise(input: Omit<RunSummaryInput, "rows">, outcomesOfMode: (mode: number) => ModeOutcomes, afterModes?: () => void): RunSummary {
  const { horizonSeconds, modes, paths } = input;
  const scoped = { modes, paths, horizonSeconds };
  const modeSummaries = Object.fromEntries(modes.map((mode, m) => [mode, summariseMode(outcomesOfMode(m), { horizonSeconds })]));
  afterModes?.();
  return {
    scenario: input.scenario,
    scenarioSha256: input.scenarioSha256,
    seed: input.seed,
    paths,
    horizonSeconds,
    modes: modeSummaries,
    ...(input.accountOutcomes === undefined ? {} : { accounts: summariseScoped(input.accountOutcomes, scoped, summariseAccounts) }),
    ...(input.routeOutcomes === undefined ? {} : { routes: summariseScoped(input.routeOutcomes, scoped, summariseRoutes) }),
    ...withPolicies(input.policyOutcomes, scoped),
  };
}

/**
 * Outcomes of every mode at once, or a function that builds one mode's (by its index in `modes`): the summary then
 * builds and summarises them mode by mode, so only one mode's columns of one kind are held at a time (at 10^6
 * paths, ~57 MB for one account in one mode, against 170 MB for all three modes).
 */
export type ByMode<T> = T | ((mode: number) => T);

type Scoped = { readonly modes: readonly string[]; readonly paths: number; readonly horizonSeconds: number };

/**
 * One kind's summary, mode by mode when the outcomes come by mode. Each (mode, name) group is rolled up from the
 * same rows in the same order either way, and the modes follow one another in `modes`' order, as the groups of a
 * single summary do, so the figures and their order in summary.json are the same.
 */
function summariseScoped<T, S>(outcomes: ByMode<T>, scoped: Scoped, summarise: (outcomes: T, scoped: Scoped) => Record<string, S>): Record<string, S> {
  if (typeof outcomes !== "function") return summarise(outcomes, scoped);
  const byMode = outcomes as (mode: number) => T;
  return Object.assign({}, ...scoped.modes.map((mode, m) => summarise(byMode(m), { ...scoped, modes: [mode] }))) as Record<string, S>;
}

function withPolicies(outcomes: ByMode<PolicyOutcomes> | undefined, scoped: Scoped): Pick<RunSummary, "policies"> {
  if (outcomes === undefined) return {};
  // A run without policies has no policy rows, in any mode: then no policies at all in the summary.
  const policies = summariseScoped(outcomes, scoped, (modeOutcomes: PolicyOutcomes, options: Scoped) => (modeOutcomes.path.length === 0 ? {} : summarisePolicies(modeOutcomes, options)));
  return Object.keys(policies).length === 0 ? {} : { policies };
}
