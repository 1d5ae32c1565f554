import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { MstressError, durationSeconds, isoTime, scenarioWithFittedMarket, timestampSeconds, timestampUnitOf } from "@mstress/core";
import { fittedModels, type FittedModel } from "@mstress/sim/calibration";
import { calibrationJson, calibrationReportPage, fitRecords, formatEstimate, formatSignificant, recordsCsv, type CalibrationResult } from "@mstress/report";
import { autocorrelationLags, calibrateHistory, fittedComment, type CalibrationRun } from "../calibration/calibrate-history.js";
import { readFundingFiles, readPriceFiles } from "../history/read-history-files.js";
import { alignedTable } from "../output/aligned-table.js";
import { chartLibraries } from "../results/chart-libraries.js";
import { ResultsDirectory, defaultResultsPath } from "../results/results-directory.js";
import { checkScenarioFile } from "../scenario/scenario-checks.js";
import { gitCommit } from "../results/git-commit.js";
import { loadScenario } from "../scenario/load-scenario.js";
import { mstressVersion } from "../version.js";

interface CalibrateCommandOptions {
  funding?: string[];
  asset: string;
  step?: number;
  from?: number;
  to?: number;
  models: FittedModel[];
  fill?: "previous";
  venue?: string;
  symbol?: string;
  scenario?: string;
  write?: string;
  out?: string;
  json?: boolean;
}

function stepDuration(value: string): number {
  const seconds = durationSeconds(value);
  if (seconds === null || seconds <= 0) throw new InvalidArgumentError(`expected a duration such as 1h, 15m or 8h, got ${JSON.stringify(value)}`);
  return seconds;
}

/** A time as Unix seconds (or milliseconds) or ISO-8601 (a date alone is UTC midnight). */
function instant(value: string): number {
  const seconds = timestampSeconds(value.trim(), timestampUnitOf(value.trim()));
  if (!Number.isFinite(seconds)) throw new InvalidArgumentError(`expected a date or time such as 2022-01-01 or 2022-01-01T12:00Z (or Unix seconds), got ${JSON.stringify(value)}`);
  return seconds;
}

