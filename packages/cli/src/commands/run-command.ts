import { dirname, resolve } from "node:path";
import { Command, Option } from "commander";
import { MstressError, type MarginMode } from "@mstress/core";
import { defaultWorkers, outcomeColumn, outcomeWidth, planSimulation, runSimulation, type RunResult, type SimulationInput } from "@mstress/sim";
import { precisionOutcome, wilsonInterval, type VenueFileRecord } from "@mstress/report";
import { halfWidth, modeList, positiveInteger, seedText, shardSpec } from "../options/option-parsers.js";
import { shardRange } from "../options/shard-range.js";
import { workerCount } from "../options/worker-count.js";
import { progressReporter } from "../output/progress-bar.js";
import { summaryTable } from "../output/summary-table.js";
import { gitCommit } from "../results/git-commit.js";
import { resultsOfRun } from "../results/read-results.js";
import { ResultsDirectory, defaultResultsPath } from "../results/results-directory.js";
import type { RunManifest } from "../results/run-manifest.js";
import { availableMemory, checkRunFits, estimateRun, freeDiskBytes } from "../results/run-estimate.js";
import { runSummary, type RunSummary } from "../results/run-summary.js";
import { accountOutcomesOfRows, policyOutcomesOfRows, routeOutcomesOfRows } from "../results/scoped-outcomes.js";
import { signOff } from "../results/sign-off.js";
import { TableFiles } from "../results/table-files.js";
import { writeParquetTables } from "../results/parquet-tables.js";
import { scenarioQuoteCurrency } from "../results/quote-currency.js";
import { reportFiles } from "../results/write-report.js";
import { bootstrapReturns } from "../scenario/bootstrap-returns.js";
import { loadScenario } from "../scenario/load-scenario.js";
import { runModes } from "../scenario/run-modes.js";
import { scenarioVenues } from "../scenario/scenario-venues.js";
import { mstressVersion } from "../version.js";
import { scenarioVenueRecords } from "../venues/venue-records.js";

/**
 * Paths whose PnL and distance to liquidation are kept at every step for the fan charts: the first ones (paths are
 * i.i.d., so a fair sample). 100, not 200: a sampled path costs about four ordinary ones (~1.6 ms more to
 * simulate, mostly the daily solver distance, and ~2.5 ms to format its 2,160 lines for a 30-day, 1 h-step,
 * three-mode run), so 200 added ~6 % to the 10,000-path benchmark and 100 adds ~3 %.
 */
export const reservoirPaths = 100;

interface RunOptions {
  paths: number;
  seed: string;
  workers: number;
  modes?: MarginMode[];
  out?: string;
  shard?: { index: number; count: number };
  json?: boolean;
  precision?: number;
  maxPaths?: number;
  chunkSize: number;
  batchSize: number;
  /** commander's --no-baseline: false leaves the passive rows out of a scenario with policies. */
  baseline: boolean;
}

export function runCommand(): Command {
  return new Command("run")
    .description("Monte Carlo: simulate paths and compare the margin modes on the same market histories")
    .argument("<scenario>", "scenario YAML file with a market block")
    .addOption(new Option("--paths <n>", "paths to simulate").argParser(positiveInteger).default(10_000))
    .addOption(new Option("--seed <seed>", "master seed; with the scenario and version it fixes every result").argParser(seedText).default("1"))
    .addOption(new Option("--workers <n>", "worker threads (at most the cores available)").argParser(positiveInteger).default(defaultWorkers()))
    .addOption(new Option("--modes <list>", "comma-separated margin modes (default: the scenario's)").argParser(modeList))
    .option("--out <dir>", "results directory (default results/<scenario>-<UTC timestamp>)")
    .addOption(new Option("--shard <i/n>", "simulate only the i-th of n contiguous path ranges (merge them with mstress merge)").argParser(shardSpec))
    .option("--json", "print summary.json on stdout")
    .addOption(new Option("--precision <halfWidth>", "add batches of paths until every mode's liquidation-probability 95% interval is this narrow").argParser(halfWidth))
    .addOption(new Option("--max-paths <n>", "with --precision: stop at this many paths").argParser(positiveInteger))
    .addOption(new Option("--chunk-size <n>", "paths per worker task").argParser(positiveInteger).default(250))
    .addOption(new Option("--batch-size <n>", "with --precision: paths added between two checks").argParser(positiveInteger).default(1000))
    .option("--no-baseline", "with policies: leave out the passive rows (the route without its policies on the same paths)")
    .action(async (file: string, options: RunOptions) => {
      await runAction(file, options);
    });
}

