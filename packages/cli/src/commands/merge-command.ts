import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import { MstressError } from "@mstress/core";
import { accountOutcomeFields, outputWidths, policyOutcomeFields, routeOutcomeFields } from "@mstress/sim";
import { accountOutcomesCsv, entityRows, parseAccountOutcomesCsv, parsePolicyOutcomesCsv, parseRouteOutcomesCsv, policyOutcomesCsv, routeOutcomesCsv } from "../results/entity-outcomes.js";
import { parseOutcomesCsv, parsePnlPathsCsv, outcomesCsv, pnlPathsCsv } from "../results/outcome-table.js";
import { ResultsDirectory } from "../results/results-directory.js";
import { runSummary } from "../results/run-summary.js";
import { accountOutcomesOfRows, policyOutcomesOfRows, routeOutcomesOfRows } from "../results/scoped-outcomes.js";
import { signOff } from "../results/sign-off.js";
import { writeReport } from "../results/write-report.js";
import { writeParquetTables } from "../results/parquet-tables.js";
import { resultsQuoteCurrency } from "../results/quote-currency.js";
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
    .action(async (dirs: string[], options: MergeOptions) => {
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
        if (JSON.stringify(manifest.entities) !== JSON.stringify(reference.entities)) throw new MstressError("E_BAD_INPUT", `merge: ${dir}: accounts and routes ${JSON.stringify(manifest.entities)} differ from ${JSON.stringify(reference.entities)}`);
        if (manifest.firstPath !== expectedFirst) throw new MstressError("E_BAD_INPUT", `merge: paths ${expectedFirst}..${manifest.firstPath - 1} are missing or covered twice (at ${dir})`);
        expectedFirst += manifest.paths;
      }
      if (expectedFirst !== reference.totalPaths) throw new MstressError("E_BAD_INPUT", `merge: the shards cover ${expectedFirst} of ${reference.totalPaths} paths`);

      const modes = reference.modes;
      const { accounts, routes } = reference.entities;
      // Results written before policies existed name no policies.
      const policies = reference.entities.policies ?? [];
      const widths = outputWidths(modes.length, { accounts, routes, policies }, reference.steps);
      const rows = new Float64Array(reference.totalPaths * widths.row);
      const accountRows = new Float64Array(reference.totalPaths * widths.accountRow);
      const routeRows = new Float64Array(reference.totalPaths * widths.routeRow);
      const policyRows = new Float64Array(reference.totalPaths * widths.policyRow);
      const sampledPaths = Math.min(reference.reservoirPaths, reference.totalPaths);
      const pnl = new Float64Array(sampledPaths * widths.pathSteps);
      const distance = new Float64Array(sampledPaths * widths.pathSteps);
      for (const { dir, manifest } of shards) {
        const read = (name: string): { text: string; origin: string } => ({ text: readFileSync(join(dir, name), "utf8"), origin: join(dir, name) });
        const outcomes = read("outcomes.csv");
        rows.set(parseOutcomesCsv(outcomes.text, outcomes.origin, manifest.firstPath, manifest.paths, modes), manifest.firstPath * widths.row);
        const accountFile = read("account-outcomes.csv");
        const accountTable = parseAccountOutcomesCsv(accountFile.text, accountFile.origin);
        accountRows.set(entityRows(accountTable, accountFile.origin, manifest.firstPath, manifest.paths, modes, accounts, accountOutcomeFields), manifest.firstPath * widths.accountRow);
        const routeFile = read("route-outcomes.csv");
        const routeTable = parseRouteOutcomesCsv(routeFile.text, routeFile.origin);
        routeRows.set(entityRows(routeTable, routeFile.origin, manifest.firstPath, manifest.paths, modes, routes, routeOutcomeFields), manifest.firstPath * widths.routeRow);
        if (policies.length > 0) {
          const policyFile = read("policy-outcomes.csv");
          const policyTable = parsePolicyOutcomesCsv(policyFile.text, policyFile.origin);
          policyRows.set(entityRows(policyTable, policyFile.origin, manifest.firstPath, manifest.paths, modes, policies, policyOutcomeFields), manifest.firstPath * widths.policyRow);
        }
        const sampled = Math.max(0, Math.min(manifest.paths, reference.reservoirPaths - manifest.firstPath));
        if (sampled > 0) {
          const pnlFile = read("pnl-paths.csv");
          const sample = parsePnlPathsCsv(pnlFile.text, pnlFile.origin, manifest.firstPath, sampled, modes, reference.steps);
          pnl.set(sample.pnl, manifest.firstPath * widths.pathSteps);
          distance.set(sample.distance, manifest.firstPath * widths.pathSteps);
        }
      }
      const summary = runSummary({
        scenario: reference.scenario.name,
        scenarioSha256: reference.scenario.sha256,
        seed: reference.seed,
        horizonSeconds: reference.horizonSeconds,
        modes,
        rows,
        paths: reference.totalPaths,
        accountOutcomes: accountOutcomesOfRows(accountRows, { firstPath: 0, modes, accounts }),
        routeOutcomes: routeOutcomesOfRows(routeRows, { firstPath: 0, modes, routes }),
        policyOutcomes: policyOutcomesOfRows(policyRows, { firstPath: 0, modes, policies }),
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
      // The scenario the shards ran, when they carry it (they do from this version on); else the report falls back
      // to the file the manifest names, checked against the hash.
      const scenarioCopy = join(first.dir, "scenario.yaml");
      const scenarioFile = existsSync(scenarioCopy) ? { "scenario.yaml": readFileSync(scenarioCopy, "utf8") } : {};
      const directory = new ResultsDirectory(resolve(options.out));
      const tables = {
        "outcomes.csv": outcomesCsv(rows, 0, modes),
        "account-outcomes.csv": accountOutcomesCsv(accountRows, 0, modes, accounts),
        "route-outcomes.csv": routeOutcomesCsv(routeRows, 0, modes, routes),
        ...(policies.length === 0 ? {} : { "policy-outcomes.csv": policyOutcomesCsv(policyRows, 0, modes, policies) }),
      };
      // The Parquet tables from the very CSV text a single run writes, so they are its bytes too.
      writeParquetTables(directory.partial, resultsQuoteCurrency(first.dir, reference.scenario.file), tables);
      directory.write({
        "manifest.json": `${JSON.stringify({ ...manifest, mergedFrom: shards.map((s) => s.dir) }, null, 2)}\n`,
        "summary.json": `${JSON.stringify(summary, null, 2)}\n`,
        ...tables,
        ...scenarioFile,
        "pnl-paths.csv": pnlPathsCsv(pnl, distance, 0, sampledPaths, modes, reference.steps, reference.stepSeconds),
      });
      if (options.json === true) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(`${summaryTable(summary, manifest)}\n`);
      process.stderr.write(`mstress: merged result in ${directory.final}\n`);
      signOff(await writeReport(directory.final), options.json === true ? process.stderr : process.stdout);
    });
}
