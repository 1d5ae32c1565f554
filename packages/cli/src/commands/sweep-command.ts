import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import {
  MstressError,
  applySweepPoint,
  parseScenarioYaml,
  parseSweepAssignment,
  sweepGrid,
  validateScenario,
  type MarginMode,
  type ModeLabel,
  type Scenario,
  type SweepParameter,
  type VenueProfile,
} from "@mstress/core";
import { SimulationPool, defaultWorkers, evaluationLabels, outcomeEntities, planSimulation, runSimulation, type SimulationInput, type SimulationPlan } from "@mstress/sim";
import { leastCapital, recordsCsv, sweepPointLabel, sweepRecords, sweepReportPage, sweepRows, type LeastCapital, type LiquidationLevel, type SweepPointSummary, type SweepRow } from "@mstress/report";
import { alignedTable, formatAmount, formatPercent } from "../output/aligned-table.js";
import { progressReporter } from "../output/progress-bar.js";
import { chartLibraries } from "../results/chart-libraries.js";
import { modeList, positiveInteger, probability, seedText } from "../options/option-parsers.js";
import { workerCount } from "../options/worker-count.js";
import { gitCommit } from "../results/git-commit.js";
import { ResultsDirectory, defaultResultsPath } from "../results/results-directory.js";
import { availableMemory, checkRunFits, estimateRun, freeDiskBytes } from "../results/run-estimate.js";
import { runSummary } from "../results/run-summary.js";
import { policyOutcomesOfRows } from "../results/scoped-outcomes.js";
import { bootstrapReturns } from "../scenario/bootstrap-returns.js";
import { loadScenario } from "../scenario/load-scenario.js";
import { runModes } from "../scenario/run-modes.js";
import { scenarioVenues } from "../scenario/scenario-venues.js";
import { mstressVersion } from "../version.js";

/** Paths per grid point when neither `--paths` nor the scenario's `sweep.paths` says. */
export const defaultSweepPaths = 2_000;

interface SweepOptions {
  set: SweepParameter[];
  paths?: number;
  seed: string;
  workers: number;
  modes?: MarginMode[];
  out?: string;
  json?: boolean;
  chunkSize: number;
  /** commander's --no-baseline. */
  baseline: boolean;
  under: number;
}

/** The liquidation probability a sweep's least-capital answer must stay under when the scenario sets no limit on it. */
export const defaultLiquidationLevel = 0.01;

/**
 * The level each evaluation's least capital is judged against: the scenario's own liquidationProbability limit on
 * the mode (the passive baseline is held to its mode's), else `--under`.
 */
export function liquidationLevels(scenario: Scenario, under: number): (label: string) => LiquidationLevel {
  return (label) => {
    const mode = label.replace(/-passive$/, "");
    const limits = (scenario.limits ?? []).filter((l) => l.mode === mode && l.metric === "liquidationProbability" && l.max !== undefined && l.account === undefined && l.route === undefined);
    const strictest = Math.min(...limits.map((l) => l.max ?? Number.POSITIVE_INFINITY));
    return limits.length === 0 ? { level: under, source: "default" } : { level: strictest, source: "limit" };
  };
}

function collectAssignment(value: string, previous: SweepParameter[]): SweepParameter[] {
  const parameter = parseSweepAssignment(value);
  if (typeof parameter === "string") throw new InvalidArgumentError(parameter);
  if (previous.some((p) => p.name === parameter.name)) throw new InvalidArgumentError(`${parameter.name} is set twice`);
  return [...previous, parameter];
}

export function sweepCommand(): Command {
  return new Command("sweep")
    .description("run one scenario over a grid of parameter values, the same seeds at every point (common random numbers)")
    .argument("<scenario>", "scenario YAML file with a market block")
    .addOption(new Option("--set <name=v1,v2,...>", "a swept parameter: isolatedMargin, deposit, vol, qty, horizon or a dotted path (repeat for a grid)").argParser(collectAssignment).default([]))
    .addOption(new Option("--paths <n>", `paths per grid point (default: the scenario's sweep.paths, else ${String(defaultSweepPaths)})`).argParser(positiveInteger))
    .addOption(new Option("--seed <seed>", "master seed, the same at every grid point").argParser(seedText).default("1"))
    .addOption(new Option("--workers <n>", "worker threads (at most the cores available)").argParser(positiveInteger).default(defaultWorkers()))
    .addOption(new Option("--modes <list>", "comma-separated margin modes (default: the scenario's)").argParser(modeList))
    .option("--out <dir>", "results directory (default results/<scenario>-sweep-<UTC timestamp>)")
    .option("--json", "print sweep.json on stdout")
    .option("--no-baseline", "with policies: leave out the passive rows at every point")
    .addOption(new Option("--under <probability>", "the liquidation probability the least-capital point must be shown under, for modes the scenario sets no liquidationProbability limit on").argParser(probability).default(defaultLiquidationLevel))
    .addOption(new Option("--chunk-size <n>", "paths per worker task").argParser(positiveInteger).default(250))
    .action(async (file: string, options: SweepOptions) => {
      await sweepAction(file, options);
    });
}

