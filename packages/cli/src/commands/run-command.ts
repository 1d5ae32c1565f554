import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { MstressError, type MarginMode } from "@mstress/core";
import { defaultWorkers, outcomeColumn, outcomeWidth, planSimulation, runSimulation, type RunResult, type SimulationInput, type StopReason } from "@mstress/sim";
import type { ModeLabel } from "@mstress/core";
import { precisionOutcome, stopReasonText, wilsonInterval } from "@mstress/report";
import { progressReporter } from "../output/progress-bar.js";
import { alignedTable, formatAmount, formatDuration, formatPercent } from "../output/aligned-table.js";
import { TableFiles } from "../results/table-files.js";
import { writeParquetTables } from "../results/parquet-tables.js";
import { scenarioQuoteCurrency } from "../results/quote-currency.js";
import { ResultsDirectory, defaultResultsPath } from "../results/results-directory.js";
import { runSummary, type RunSummary } from "../results/run-summary.js";
import { accountOutcomesOfRows, policyOutcomesOfRows, routeOutcomesOfRows } from "../results/scoped-outcomes.js";
import { signOff } from "../results/sign-off.js";
import { resultsOfRun } from "../results/read-results.js";
import { writeReport } from "../results/write-report.js";
import { bootstrapReturns } from "../scenario/bootstrap-returns.js";
import { modeList, readScenario, runModes, scenarioVenues } from "./replay-command.js";
import { scenarioVenueRecords } from "../venues/venue-records.js";
import type { VenueFileRecord } from "@mstress/report";

export const mstressVersion = "0.1.0";

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

/** A commander argument parser for counts (paths, workers, chunk sizes). */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

function halfWidth(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n >= 0.5) throw new InvalidArgumentError(`expected a half-width in (0, 0.5) such as 0.005, got ${JSON.stringify(value)}`);
  return n;
}

function shardSpec(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) throw new InvalidArgumentError(`expected i/n with 1 <= i <= n, such as 2/4, got ${JSON.stringify(value)}`);
  return { index, count };
}

/** A commander argument parser for the master seed: kept short and plain so it names files and jobs safely. */
export function seedText(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) throw new InvalidArgumentError(`expected 1-64 letters, digits, '.', '_' or '-', got ${JSON.stringify(value)}`);
  return value;
}

/** Paths [first, first + count) of shard i/n of `total` paths: contiguous, in path order. */
export function shardRange(total: number, shard: { index: number; count: number } | undefined): { first: number; count: number } {
  if (shard === undefined) return { first: 0, count: total };
  const first = Math.floor(((shard.index - 1) * total) / shard.count);
  const end = Math.floor((shard.index * total) / shard.count);
  return { first, count: end - first };
}

export interface RunManifest {
  readonly tool: "mstress";
  readonly version: string;
  readonly scenario: { readonly name: string; readonly file: string; readonly sha256: string };
  /** The venue files the accounts read, with their age when the run started (the report warns on stale ones). */
  readonly venues: readonly VenueFileRecord[];
  readonly seed: string;
  /** The evaluations, in the order of the tables' rows: each margin mode, and `<mode>-passive` after it for a scenario with policies (unless --no-baseline). */
  readonly modes: readonly string[];
  readonly totalPaths: number;
  readonly firstPath: number;
  readonly paths: number;
  readonly shard: { readonly index: number; readonly count: number } | null;
  readonly steps: number;
  readonly stepSeconds: number;
  readonly horizonSeconds: number;
  readonly reservoirPaths: number;
  /** The accounts (those holding positions), routes and policies of account-, route- and policy-outcomes.csv, in order. */
  readonly entities: { readonly accounts: readonly string[]; readonly routes: readonly string[]; readonly policies?: readonly string[] };
  readonly stopReason: StopReason;
  readonly precision: { readonly halfWidth: number; readonly maxPaths: number; readonly batchSize: number } | null;
  readonly workers: number;
  readonly chunkSize: number;
  readonly node: string;
  readonly gitCommit: string | null;
  readonly startedAt: string;
  readonly wallSeconds: number;
  /** Path x 1-minute steps x modes per wall second: the throughput in the benchmark's unit. */
  readonly pathMinuteStepsPerSecond: number;
  /** Peak resident set of the process (main thread and workers), in MB. */
  readonly peakRssMegabytes: number;
}

export function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

