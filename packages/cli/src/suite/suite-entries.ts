import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { MstressError, describeZodIssue, isMstressError } from "@mstress/core";
import { evaluateLimits, type SuiteEntry, type SuiteRun } from "@mstress/report";
import { readInputFile } from "../input/read-input-file.js";
import { readRunSummary } from "../results/read-results.js";
import { readTrendRun } from "../results/trend-runs.js";
import type { ScenarioOutcome } from "./run-suite.js";
import { oneLine, type SuiteScenario } from "./suite-scenarios.js";

/** The routes of a previous suite (--previous) that have a finished run, by name. */
export type PreviousSuite = ReadonlyMap<string, SuiteRun>;

// What a previous suite.json must say for the comparison: which routes ran, and where their results are.
const previousSuiteSchema = z.looseObject({
  tool: z.literal("mstress"),
  command: z.literal("suite"),
  scenarios: z.array(z.looseObject({ name: z.string(), status: z.string(), directory: z.string().nullable() })),
});

/**
 * A previous suite directory: its suite.json names the routes that ran and their directories, each read as a
 * finished run (as `mstress trend` reads one). Anything missing or unreadable is bad input for the whole suite,
 * before anything runs (drop --previous to run without the comparison).
 */
export function readPreviousSuite(dir: string): PreviousSuite {
  const file = join(dir, "suite.json");
  if (!existsSync(dir) || !statSync(dir).isDirectory() || !existsSync(file)) throw new MstressError("E_BAD_INPUT", `--previous: ${JSON.stringify(dir)} has no suite.json; expected the directory of an earlier mstress suite`);
  let raw: unknown;
  try {
    raw = JSON.parse(readInputFile(file, "summary", "--previous")) as unknown;
  } catch (error) {
    if (isMstressError(error)) throw error;
    throw new MstressError("E_BAD_INPUT", `--previous: ${file} is not valid JSON; expected the suite.json mstress suite wrote`);
  }
  const parsed = previousSuiteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MstressError("E_BAD_INPUT", `--previous: ${file}: ${issue === undefined ? "expected the suite.json mstress suite wrote" : describeZodIssue(issue, raw)}`);
  }
  const runs = new Map<string, SuiteRun>();
  for (const scenario of parsed.data.scenarios) {
    if (scenario.status !== "ran" || scenario.directory === null) continue;
    const run = readTrendRun(join(dir, scenario.directory), "--previous");
    runs.set(scenario.name, { directory: run.directory, scenarioSha256: run.scenarioSha256, seed: run.seed, paths: run.paths, summary: run.summary, verdict: run.verdict });
  }
  return runs;
}

const entryOf = (scenario: SuiteScenario, status: SuiteEntry["status"], reason: string | null): SuiteEntry => ({ name: scenario.name, file: scenario.file, description: scenario.description, status, reason, run: null, previous: null });

/** The suite's entries after running it here: each scenario with its run (or why it has none) and the previous night's. */
export function entriesOfRuns(scenarios: readonly SuiteScenario[], outcomes: ReadonlyMap<string, ScenarioOutcome>, previous: PreviousSuite): SuiteEntry[] {
  return scenarios.map((scenario) => {
    if (scenario.status !== "run") return entryOf(scenario, scenario.status, scenario.reason);
    const outcome = outcomes.get(scenario.name);
    if (outcome === undefined) return entryOf(scenario, "error", "did not run");
    if (outcome.status !== "ran") return entryOf(scenario, outcome.status, outcome.reason);
    const { run } = outcome;
    const { gate } = run;
    if (gate === null) throw new MstressError("E_INVARIANT", `suite: ${scenario.name} ran as a shard`);
    return {
      ...entryOf(scenario, "ran", null),
      run: { directory: scenario.name, scenarioSha256: run.manifest.scenario.sha256, seed: run.manifest.seed, paths: run.manifest.paths, summary: run.summary, verdict: gate.verdict, gate },
      previous: previous.get(scenario.name) ?? null,
    };
  });
}

/**
 * The suite's entries from results made elsewhere (a batch engine's merges into `<dir>/<name>/`): each scenario's
 * directory read as a finished whole run of that very file (by SHA-256), all with one seed and path count (the
 * `seed` and `paths` given, else the first result's). A missing result is an error of the night (its shards or merge
 * did not finish); a result of another file, seed or path count is bad input.
 */
export function entriesOfResults(scenarios: readonly SuiteScenario[], dir: string, expected: { seed?: string; paths?: number }, previous: PreviousSuite): { entries: SuiteEntry[]; seed: string | undefined; paths: number | undefined } {
  let { seed, paths } = expected;
  const entries = scenarios.map((scenario): SuiteEntry => {
    if (scenario.status !== "run" || scenario.loaded === null) return entryOf(scenario, scenario.status === "run" ? "error" : scenario.status, scenario.reason);
    const results = join(dir, scenario.name);
    if (!existsSync(join(results, "manifest.json"))) return entryOf(scenario, "error", `no result in ${results} (its run or merge did not finish)`);
    let read: ReturnType<typeof readRunSummary>;
    try {
      read = readRunSummary(resolve(results), "--from-results");
    } catch (error) {
      if (isMstressError(error) && error.isInputError) return entryOf(scenario, "bad input", oneLine(error));
      throw error;
    }
    const { manifest, summary } = read;
    const shard = manifest.execution.shard;
    if (shard !== undefined && shard !== null) return entryOf(scenario, "bad input", `${results} is shard ${String(shard.index)}/${String(shard.count)} of a run; expected the merged result`);
    if (manifest.scenario.sha256 !== scenario.loaded.sha256) {
      return entryOf(scenario, "bad input", `${results} is a run of another version of ${scenario.file} (sha256 ${manifest.scenario.sha256.slice(0, 12)}... vs ${scenario.loaded.sha256.slice(0, 12)}...); expected a result of the file as it is`);
    }
    seed ??= manifest.seed;
    paths ??= manifest.paths;
    if (manifest.seed !== seed || manifest.paths !== paths) {
      return entryOf(scenario, "bad input", `${results} ran with seed ${manifest.seed} and ${String(manifest.paths)} paths; expected the night's seed ${seed} and ${String(paths)} paths`);
    }
    const gate = evaluateLimits(read.scenario.limits, summary);
    return {
      ...entryOf(scenario, "ran", null),
      run: { directory: scenario.name, scenarioSha256: manifest.scenario.sha256, seed: manifest.seed, paths: manifest.paths, summary, verdict: gate.verdict, gate },
      previous: previous.get(scenario.name) ?? null,
    };
  });
  return { entries, seed, paths };
}
