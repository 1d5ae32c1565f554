import { availableParallelism } from "node:os";
import { join } from "node:path";
import { MstressError, isMstressError } from "@mstress/core";
import { runScenario, type FinishedRun } from "../run/run-scenario.js";
import { oneLine, type SuiteScenario } from "./suite-scenarios.js";

/** What became of one scenario the suite ran: its finished run, or why it has none. */
export type ScenarioOutcome = { readonly status: "ran"; readonly run: FinishedRun } | { readonly status: "bad input" | "error"; readonly reason: string };

export interface SuiteRunSettings {
  readonly paths: number;
  readonly seed: string;
  /** Scenarios run at once. */
  readonly jobs: number;
  /** Worker threads of each scenario. */
  readonly workers: number;
  /** Where each scenario's results directory goes: `<into>/<name>/`. */
  readonly into: string;
  /** Aborted by a signal: no scenario starts after it, and the suite ends interrupted. */
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

/**
 * How many scenarios to run at once and with how many worker threads each, so that together they use the cores
 * and no more: `jobs` at most the cores (and the scenarios), `workers` by default the cores shared among the jobs.
 */
export function suiteConcurrency(requested: { readonly jobs: number; readonly workers?: number }, scenarios: number, warn: (line: string) => void, cores = availableParallelism()): { jobs: number; workers: number } {
  let jobs = requested.jobs;
  if (jobs > cores) {
    warn(`warning: --jobs ${String(jobs)} is more than the ${String(cores)} core${cores === 1 ? "" : "s"} available; using ${String(cores)}`);
    jobs = cores;
  }
  jobs = Math.max(1, Math.min(jobs, scenarios));
  return { jobs, workers: requested.workers ?? Math.max(1, Math.floor(cores / jobs)) };
}

/**
 * Runs each scenario with the night's seed and paths, `jobs` at a time, each into its own results directory (claimed,
 * written whole and renamed into place as `mstress run` does, so its summary.json is a standalone run's bytes). A
 * scenario that is bad input or fails is recorded with its reason and the others go on; a signal stops the suite
 * (E_INTERRUPTED) once the running scenarios have cleaned up.
 */
export async function runSuite(scenarios: readonly SuiteScenario[], settings: SuiteRunSettings): Promise<Map<string, ScenarioOutcome>> {
  const toRun = scenarios.filter((scenario) => scenario.status === "run" && scenario.loaded !== null);
  const outcomes = new Map<string, ScenarioOutcome>();
  let next = 0;
  const state = { interrupted: false };
  const quiet = { update: (): void => undefined, finish: (): void => undefined };
  const runOne = async (scenario: SuiteScenario, number: number): Promise<void> => {
    const loaded = scenario.loaded;
    if (loaded === null) return;
    const tag = `[${String(number)}/${String(toRun.length)}] ${scenario.name}`;
    const started = performance.now();
    try {
      const run = await runScenario(
        loaded,
        { paths: settings.paths, seed: settings.seed, workers: settings.workers, out: join(settings.into, scenario.name), chunkSize: 250, batchSize: 1000, baseline: true },
        { warn: (line) => { settings.log(`${scenario.name}: ${line}`); }, startProgress: () => quiet },
      );
      outcomes.set(scenario.name, { status: "ran", run });
      settings.log(`${tag}: ${run.gate?.verdict ?? "ran"} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      if ((isMstressError(error) && error.code === "E_INTERRUPTED") || settings.signal.aborted) {
        state.interrupted = true;
        return;
      }
      const status = isMstressError(error) && error.isInputError ? "bad input" : "error";
      const reason = isMstressError(error) ? oneLine(error) : `internal error: ${oneLine(error)}`;
      outcomes.set(scenario.name, { status, reason });
      settings.log(`${tag}: ${status}: ${reason}`);
    }
  };
  const lane = async (): Promise<void> => {
    while (!state.interrupted && !settings.signal.aborted) {
      const i = next++;
      const scenario = toRun[i];
      if (scenario === undefined) return;
      await runOne(scenario, i + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(settings.jobs, toRun.length)) }, lane));
  if (state.interrupted || settings.signal.aborted) throw new MstressError("E_INTERRUPTED", "interrupted: no suite was written");
  return outcomes;
}