const warn = (line: string): void => {
  process.stderr.write(`mstress: ${line}\n`);
};

async function runAction(file: string, options: RunOptions): Promise<void> {
  if (options.maxPaths !== undefined && options.precision === undefined) throw new MstressError("E_BAD_INPUT", "--max-paths: only applies with --precision");
  if (options.precision !== undefined && options.shard !== undefined) {
    throw new MstressError("E_BAD_INPUT", "--precision: cannot be combined with --shard (each shard would stop on its own paths; run shards with --paths)");
  }
  const { text, sha256, scenario } = loadScenario(file);
  const venues = scenarioVenues(scenario, file);
  const modes = runModes(scenario, venues, options.modes);
  const input: SimulationInput = { scenario, venues, bootstrap: bootstrapReturns(scenario, file), modes, seed: options.seed, reservoirPaths, baseline: options.baseline };
  // Validated here, in the main thread, so bad input fails before a worker starts or a file is written.
  const plan = planSimulation(input);
  const labels = plan.evaluations.map((evaluation) => evaluation.label);
  const stepAuto = plan.scenario.market?.stepAuto;
  if (stepAuto !== undefined) warn(`market.step auto: ${stepAuto} (write market.step to override)`);
  const totalPaths = options.precision === undefined ? options.paths : (options.maxPaths ?? 100_000);
  const range = shardRange(totalPaths, options.shard);
  if (range.count === 0) {
    throw new MstressError("E_BAD_INPUT", `--shard: shard ${String(options.shard?.index)}/${String(options.shard?.count)} of ${String(totalPaths)} paths holds no path; expected at most ${String(totalPaths)} shards`);
  }
  const workers = workerCount(options.workers, warn);
  const startedAt = new Date();
  const venueFiles: readonly VenueFileRecord[] = scenarioVenueRecords(scenario, file, startedAt.getTime());
  const out = resolve(options.out ?? defaultResultsPath(scenario.name, startedAt));
  checkRunFits(estimateRun(plan, range.count, workers), { paths: range.count, out, memory: availableMemory(), freeDisk: freeDiskBytes(out) }, warn);

  const directory = ResultsDirectory.claim(out);
  const progress = progressReporter(process.stderr, scenario.name);
  const started = performance.now();
  let tables: TableFiles | undefined;
  let report: Awaited<ReturnType<typeof reportFiles>> | undefined;
  let summary: RunSummary;
  let summaryJson: string;
  let manifest: RunManifest;
  try {
    // The tables are written into the partial directory as chunks arrive (formatted by the workers).
    const tableFiles = new TableFiles(directory, range.first, plan.entities.policies.length > 0);
    tables = tableFiles;
    let result: RunResult;
    try {
      result = await runSimulation(
        {
          input,
          firstPath: range.first,
          paths: range.count,
          workers,
          chunkSize: options.chunkSize,
          signal: directory.signal,
          onProgress: (done, total) => {
            progress.update(done, total);
            directory.checkpoint("simulate");
          },
          onTables: (first, paths, lines) => {
            tableFiles.add(first, paths, lines);
          },
          ...(options.precision === undefined
            ? {}
            : { precision: { batchSize: options.batchSize, isPrecise: (rows: Float64Array, paths: number) => preciseEnough(rows, paths, labels.length, options.precision ?? 0) } }),
        },
        plan.market.steps,
      );
    } finally {
      progress.finish();
    }
    tableFiles.close(true);
    directory.checkpoint("tables");
    if (tableFiles.end !== result.firstPath + result.paths) throw new MstressError("E_INVARIANT", `tables written up to path ${tableFiles.end}, expected ${result.firstPath + result.paths}`);
    const { accounts, routes, policies } = plan.entities;
    summary = runSummary({
      scenario: scenario.name,
      scenarioSha256: sha256,
      seed: options.seed,
      horizonSeconds: plan.market.horizonSeconds,
      modes: labels,
      rows: result.rows,
      paths: result.paths,
      accountOutcomes: () => accountOutcomesOfRows(result.accountRows, { firstPath: result.firstPath, modes: labels, accounts }),
      routeOutcomes: () => routeOutcomesOfRows(result.routeRows, { firstPath: result.firstPath, modes: labels, routes }),
      policyOutcomes: () => policyOutcomesOfRows(result.policyRows, { firstPath: result.firstPath, modes: labels, policies }),
    });
    summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
    // The per-account, per-route and per-policy rows have been summarised and written: let them go before the
    // Parquet tables and the report (at 10^6 paths x 3 modes, ~200 MB).
    result = { ...result, accountRows: new Float64Array(0), routeRows: new Float64Array(0), policyRows: new Float64Array(0) };
    // The scenario as run goes with the results (shards too), so the directory reports and merges anywhere.
    directory.write({ "scenario.yaml": text, "summary.json": summaryJson }, { record: true });
    // The run's time as a user waits for it: simulation, tables (written as chunks arrived) and the summary; the
    // report and the last small writes fall outside (the benchmark times the whole command).
    const wallSeconds = (performance.now() - started) / 1000;
    manifest = {
      tool: "mstress",
      version: mstressVersion,
      scenario: { name: scenario.name, file, sha256 },
      venues: venueFiles,
      seed: options.seed,
      modes: labels,
      totalPaths: options.precision === undefined ? totalPaths : result.paths,
      firstPath: result.firstPath,
      paths: result.paths,
      shard: options.shard ?? null,
      steps: plan.market.steps,
      stepSeconds: plan.market.stepSeconds,
      stepAuto: plan.scenario.market?.stepAuto ?? null,
      horizonSeconds: plan.market.horizonSeconds,
      reservoirPaths,
      entities: { accounts: plan.entities.accounts, routes: plan.entities.routes, policies: plan.entities.policies },
      stopReason: result.stopReason,
      precision: options.precision === undefined ? null : { halfWidth: options.precision, maxPaths: totalPaths, batchSize: options.batchSize },
      files: directory.recorded(),
      workers,
      chunkSize: options.chunkSize,
      node: process.version,
      gitCommit: gitCommit(),
      startedAt: startedAt.toISOString(),
      wallSeconds,
      pathMinuteStepsPerSecond: (result.paths * (plan.market.horizonSeconds / 60) * labels.length) / wallSeconds,
      peakRssMegabytes: process.resourceUsage().maxRSS / 1024,
    };
    const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
    directory.write({ "manifest.json": manifestJson });
    // The Parquet tables, from the CSV the run has just written (so a merge, writing the same CSV, writes them too).
    writeParquetTables(directory.partial, scenarioQuoteCurrency(scenario, dirname(resolve(file))));
    // A shard is only part of a run: its report and verdict come from the merge.
    if (options.shard === undefined) {
      report = await reportFiles(
        resultsOfRun({ dir: directory.final, manifestJson, summaryJson, scenario, scenarioText: text, rows: result.rows, pnlPaths: result.pnlPaths, distancePaths: result.distancePaths, sampledPaths: result.sampledPaths }),
      );
      directory.write(report.files);
    }
    directory.checkpoint("report");
    directory.commit();
  } catch (error) {
    tables?.close();
    directory.discard();
    throw error;
  }
  process.stdout.write(options.json === true ? summaryJson : `${summaryTable(summary, manifest)}\n`);
  const precisionLine = precisionOutcome(summary, manifest);
  if (precisionLine !== null) process.stderr.write(`mstress: ${precisionLine}\n`);
  process.stderr.write(`mstress: results in ${directory.final}\n`);
  if (report !== undefined) signOff(report.gate, options.json === true ? process.stderr : process.stdout);
}

/** Every mode's 95 % Wilson interval of the liquidation probability is narrower than ±halfWidth. */
function preciseEnough(rows: Float64Array, paths: number, modes: number, limit: number): boolean {
  for (let m = 0; m < modes; m++) {
    const liquidations = liquidationCount(rows, paths, modes, m);
    const [low, high] = wilsonInterval(liquidations, paths);
    if ((high - low) / 2 >= limit) return false;
  }
  return true;
}

export function liquidationCount(rows: Float64Array, paths: number, modes: number, m: number): number {
  let events = 0;
  for (let i = 0; i < paths; i++) events += rows[(i * modes + m) * outcomeWidth + outcomeColumn.liquidated] ?? 0;
  return events;
}