interface PlannedPoint {
  readonly point: number;
  readonly values: { name: string; value: number | string }[];
  readonly input: SimulationInput;
  readonly plan: SimulationPlan;
  readonly steps: number;
  readonly horizonSeconds: number;
}

/** Every grid point's scenario, validated and planned before anything runs, so bad input writes nothing. */
function planGrid(file: string, text: string, options: SweepOptions): { base: Scenario; parameters: SweepParameter[]; points: PlannedPoint[]; modes: MarginMode[]; paths: number } {
  const raw = parseScenarioYaml(text, file);
  const base = validateScenario(raw, file);
  const parameters = options.set.length > 0 ? options.set : Object.entries(base.sweep?.parameters ?? {}).map(([name, values]) => ({ name, values }));
  if (parameters.length === 0) throw new MstressError("E_BAD_INPUT", "--set: expected at least one swept parameter, such as --set isolatedMargin=1000,2000,3000 (or a sweep: block in the scenario)");
  let modes: MarginMode[] | undefined;
  const points = sweepGrid(parameters).map((values, point) => {
    const { scenario: edited, problems } = applySweepPoint(raw, values);
    if (problems.length > 0) throw new MstressError("E_BAD_INPUT", problems.join("\n"));
    const scenario = validateScenario(edited, `${file} [${sweepPointLabel(values)}]`);
    const venues: Map<string, VenueProfile> = scenarioVenues(scenario, file);
    const pointModes = runModes(scenario, venues, options.modes);
    modes ??= pointModes;
    const input: SimulationInput = { scenario, venues, bootstrap: bootstrapReturns(scenario, file), modes: pointModes, seed: options.seed, reservoirPaths: 0, baseline: options.baseline };
    const plan = planSimulation(input);
    return { point, values, input, plan, steps: plan.market.steps, horizonSeconds: plan.market.horizonSeconds };
  });
  return { base, parameters, points, modes: modes ?? [], paths: options.paths ?? base.sweep?.paths ?? defaultSweepPaths };
}

export interface SweepResult {
  readonly tool: "mstress";
  readonly version: string;
  readonly scenario: { readonly name: string; readonly file: string; readonly sha256: string };
  readonly seed: string;
  readonly pathsPerPoint: number;
  /** The evaluations of every point: the modes, each with its passive baseline for a scenario with policies. */
  readonly modes: readonly ModeLabel[];
  readonly parameters: readonly SweepParameter[];
  readonly points: readonly SweepPointSummary[];
  /** Per mode (and market): the least capital employed whose liquidation probability is shown under the level. */
  readonly leastCapital: readonly LeastCapital[];
}

const warn = (line: string): void => {
  process.stderr.write(`mstress: ${line}\n`);
};

