import { resolve } from "node:path";
import { MstressError } from "@mstress/core";
import { evaluateLimits, type TrendRun } from "@mstress/report";
import { readRunSummary } from "./read-results.js";

/**
 * A finished whole run (of `mstress run` or `mstress merge`) as a trend or a suite compares it: its manifest,
 * summary and scenario, and the verdict its own limits give. `dir` is labelled as the user named it; `command`
 * names the caller in messages. A shard is refused: its verdict would be half a run's.
 */
export function readTrendRun(dir: string, command: string): TrendRun {
  const run = readRunSummary(resolve(dir), command);
  const shard = run.manifest.execution.shard;
  if (shard !== undefined && shard !== null) {
    throw new MstressError("E_BAD_INPUT", `${command}: ${JSON.stringify(dir)} is shard ${String(shard.index)}/${String(shard.count)} of a run; expected a whole run (mstress merge the shards first)`);
  }
  return {
    directory: dir,
    startedAt: run.manifest.execution.startedAt ?? null,
    seed: run.manifest.seed,
    paths: run.manifest.paths,
    scenarioSha256: run.manifest.scenario.sha256,
    version: run.manifest.version,
    summary: run.summary,
    verdict: evaluateLimits(run.scenario.limits, run.summary).verdict,
    description: run.scenario.description,
    scenarioText: run.scenarioText,
  };
}

/** The runs of a trend, read and checked: each a whole run (not a shard), each directory once, all of one scenario. */
export function readTrendRuns(dirs: readonly string[]): TrendRun[] {
  const seen = new Set<string>();
  const runs = dirs.map((dir) => {
    const full = resolve(dir);
    if (seen.has(full)) throw new MstressError("E_BAD_INPUT", `trend: ${JSON.stringify(dir)} is given twice; expected each run once`);
    seen.add(full);
    return readTrendRun(dir, "trend");
  });
  const first = runs[0];
  if (first === undefined) throw new MstressError("E_BAD_INPUT", "trend: expected at least one results directory");
  for (const [i, run] of runs.entries()) {
    if (run.summary.scenario !== first.summary.scenario) {
      throw new MstressError("E_BAD_INPUT", `trend: ${JSON.stringify(dirs[i])}: scenario ${JSON.stringify(run.summary.scenario)} differs from ${JSON.stringify(first.summary.scenario)} in ${JSON.stringify(dirs[0])}; expected runs of one scenario`);
    }
  }
  return runs;
}
