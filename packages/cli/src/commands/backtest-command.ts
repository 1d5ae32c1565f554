import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { MstressError, durationSeconds, timestampSeconds, type MarginMode } from "@mstress/core";
import {
  backtestRecords,
  backtestReportPage,
  intervalMethod,
  modelCheck,
  modelCheckMethod,
  recordsCsv,
  rowsByMode,
  summariseBacktestMode,
  type BacktestModeSummary,
} from "@mstress/report";
import { backtestRoute, defaultWorkers } from "@mstress/sim";
import { backtestDescription, backtestRows, backtestText } from "../backtest/backtest-output.js";
import { liquidationsOfRun, liquidationsOnTheSpot, type MonteCarloLiquidations } from "../backtest/monte-carlo-liquidations.js";
import { backtestHistory } from "../backtest/backtest-history.js";
import { chartLibraries } from "../results/chart-libraries.js";
import { ResultsDirectory, defaultResultsPath } from "../results/results-directory.js";
import { collect, modeList, positiveInteger, seedText } from "../options/option-parsers.js";
import { gitCommit } from "../results/git-commit.js";
import { loadScenario } from "../scenario/load-scenario.js";
import { runModes } from "../scenario/run-modes.js";
import { scenarioVenues } from "../scenario/scenario-venues.js";
import { mstressVersion } from "../version.js";

interface BacktestOptions {
  history: string[];
  funding?: string[];
  basis?: string[];
  every: number;
  from?: number;
  to?: number;
  fill: "none" | "previous";
  modes?: MarginMode[];
  /** commander's --no-baseline. */
  baseline: boolean;
  against?: string;
  /** commander's --no-model-check. */
  modelCheck: boolean;
  paths: number;
  seed: string;
  workers: number;
  out?: string;
  json?: boolean;
}

function duration(value: string): number {
  const seconds = durationSeconds(value);
  if (seconds === null || seconds <= 0) throw new InvalidArgumentError(`expected a duration such as 1d, 12h or 7d, got ${JSON.stringify(value)}`);
  return seconds;
}

function utcDate(value: string): number {
  const seconds = timestampSeconds(value.trim(), "iso-8601");
  if (!Number.isFinite(seconds)) throw new InvalidArgumentError(`expected a UTC date such as 2020-01-01 or 2020-03-12T08:00, got ${JSON.stringify(value)}`);
  return seconds;
}