function modelList(value: string): FittedModel[] {
  const names = value.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = names.filter((name) => !(fittedModels as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`expected a comma-separated list of ${fittedModels.join(", ")}, got ${JSON.stringify(value)}`);
  return [...new Set(names)] as FittedModel[];
}

function assetName(value: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(value)) throw new InvalidArgumentError(`expected an asset name such as BTC, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * `mstress calibrate <prices...>`: fits every price model the simulator has to a price history (maximum likelihood,
 * standard errors, AIC/BIC, goodness of fit), and the funding process to a funding history, recommends the model with
 * the lowest BIC, and writes calibration.html, calibration.json, fits.csv and charts/ into a new results directory
 * (atomically); `--scenario s.yaml --write fitted.yaml` writes a copy of a scenario with the fitted market. Bad data
 * exits 2 naming the file, line and column, with nothing written.
 */
export function calibrateCommand(): Command {
  return new Command("calibrate")
    .description("fit the simulator's price models (and funding) to a price history: parameters with standard errors, AIC/BIC, goodness of fit")
    .argument("<prices...>", "price files of one series: CSV timestamp,price or OHLC, Binance klines (CSV or the monthly .zip)")
    .option("--funding <files...>", "funding history of the asset's perp: Binance funding CSV or .zip, or the JSON of Binance, Bybit, OKX or Hyperliquid")
    .addOption(new Option("--asset <name>", "the asset the prices are of (names the YAML block)").argParser(assetName).default("BTC"))
    .addOption(new Option("--step <duration>", "the step between rows (default: the most common spacing)").argParser(stepDuration))
    .addOption(new Option("--from <time>", "first time used (ISO-8601 or Unix seconds; inclusive)").argParser(instant))
    .addOption(new Option("--to <time>", "end of the range (exclusive)").argParser(instant))
    .addOption(new Option("--models <list>", "models to fit").argParser(modelList).default([...fittedModels], fittedModels.join(",")))
    .addOption(new Option("--fill <how>", "fill missing steps (never done unless asked)").choices(["previous"]))
    .option("--venue <venue>", "venue whose funding cap the settlements are checked against (default: by the funding file's format)")
    .option("--symbol <symbol>", "that venue's symbol (default: the one the file names, else the venue's perpetual on the asset)")
    .option("--scenario <file>", "a scenario to copy with the fitted market (with --write)")
    .option("--write <file>", "where to write that copy (a new file)")
    .option("--out <dir>", "results directory (default results/calibrate-<asset>-<UTC timestamp>)")
    .option("--json", "print calibration.json on stdout")
    .action(async (prices: string[], options: CalibrateCommandOptions) => {
      await calibrateAction(prices, options);
    });
}

async function calibrateAction(prices: readonly string[], options: CalibrateCommandOptions): Promise<void> {
  if ((options.scenario === undefined) !== (options.write === undefined)) throw new MstressError("E_BAD_INPUT", "--scenario and --write: expected both (the scenario to copy and where to write the copy) or neither");
  if (options.write !== undefined && existsSync(options.write)) throw new MstressError("E_BAD_INPUT", `--write: ${JSON.stringify(options.write)} already exists; expected a new file`);
  if (options.from !== undefined && options.to !== undefined && options.to <= options.from) throw new MstressError("E_BAD_INPUT", `--to: expected a time after --from (${isoTime(options.from)}), got ${isoTime(options.to)}`);
  const scenarioText = options.scenario === undefined ? undefined : loadScenario(options.scenario).text;
  // The results directory is checked (new or empty) before the minutes of fitting, and written only after them.
  const directory = ResultsDirectory.claim(resolve(options.out ?? defaultResultsPath(`calibrate-${options.asset}`, new Date())));
  const priceFiles = readPriceFiles(prices.map((p) => resolve(p)), { field: "prices" });
  const fundingFiles = readFundingFiles((options.funding ?? []).map((p) => resolve(p)), { field: "--funding" });
  const progress = (line: string): void => {
    process.stderr.write(`mstress: ${line}\n`);
  };
  const run = calibrateHistory(priceFiles.read, fundingFiles.read, {
    asset: options.asset,
    models: options.models,
    fill: options.fill ?? "none",
    ...(options.step === undefined ? {} : { step: options.step }),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
    ...(options.venue === undefined ? {} : { venue: options.venue }),
    ...(options.symbol === undefined ? {} : { symbol: options.symbol }),
  }, progress);
  const result = run.result;
  const report = calibrationReportPage(result, run.pits, await chartLibraries(), mstressVersion);
  const json = calibrationJson(result);
  const manifest = {
    tool: "mstress",
    version: mstressVersion,
    command: "calibrate",
    asset: options.asset,
    prices: priceFiles.read.map((f) => ({ path: f.path, sha256: f.sha256 })),
    funding: fundingFiles.read.map((f) => ({ path: f.path, sha256: f.sha256 })),
    models: options.models,
    range: { from: result.data.first, to: result.data.last, stepSeconds: result.data.stepSeconds },
    recommendation: result.recommendation,
    gitCommit: gitCommit(),
  };
  // The scenario copy is built and checked before anything is written: bad input leaves no file behind.
  const fitted = options.scenario === undefined || options.write === undefined || scenarioText === undefined ? undefined : stagedScenario(run, options.scenario, scenarioText, options.write, options.asset);
  try {
    directory.write({ "calibration.json": `${JSON.stringify(json, null, 2)}\n`, "fits.csv": recordsCsv(fitRecords(result)), "market-block.yaml": result.yaml });
    directory.checkpoint("tables");
    directory.write({ ...report.files, "calibration.html": report.html, "manifest.json": `${JSON.stringify(manifest, null, 2)}\n` });
    directory.checkpoint("report");
    directory.commit();
    if (fitted !== undefined) renameSync(fitted.staged, fitted.target);
  } catch (error) {
    directory.discard();
    if (fitted !== undefined) rmSync(fitted.staged, { force: true });
    throw error;
  }
  if (options.json === true) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  else process.stdout.write(`${calibrationTable(result)}\n`);
  process.stderr.write(`mstress: calibration in ${directory.final}${fitted === undefined ? "" : `; fitted scenario in ${fitted.target}`}\n`);
}

/**
 * The fitted copy of the scenario, written to a hidden file beside its target and checked as `mstress validate`
 * checks a file (relative paths resolve from where it will live); renamed into place only once the results are
 * written. A GARCH's alpha and beta are per step, so a scenario stepping at another step than the history is refused.
 */
function stagedScenario(run: CalibrationRun, scenarioFile: string, text: string, write: string, asset: string): { staged: string; target: string } {
  const scenario = loadScenario(scenarioFile).scenario;
  const model = run.fits.find((fit) => fit.model === run.result.recommendation.model)?.scenarioModel;
  if (model === undefined) throw new RangeError("calibrate: the recommended model was not fitted");
  const step = scenario.market?.step;
  if (model.kind === "garch-t" && step !== undefined && step !== run.history.step) {
    throw new MstressError("E_BAD_INPUT", `${scenarioFile}: market.step: expected the history's step (${String(run.history.step)} s) for a fitted garch-t, whose alpha and beta are per step, got ${String(step)} s (calibrate with --step, or change market.step)`);
  }
  const funding = run.fundingFit;
  const processFit = funding?.process.parameters;
  const fittedText = scenarioWithFittedMarket(
    text,
    scenarioFile,
    asset,
    {
      price: scenario.market?.assets[asset]?.price ?? run.history.rows[run.history.rows.length - 1]?.close ?? 0,
      model,
      funding: processFit === undefined ? null : { mean: processFit[0]?.value ?? 0, stdDev: processFit[1]?.value ?? 0, halfLife: processFit[2]?.value ?? 0, returnCoupling: funding?.returnCoupling?.value ?? 0 },
    },
    fittedComment(run.result.data, run.result.recommendation.model, run.result.recommendation.reason),
  );
  const target = resolve(write);
  const staged = join(dirname(target), `.${basename(target)}.partial-${String(process.pid)}`);
  writeFileSync(staged, fittedText);
  const check = checkScenarioFile(staged);
  if (check.errors.length > 0) {
    rmSync(staged, { force: true });
    throw new MstressError("E_BAD_INPUT", check.errors.map((line) => line.replace(staged, write)).join("\n"));
  }
  return { staged, target };
}