export function runCommand(): Command {
  return new Command("run")
    .description("Monte Carlo: simulate paths and compare the margin modes on the same market histories")
    .argument("<scenario>", "scenario YAML file with a market block")
    .addOption(new Option("--paths <n>", "paths to simulate").argParser(positiveInteger).default(10_000))
    .addOption(new Option("--seed <seed>", "master seed; with the scenario and version it fixes every result").argParser(seedText).default("1"))
    .addOption(new Option("--workers <n>", "worker threads").argParser(positiveInteger).default(defaultWorkers()))
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

async function runAction(file: string, options: RunOptions): Promise<void> {
  if (options.maxPaths !== undefined && options.precision === undefined) throw new MstressError("E_BAD_INPUT", "--max-paths: only applies with --precision");
  if (options.precision !== undefined && options.shard !== undefined) {
    throw new MstressError("E_BAD_INPUT", "--precision: cannot be combined with --shard (each shard would stop on its own paths; run shards with --paths)");
  }
  const text = readFileSync(file, "utf8");
  const scenario = readScenario(file);
  const venues = scenarioVenues(scenario, file);
  const modes = runModes(scenario, venues, options.modes);
  const input: SimulationInput = { scenario, venues, bootstrap: bootstrapReturns(scenario, file), modes, seed: options.seed, reservoirPaths, baseline: options.baseline };
  // Validated here, in the main thread, so bad input fails before a worker starts or a file is written.
  const plan = planSimulation(input);
  const labels = plan.evaluations.map((evaluation) => evaluation.label);
  const totalPaths = options.precision === undefined ? options.paths : (options.maxPaths ?? 100_000);
  const range = shardRange(totalPaths, options.shard);
  const startedAt = new Date();
  const venueFiles = scenarioVenueRecords(scenario, file, startedAt.getTime());
  const directory = new ResultsDirectory(resolve(options.out ?? defaultResultsPath(scenario.name, startedAt)));

  const controller = new AbortController();
  const interrupt = (): void => {
    controller.abort();
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  const progress = progressReporter(process.stderr, scenario.name);
  const started = performance.now();
  // The tables are written into the partial directory as chunks arrive (formatted by the workers).
  const tables = new TableFiles(directory.partial, range.first, plan.entities.policies.length > 0);
  let result: RunResult;
  try {
    result = await runSimulation(
      {
        input,
        firstPath: range.first,
        paths: range.count,
        workers: options.workers,
        chunkSize: options.chunkSize,
        signal: controller.signal,
        onProgress: progress.update,
        onTables: (first, paths, lines) => {
          tables.add(first, paths, lines);
        },
        ...(options.precision === undefined
          ? {}
          : { precision: { batchSize: options.batchSize, isPrecise: (rows: Float64Array, paths: number) => preciseEnough(rows, paths, labels.length, options.precision ?? 0) } }),
      },
      plan.market.steps,
    );
  } catch (error) {
    tables.close();
    directory.discard();
    throw error;
  } finally {
    progress.finish();
    process.removeListener("SIGINT", interrupt);
    process.removeListener("SIGTERM", interrupt);
  }
  let summary: RunSummary;
  let manifest: RunManifest;
  let manifestJson: string;
  let summaryJson: string;
  try {
    tables.close();
    if (tables.end !== result.firstPath + result.paths) throw new MstressError("E_INVARIANT", `tables written up to path ${tables.end}, expected ${result.firstPath + result.paths}`);
    const sha256 = createHash("sha256").update(text).digest("hex");
    const { accounts, routes, policies } = plan.entities;
    summary = runSummary({
      scenario: scenario.name,
      scenarioSha256: sha256,
      seed: options.seed,
      horizonSeconds: plan.market.horizonSeconds,
      modes: labels,
      rows: result.rows,
      paths: result.paths,
      accountOutcomes: accountOutcomesOfRows(result.accountRows, { firstPath: result.firstPath, modes: labels, accounts }),
      routeOutcomes: routeOutcomesOfRows(result.routeRows, { firstPath: result.firstPath, modes: labels, routes }),
      policyOutcomes: policyOutcomesOfRows(result.policyRows, { firstPath: result.firstPath, modes: labels, policies }),
    });
    // The run's time as a user waits for it: simulation, tables (written as chunks arrived) and the summary; only
    // process start-up and the last small writes fall outside (the benchmark times the whole command).
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
      horizonSeconds: plan.market.horizonSeconds,
      reservoirPaths,
      entities: { accounts: plan.entities.accounts, routes: plan.entities.routes, policies: plan.entities.policies },
      stopReason: result.stopReason,
      precision: options.precision === undefined ? null : { halfWidth: options.precision, maxPaths: totalPaths, batchSize: options.batchSize },
      workers: options.workers,
      chunkSize: options.chunkSize,
      node: process.version,
      gitCommit: gitCommit(),
      startedAt: startedAt.toISOString(),
      wallSeconds,
      pathMinuteStepsPerSecond: (result.paths * (plan.market.horizonSeconds / 60) * labels.length) / wallSeconds,
      peakRssMegabytes: process.resourceUsage().maxRSS / 1024,
    };
    // outcomes.csv, account-outcomes.csv, route-outcomes.csv and pnl-paths.csv are already in the partial directory.
    // The scenario as run goes with the results (shards too), so the directory reports and merges anywhere.
    manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
    summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
    writeParquetTables(directory.partial, scenarioQuoteCurrency(scenario, dirname(resolve(file))));
    directory.write({ "scenario.yaml": text, "manifest.json": manifestJson, "summary.json": summaryJson });
  } catch (error) {
    directory.discard();
    throw error;
  }
  if (options.json === true) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(`${summaryTable(summary, manifest)}\n`);
  process.stderr.write(`mstress: results in ${directory.final}\n`);
  const precisionLine = precisionOutcome(summary, manifest);
  if (precisionLine !== null) process.stderr.write(`mstress: ${precisionLine}\n`);
  // A shard is only part of a run: its report and verdict come from the merge.
  if (options.shard === undefined) {
    const results = resultsOfRun({ dir: directory.final, manifestJson, summaryJson, scenario, scenarioText: text, rows: result.rows, pnlPaths: result.pnlPaths, distancePaths: result.distancePaths, sampledPaths: result.sampledPaths });
    signOff(await writeReport(directory.final, results), options.json === true ? process.stderr : process.stdout);
  }
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

export function summaryTable(summary: RunSummary, manifest: Pick<RunManifest, "paths" | "seed" | "stopReason" | "precision" | "wallSeconds" | "horizonSeconds">): string {
  const modes = Object.keys(summary.modes) as ModeLabel[];
  const cell = (mode: ModeLabel, pick: (s: NonNullable<RunSummary["modes"][ModeLabel]>) => string): string => {
    const s = summary.modes[mode];
    return s === undefined ? "-" : pick(s);
  };
  const row = (label: string, pick: (s: NonNullable<RunSummary["modes"][ModeLabel]>) => string): string[] => [label, ...modes.map((m) => cell(m, pick))];
  const ci = (p: number, [low, high]: readonly [number, number]): string => `${formatPercent(p)} [${formatPercent(low)}, ${formatPercent(high)}]`;
  return [
    `scenario ${summary.scenario}, seed ${summary.seed}, ${manifest.paths} paths over ${formatDuration(manifest.horizonSeconds)} (${stopReasonText(manifest.paths, manifest)}), ${manifest.wallSeconds.toFixed(1)} s`,
    "",
    alignedTable([
      ["", ...modes],
      row("liquidation probability [95% CI]", (s) => ci(s.liquidationProbability, s.liquidationProbabilityCi)),
      row("hedge broken [95% CI]", (s) => ci(s.hedgeBrokenProbability, s.hedgeBrokenProbabilityCi)),
      row("loss given liquidation (mean)", (s) => formatAmount(s.lossGivenLiquidation?.mean ?? null)),
      row("median time to liquidation", (s) => formatDuration(s.medianTimeToLiquidation)),
      row("PnL mean", (s) => formatAmount(s.pnl.mean)),
      row("PnL 5% quantile", (s) => formatAmount(s.pnl.quantiles.p05)),
      row("VaR 99%", (s) => formatAmount(s.valueAtRisk.p99)),
      row("ES 99%", (s) => formatAmount(s.expectedShortfall.p99)),
      row("funding received (mean)", (s) => formatAmount(s.fundingReceived.mean)),
      row("fees (mean)", (s) => formatAmount(s.tradingFees.mean + s.liquidationFees.mean)),
      row("capital reserved", (s) => formatAmount(s.capitalReserved.mean)),
      row("APR on capital", (s) => formatPercent(s.aprOnCapital)),
      row("worst distance to liq. (median)", (s) => formatPercent(s.minDistanceToLiquidation?.median ?? null)),
    ]),
  ].join("\n");
}
