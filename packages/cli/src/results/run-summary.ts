import type { MarginMode } from "@mstress/core";
import { summariseMode, type ModeSummary } from "@mstress/report";
import { modeOutcomes } from "./outcome-table.js";

/**
 * summary.json: what the run found, per margin mode. A pure function of (scenario, seed, outcome rows in path
 * order), with nothing about how the run was executed (that is the manifest's), so one run and merged shards
 * give byte-identical files.
 */
export interface RunSummary {
  readonly scenario: string;
  readonly scenarioSha256: string;
  readonly seed: string;
  readonly paths: number;
  readonly horizonSeconds: number;
  readonly modes: Readonly<Partial<Record<MarginMode, ModeSummary>>>;
}

export function runSummary(input: {
  readonly scenario: string;
  readonly scenarioSha256: string;
  readonly seed: string;
  readonly horizonSeconds: number;
  readonly modes: readonly MarginMode[];
  readonly rows: Float64Array;
  readonly paths: number;
}): RunSummary {
  return {
    scenario: input.scenario,
    scenarioSha256: input.scenarioSha256,
    seed: input.seed,
    paths: input.paths,
    horizonSeconds: input.horizonSeconds,
    modes: Object.fromEntries(input.modes.map((mode, m) => [mode, summariseMode(modeOutcomes(input.rows, input.modes.length, m), { horizonSeconds: input.horizonSeconds })])),
  };
}
