import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { MstressError } from "@mstress/core";
import { outcomeWidth } from "@mstress/sim";
import { parseOutcomesCsv, parsePnlPathsCsv, outcomesCsv, pnlPathsCsv } from "../results/outcome-table.js";
import { ResultsDirectory } from "../results/results-directory.js";
import { runSummary } from "../results/run-summary.js";
import { gitCommit, summaryTable, type RunManifest } from "./run-command.js";

interface MergeOptions {
  out: string;
  json?: boolean;
}

function readManifest(dir: string): RunManifest {
  const file = join(dir, "manifest.json");
  if (!existsSync(file)) throw new MstressError("E_BAD_INPUT", `merge: ${JSON.stringify(dir)} has no manifest.json (not a finished mstress run)`);
  return JSON.parse(readFileSync(file, "utf8")) as RunManifest;
}

/**
 * Merges shard directories into the result one run over all their paths would have given, to the bit: the
 * outcome rows are concatenated in path order and summarised exactly as a single run summarises them. The shards
 * must come from the same scenario (by hash), seed, modes, version and path count, and cover every path once.
 */
export function mergeCommand(): Command {
  return new Command("merge")
    .description("merge shard results (mstress run --shard i/n) into one result")
    .argument("<dirs...>", "shard result directories")
    .requiredOption("--out <dir>", "directory for the merged result")
    .option("--json", "print the merged summary.json on stdout")
    .action((dirs: string[], options: MergeOptions) => {
      const shards = dirs.map((dir) => ({ dir, manifest: readManifest(dir) })).sort((a, b) => a.manifest.firstPath - b.manifest.firstPath);
      const first = shards[0];
      if (first === undefined) throw new MstressError("E_BAD_INPUT", "merge: expected at least one shard directory");
      const reference = first.manifest;
      let expectedFirst = 0;
      for (const { dir, manifest } of shards) {
        for (const key of ["version", "seed", "totalPaths", "steps", "stepSeconds", "reservoirPaths"] as const) {
          if (manifest[key] !== reference[key]) throw new MstressError("E_BAD_INPUT", `merge: ${dir}: ${key} ${JSON.stringify(manifest[key])} differs from ${JSON.stringify(reference[key])} in ${first.dir}`);
        }
        if (manifest.scenario.sha256 !== reference.scenario.sha256) throw new MstressError("E_BAD_INPUT", `merge: ${dir}: a different scenario file (sha256 ${manifest.scenario.sha256.slice(0, 12)}...)`);
        if (manifest.modes.join(",") !== reference.modes.join(",")) throw new MstressError("E_BAD_INPUT", `merge: ${dir}: modes ${manifest.modes.join(",")} differ from ${reference.modes.join(",")}`);
        if (manifest.firstPath !== expectedFirst) throw new MstressError("E_BAD_INPUT", `merge: paths ${expectedFirst}..${manifest.firstPath - 1} are missing or covered twice (at ${dir})`);
        expectedFirst += manifest.paths;
      }
      if (expectedFirst !== reference.totalPaths) throw new MstressError("E_BAD_INPUT", `merge: the shards cover ${expectedFirst} of ${reference.totalPaths} paths`);

      const modes = reference.modes;
      const width = modes.length * outcomeWidth;
      const rows = new Float64Array(reference.totalPaths * width);
      const sampledPaths = Math.min(reference.reservoirPaths, reference.totalPaths);
      const pnlWidth = modes.length * reference.steps;
      const pnl = new Float64Array(sampledPaths * pnlWidth);
      for (const { dir, manifest } of shards) {
        rows.set(parseOutcomesCsv(readFileSync(join(dir, "outcomes.csv"), "utf8"), join(dir, "outcomes.csv"), manifest.firstPath, manifest.paths, modes), manifest.firstPath * width);
        const sampled = Math.max(0, Math.min(manifest.paths, reference.reservoirPaths - manifest.firstPath));
        if (sampled > 0) pnl.set(parsePnlPathsCsv(readFileSync(join(dir, "pnl-paths.csv"), "utf8"), sampled, modes, reference.steps), manifest.firstPath * pnlWidth);
      }
      const summary = runSummary({
        scenario: reference.scenario.name,
        scenarioSha256: reference.scenario.sha256,
        seed: reference.seed,
        horizonSeconds: reference.horizonSeconds,
        modes,
        rows,
        paths: reference.totalPaths,
      });
      const wallSeconds = shards.reduce((sum, s) => sum + s.manifest.wallSeconds, 0);
      const manifest: RunManifest = {
        ...reference,
        firstPath: 0,
        paths: reference.totalPaths,
        shard: null,
        gitCommit: gitCommit(),
        wallSeconds,
        pathMinuteStepsPerSecond: (reference.totalPaths * (reference.horizonSeconds / 60) * modes.length) / wallSeconds,
        peakRssMegabytes: Math.max(...shards.map((s) => s.manifest.peakRssMegabytes)),
      };
      const directory = new ResultsDirectory(resolve(options.out));
      directory.write({
        "manifest.json": `${JSON.stringify({ ...manifest, mergedFrom: shards.map((s) => s.dir) }, null, 2)}\n`,
        "summary.json": `${JSON.stringify(summary, null, 2)}\n`,
        "outcomes.csv": outcomesCsv(rows, 0, modes),
        "pnl-paths.csv": pnlPathsCsv(pnl, sampledPaths, modes, reference.steps, reference.stepSeconds),
      });
      if (options.json === true) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(`${summaryTable(summary, manifest)}\n`);
      process.stderr.write(`mstress: merged result in ${directory.final}\n`);
    });
}