async function sweepAction(file: string, options: SweepOptions): Promise<void> {
  const { text, sha256 } = loadScenario(file);
  const { base, parameters, points, modes, paths } = planGrid(file, text, options);
  const workers = workerCount(options.workers, warn);
  const startedAt = new Date();
  const out = resolve(options.out ?? defaultResultsPath(`${base.name}-sweep`, startedAt));
  const estimates = points.map((p) => estimateRun(p.plan, paths, workers));
  // Points run one after another and keep only their summaries: memory is one point's, time and disk the sum.
  checkRunFits(
    { seconds: estimates.reduce((sum, e) => sum + e.seconds, 0), memoryBytes: Math.max(...estimates.map((e) => e.memoryBytes)), diskBytes: 4 * 1024 * 1024 },
    { paths, out, memory: availableMemory(), freeDisk: freeDiskBytes(out) },
    warn,
  );
  const directory = ResultsDirectory.claim(out);
  const progress = progressReporter(process.stderr, `${base.name} sweep`);
  const started = performance.now();
  const summaries: SweepPointSummary[] = [];
  let sweep: SweepResult;
  let rows: SweepRow[];
  try {
    // One pool for every point: its workers stay warm from one point to the next (see SimulationPool).
    const pool = new SimulationPool(workers);
    try {
      for (const planned of points) {
        const result = await runSimulation(
          {
            input: planned.input,
            firstPath: 0,
            paths,
            workers,
            pool,
            chunkSize: options.chunkSize,
            signal: directory.signal,
            onProgress: (done) => {
              progress.update(planned.point * paths + done, points.length * paths);
              directory.checkpoint("simulate");
            },
          },
          planned.steps,
        );
        const labels = evaluationLabels(planned.input);
        const policies = outcomeEntities(planned.input.scenario).policies;
        const summary = runSummary({
          scenario: base.name,
          scenarioSha256: sha256,
          seed: options.seed,
          horizonSeconds: planned.horizonSeconds,
          modes: labels,
          rows: result.rows,
          paths: result.paths,
          policyOutcomes: policyOutcomesOfRows(result.policyRows, { firstPath: 0, modes: labels, policies }),
        });
        summaries.push({ point: planned.point, values: planned.values, modes: summary.modes, ...(summary.policies === undefined ? {} : { policies: summary.policies }) });
      }
    } finally {
      progress.finish();
      await pool.destroy();
    }
    const labels = points[0] === undefined ? modes : (evaluationLabels(points[0].input) as ModeLabel[]);
    rows = sweepRows(summaries);
    sweep = {
      tool: "mstress",
      version: mstressVersion,
      scenario: { name: base.name, file, sha256 },
      seed: options.seed,
      pathsPerPoint: paths,
      modes: labels,
      parameters,
      points: summaries,
      leastCapital: leastCapital(rows, liquidationLevels(base, options.under), paths),
    };
    const wallSeconds = (performance.now() - started) / 1000;
    const manifest = { tool: "mstress", version: mstressVersion, command: "sweep", scenario: sweep.scenario, seed: options.seed, pathsPerPoint: paths, gridPoints: points.length, modes, workers, chunkSize: options.chunkSize, node: process.version, gitCommit: gitCommit(), startedAt: startedAt.toISOString(), wallSeconds };
    directory.write({ "sweep.json": `${JSON.stringify(sweep, null, 2)}\n`, "sweep.csv": recordsCsv(sweepRecords(rows)), "scenario.yaml": text }, { record: true });
    directory.checkpoint("tables");
    const report = sweepReportPage(
      { ...sweep, scenario: { ...sweep.scenario, description: base.description }, rows, leastCapital: sweep.leastCapital, scenarioText: text, gitCommit: manifest.gitCommit },
      await chartLibraries(),
    );
    directory.write({ ...report.files, "report.html": report.html, "manifest.json": `${JSON.stringify({ ...manifest, files: directory.recorded() }, null, 2)}\n` });
    directory.checkpoint("report");
    directory.commit();
  } catch (error) {
    directory.discard();
    throw error;
  }
  if (options.json === true) process.stdout.write(`${JSON.stringify(sweep, null, 2)}\n`);
  else process.stdout.write(`${sweepTable(sweep, rows)}\n`);
  process.stderr.write(`mstress: results in ${directory.final}\n`);
}

/** One line per grid point: liquidation probability and APR on capital per mode, `*` on the frontier. */
export function sweepTable(sweep: Pick<SweepResult, "scenario" | "seed" | "pathsPerPoint" | "modes" | "points" | "leastCapital">, rows: readonly SweepRow[]): string {
  const cell = (point: number, mode: ModeLabel): string => {
    const row = rows.find((r) => r.point === point && r.mode === mode);
    return row === undefined ? "-" : `${formatPercent(row.liquidationProbability)} / ${formatPercent(row.aprOnCapital)}${row.onFrontier ? " *" : ""}`;
  };
  return [
    `sweep of ${sweep.scenario.name}, seed ${sweep.seed} at every point, ${String(sweep.pathsPerPoint)} paths per point`,
    "liquidation probability / APR on capital per mode; * = on the mode's capital-efficiency frontier",
    "",
    alignedTable([["point", ...sweep.modes], ...sweep.points.map((p) => [sweepPointLabel(p.values), ...sweep.modes.map((m) => cell(p.point, m))])]),
    "",
    "least capital whose liquidation probability is shown under the level (95 % upper bound below it):",
    ...sweep.leastCapital.map((l) => {
      const where = `${l.mode}${l.market === "" ? "" : ` at ${l.market}`}, under ${formatPercent(l.level)}${l.levelSource === "limit" ? " (the scenario's limit)" : ""}`;
      return l.point === null
        ? `  ${where}: ${l.pathsNeeded === null ? "no grid point is under it" : `none can be shown under it at ${String(sweep.pathsPerPoint)} paths per point (a point without a liquidation needs ${String(l.pathsNeeded)})`}`
        : `  ${where}: ${l.label ?? ""}, ${formatAmount(l.capitalEmployed)} employed, liquidation ${formatPercent(l.liquidationProbability)} (upper ${formatPercent(l.liquidationProbabilityHigh)}), APR ${formatPercent(l.aprOnCapital)}`;
    }),
  ].join("\n");
}
