import { MstressError, type MarginMode, type Scenario, type VenueProfile } from "@mstress/core";
import { planSimulation, runSimulation } from "@mstress/sim";
import { liquidationCount } from "../results/liquidation-count.js";
import { readRunSummary } from "../results/read-results.js";
import { bootstrapReturns } from "../scenario/bootstrap-returns.js";

/** Liquidated paths of each evaluation label in a Monte Carlo run of the scenario, and where the run came from. */
export interface MonteCarloLiquidations {
  readonly source: string;
  readonly byLabel: ReadonlyMap<string, { readonly liquidations: number; readonly paths: number }>;
}

/**
 * A finished run's liquidation counts (`--against <dir>`): its summary.json, checked to be a run of this very
 * scenario file (same SHA-256, so the same route, leverage and horizon): the two figures answer one question.
 */
export function liquidationsOfRun(dir: string, scenario: { readonly sha256: string; readonly file: string }): MonteCarloLiquidations {
  const run = readRunSummary(dir, "--against");
  const { manifest, summary } = run;
  if (manifest.scenario.sha256 !== scenario.sha256) {
    throw new MstressError(
      "E_BAD_INPUT",
      `--against: ${JSON.stringify(dir)} is a run of ${manifest.scenario.name} (sha256 ${manifest.scenario.sha256.slice(0, 12)}...), not of ${scenario.file} (sha256 ${scenario.sha256.slice(0, 12)}...); expected a run of the scenario being backtested`,
    );
  }
  if (manifest.execution.shard !== undefined && manifest.execution.shard !== null) throw new MstressError("E_BAD_INPUT", `--against: ${JSON.stringify(dir)} is one shard of a run; expected a whole run (mstress merge the shards first)`);
  const byLabel = new Map(Object.entries(summary.modes).map(([label, mode]) => [label, { liquidations: mode.liquidations, paths: mode.paths }]));
  return { source: `${dir} (${String(summary.paths)} paths, seed ${summary.seed})`, byLabel };
}

/**
 * The Monte Carlo made on the spot for the model check: the scenario as `mstress run` would simulate it (same
 * seeds, same paths), `paths` of them, with nothing written; returns the liquidated paths per evaluation label.
 */
export async function liquidationsOnTheSpot(input: {
  readonly scenario: Scenario;
  readonly file: string;
  readonly venues: ReadonlyMap<string, VenueProfile>;
  readonly modes: readonly MarginMode[];
  readonly baseline: boolean;
  readonly paths: number;
  readonly seed: string;
  readonly workers: number;
  /** Aborted by Ctrl-C or SIGTERM: the simulation stops between chunks instead of running to its end. */
  readonly signal?: AbortSignal;
}): Promise<MonteCarloLiquidations> {
  const simulation = { scenario: input.scenario, venues: input.venues, bootstrap: bootstrapReturns(input.scenario, input.file), modes: input.modes, seed: input.seed, reservoirPaths: 0, baseline: input.baseline };
  const plan = planSimulation(simulation);
  const result = await runSimulation({ input: simulation, firstPath: 0, paths: input.paths, workers: input.workers, chunkSize: 250, ...(input.signal === undefined ? {} : { signal: input.signal }) }, plan.market.steps);
  const labels = plan.evaluations.map((evaluation) => evaluation.label);
  const byLabel = new Map(labels.map((label, m) => [label, { liquidations: liquidationCount(result.rows, result.paths, labels.length, m), paths: result.paths }]));
  return { source: `a run made on the spot (${String(input.paths)} paths, seed ${input.seed}; mstress run --paths ${String(input.paths)} --seed ${input.seed} gives the same paths)`, byLabel };
}