function fillMode(value: string): "none" | "previous" {
  if (value !== "none" && value !== "previous") throw new InvalidArgumentError(`expected none or previous, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * `mstress backtest <scenario> --history <prices>`: historical simulation. The scenario's route is opened at its
 * notional at the close of every `--every`-th row of the history and replayed over the next horizon by the route
 * evaluator of run and replay, each row by its high and low; per mode: the windows liquidated with an interval on
 * the effective count, hedge breaks, PnL and APR, the worst windows, and the Monte Carlo's probability beside the
 * historical frequency. Writes backtest.html, windows.csv, backtest.json and charts/ atomically; exits 0, or 2 for
 * bad input with nothing written.
 */
export function backtestCommand(): Command {
  return new Command("backtest")
    .description("replay the route over every window of a real price history and check the Monte Carlo against it")
    .argument("<scenario>", "scenario YAML file with a market block (its horizon and the asset's price)")
    .addOption(new Option("--history <prices>", "price history: OHLC or timestamp,price CSV, Binance klines (CSV or the monthly .zip; repeat to join files)").argParser(collect(String)).makeOptionMandatory())
    .addOption(new Option("--funding <file>", "funding history: Binance CSV (or its .zip) or a venue's funding JSON (repeat to join files); default the scenario's funding mean").argParser(collect(String)))
    .addOption(new Option("--basis <file>", "basis history (mark / index - 1): timestamp,basis CSV or Binance premium index klines (CSV or the monthly .zip; repeat to join files); default the scenario's basis mean").argParser(collect(String)))
    .addOption(new Option("--every <duration>", "a window opens every this long").argParser(duration).default(86_400, "1d"))
    .addOption(new Option("--from <date>", "use history from this UTC date-time on").argParser(utcDate))
    .addOption(new Option("--to <date>", "use history before this UTC date-time").argParser(utcDate))
    .addOption(new Option("--fill <mode>", "none: windows across a gap are left out; previous: fill missing rows at the last close").argParser(fillMode).default("none"))
    .addOption(new Option("--modes <list>", "comma-separated margin modes (default: the scenario's)").argParser(modeList))
    .option("--no-baseline", "with policies: leave out the route without them")
    .option("--against <dir>", "model check against this finished run of the scenario (default: a run made on the spot)")
    .option("--no-model-check", "skip the Monte Carlo model check")
    .addOption(new Option("--paths <n>", "paths of the run made on the spot for the model check").argParser(positiveInteger).default(2000))
    .addOption(new Option("--seed <seed>", "seed of the run made on the spot").argParser(seedText).default("1"))
    .addOption(new Option("--workers <n>", "worker threads of the run made on the spot").argParser(positiveInteger).default(defaultWorkers()))
    .option("--out <dir>", "results directory (default results/backtest-<scenario>-<UTC timestamp>)")
    .option("--json", "print one JSON object keyed by mode on stdout")
    .action(async (file: string, options: BacktestOptions) => {
      await backtestAction(file, options);
    });
}

async function backtestAction(file: string, options: BacktestOptions): Promise<void> {
  if (options.against !== undefined && !options.modelCheck) throw new MstressError("E_BAD_INPUT", "--against: cannot be combined with --no-model-check");
  if (options.from !== undefined && options.to !== undefined && options.to <= options.from) throw new MstressError("E_BAD_INPUT", "--to: expected a date after --from");
  const started = new Date();
  const { text: scenarioText, scenario, sha256 } = loadScenario(file);
  const venues = scenarioVenues(scenario, file);
  const modes = runModes(scenario, venues, options.modes);
  const history = backtestHistory({ prices: options.history, funding: options.funding ?? [], basis: options.basis ?? [] }, {
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
    fill: options.fill,
  });
  const result = backtestRoute({ scenario, venues, modes, baseline: options.baseline, history: history.bars, funding: history.funding?.rates ?? null, basis: history.basis?.series ?? null, everySeconds: options.every });
  // Checked before the Monte Carlo runs: a results directory that already holds files is bad input.
  const directory = ResultsDirectory.claim(resolve(options.out ?? defaultResultsPath(`backtest-${scenario.name}`, started)));
  try {
    let monteCarlo: MonteCarloLiquidations | null = null;
    if (options.against !== undefined) monteCarlo = liquidationsOfRun(options.against, { sha256, file });
    else if (options.modelCheck) {
      process.stderr.write(`mstress: model check: simulating ${String(options.paths)} Monte Carlo paths of ${scenario.name} (seed ${options.seed})\n`);
      monteCarlo = await liquidationsOnTheSpot({ scenario, file, venues, modes, baseline: options.baseline, paths: options.paths, seed: options.seed, workers: options.workers, signal: directory.signal });
    }
    // A signal during the Monte Carlo stops the run here, before the report is built.
    directory.checkpoint("simulate");

    const rows = backtestRows(result);
    const byMode = rowsByMode(rows, result.labels);
    const summaries = new Map<string, BacktestModeSummary>();
    for (const label of result.labels) {
      const summary = summariseBacktestMode(byMode.get(label) ?? [], { everySeconds: options.every, horizonSeconds: result.horizonSeconds });
      const simulated = monteCarlo?.byLabel.get(label);
      const check =
        monteCarlo === null || simulated === undefined
          ? null
          : modelCheck(label, { frequency: summary.liquidationFrequency, ci: summary.liquidationFrequencyCi, windows: summary.windows, effectiveWindows: summary.effectiveWindows }, { ...simulated, source: monteCarlo.source });
      summaries.set(label, { ...summary, modelCheck: check });
    }
    const description = backtestDescription(scenario, history, result, options.every);
    const page = backtestReportPage(
      { version: mstressVersion, scenario: { name: scenario.name, description: scenario.description, file, sha256, text: scenarioText }, labels: result.labels, rows, summaries, description },
      await chartLibraries(),
    );
    const modesJson = Object.fromEntries(summaries);
    const backtestJson = {
      tool: "mstress",
      version: mstressVersion,
      command: "backtest",
      scenario: { name: scenario.name, file, sha256 },
      asset: result.asset,
      history: description.history,
      funding: description.funding,
      basis: description.basisFiles,
      windows: description.windows,
      intervalMethod,
      modelCheckMethod,
      modelCheckSource: monteCarlo?.source ?? null,
      modes: modesJson,
    };
    const manifest = { tool: "mstress", version: mstressVersion, command: "backtest", scenario: { name: scenario.name, file, sha256 }, history: history.priceFiles, funding: history.funding?.files ?? [], basis: history.basis?.files ?? [], gitCommit: gitCommit(), startedAt: started.toISOString() };
    directory.write({ "scenario.yaml": scenarioText, "backtest.json": `${JSON.stringify(backtestJson, null, 2)}\n`, "windows.csv": recordsCsv(backtestRecords(rows)) });
    directory.checkpoint("tables");
    directory.write({ ...page.files, "backtest.html": page.html, "manifest.json": `${JSON.stringify(manifest, null, 2)}\n` });
    directory.checkpoint("report");
    directory.commit();
    if (options.json === true) process.stdout.write(`${JSON.stringify(modesJson, null, 2)}\n`);
    else process.stdout.write(`${backtestText(scenario.name, description, summaries)}\n`);
    process.stderr.write(`mstress: backtest in ${directory.final}\n`);
  } catch (error) {
    directory.discard();
    throw error;
  }
}