/** The terminal summary: each model's parameters with standard errors, criteria, KS and tail counts; the pick. */
export function calibrationTable(result: CalibrationResult): string {
  const fields = [...new Set(result.models.flatMap((m) => m.parameters.map((p) => p.field)))];
  const header = ["", ...result.models.map((m) => m.model)];
  const cell = (field: string) => (m: CalibrationResult["models"][number]): string => {
    const p = m.parameters.find((q) => q.field === field);
    return p === undefined ? "-" : formatEstimate(p);
  };
  const tails = result.thresholds.map((t, i) => [`beyond ±${String(Math.round(t * 100))} % (observed ${String(result.observedMovesBeyond[i] ?? 0)})`, ...result.models.map((m) => (m.expectedMovesBeyond[i] ?? 0).toFixed(1))]);
  const rows = [
    header,
    ...fields.map((field) => [field, ...result.models.map(cell(field))]),
    ["log-likelihood", ...result.models.map((m) => m.logLikelihood.toFixed(1))],
    ["AIC", ...result.models.map((m) => m.aic.toFixed(1))],
    ["BIC", ...result.models.map((m) => m.bic.toFixed(1))],
    ["KS D (p)", ...result.models.map((m) => `${m.kolmogorovSmirnov.statistic.toFixed(4)} (${formatSignificant(m.kolmogorovSmirnov.pValue, 2)})`)],
    ...tails,
  ];
  const data = result.data;
  const funding = result.funding;
  const lines = [
    `${result.asset}: ${data.returns.toLocaleString("en-US")} returns of ${String(data.stepSeconds)} s, ${isoTime(data.first)} to ${isoTime(data.last)} (${data.files.map((f) => `${f.origin}: ${f.format}, ${f.timestampUnit}`).join("; ")})`,
    `gaps ${String(data.gaps.count)}${data.gaps.count > 0 ? ` (largest ${String(data.gaps.largestSeconds)} s after ${isoTime(data.gaps.largestAfter ?? 0)})` : ""}, duplicates dropped ${String(data.duplicates)}, filled ${String(data.filled)}; squared-return autocorrelation at lag 1: ${(result.squaredReturnAutocorrelation[0] ?? 0).toFixed(3)} (lags 1-${String(autocorrelationLags)} in calibration.html)`,
    "",
    alignedTable(rows),
    "",
    `recommended: ${result.recommendation.model}, ${result.recommendation.reason}`,
    ...result.models.flatMap((m) => m.notes.map((note) => `note: ${m.model}: ${note}`)),
  ];
  if (funding !== null) {
    lines.push(
      "",
      `funding (${String(funding.settlements)} settlements every ${String(funding.intervalHours)} h${funding.instrument === null ? "" : ` of ${funding.instrument}`}): mean ${formatEstimate(funding.mean)}, stdDev ${formatEstimate(funding.stdDev)} per 8 h, halfLife ${formatEstimate({ value: funding.halfLife.value / 3600, standardError: funding.halfLife.standardError === null ? null : funding.halfLife.standardError / 3600 })} h, returnCoupling ${funding.returnCoupling === null ? "-" : formatEstimate(funding.returnCoupling)}` +
        (funding.capHits === null ? "" : `; at ${funding.capHits.venue} ${funding.capHits.symbol}'s cap/floor: ${String(funding.capHits.atCap)}/${String(funding.capHits.atFloor)}`),
    );
  }
  lines.push("", `market.assets.${result.asset}, ready to paste:`, result.yaml.trimEnd());
  return lines.join("\n");
}
