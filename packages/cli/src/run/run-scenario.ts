import { dirname, resolve } from "node:path";
import { MstressError, type MarginMode } from "@mstress/core";
import { planSimulation, runSimulation, type RunResult, type SimulationInput } from "@mstress/sim";
import type { GateResult, VenueFileRecord } from "@mstress/report";
import { shardRange } from "../options/shard-range.js";
import { workerCount } from "../options/worker-count.js";
import { gitCommitLater } from "../results/git-commit.js";
import { liquidationCount } from "../results/liquidation-count.js";
import { ResultsDirectory, defaultResultsPath } from "../results/results-directory.js";
import type { RunManifest } from "../results/run-manifest.js";
import { availableMemory, checkRunFits, estimateRun, freeDiskBytes } from "../results/run-estimate.js";
import type { RunSummary } from "../results/run-summary.js";
import { accountOutcomesOfRows, policyOutcomesOfRows, routeOutcomesOfRows } from "../results/scoped-outcomes.js";
import { ParquetThread } from "../results/parquet-thread.js";
import { parquetFromRows, runRowBytes, runRowTables } from "../results/run-row-tables.js";
import { TableFiles } from "../results/table-files.js";
import { scenarioQuoteCurrency } from "../results/quote-currency.js";
import { bootstrapReturns } from "../scenario/bootstrap-returns.js";
import type { LoadedScenario } from "../scenario/load-scenario.js";
import { runModes } from "../scenario/run-modes.js";
import { scenarioVenues } from "../scenario/scenario-venues.js";
import { mstressVersion } from "../version.js";
import { scenarioVenueRecords } from "../venues/venue-records.js";
import { compactDuration } from "../scenario/compact-duration.js";

/**
 * Paths whose PnL and distance to liquidation are kept at every step for the fan charts: the first ones (paths are
 * i.i.d., so a fair sample). 100, not 200: a sampled path costs about four ordinary ones (~1.6 ms more to
 * simulate, mostly the daily solver distance, and ~2.5 ms to format its 2,160 lines for a 30-day, 1 h-step,
 * three-mode run), so 200 added ~6 % to the 10,000-path benchmark and 100 adds ~3 %.
 */
export const reservoirPaths = 100;

/**
 * What a run needs once its paths are simulated: the summary (arquero), the report and its chart libraries. Loaded
 * while the workers start and simulate (~0.5 s of module loading off the run's path), not before. The Parquet
 * writer loads on its own thread (ParquetThread).
 */
async function finishingModules() {
  const [report, summary, results, page] = await Promise.all([import("@mstress/report"), import("../results/run-summary.js"), import("../results/read-results.js"), import("../results/write-report.js")]);
  return { wilsonInterval: report.wilsonInterval, runSummaryReleasingRows: summary.runSummaryReleasingRows, resultsOfRun: results.resultsOfRun, reportFiles: page.reportFiles };
}

/** A run's result whose arrays the run empties as it is done with each, so each is freed. */
type HeldRun = { -readonly [K in keyof RunResult]: RunResult[K] };

/**
 * The simulation's result, awaited in this frame and copied: the simulation's settled promise, which would keep
 * every array of the result alive, is unreachable once this returns, and the caller holds the arrays only through
 * the copy (at 10^6 paths the outcome rows alone are 312 MB).
 */
async function heldResult(simulating: Promise<RunResult>): Promise<HeldRun> {
  return { ...(await simulating) };
}

/**
 * Waits for `work` or until `signal` aborts, whichever comes first: a Ctrl-C while the Parquet thread writes the
 * tables of a large run (tens of seconds at 10^6 paths) ends the run at once. The caller's checkpoint then throws,
 * and the thread is stopped before the partial directory is removed.
 */
async function unlessAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  let onAbort = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** What a run simulates and where it writes: `mstress run`'s flags, checked. */
export interface RunSettings {
  readonly paths: number;
  readonly seed: string;
  readonly workers: number;
  readonly modes?: MarginMode[];
  readonly out?: string;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly precision?: number;
  readonly maxPaths?: number;
  readonly chunkSize: number;
  readonly batchSize: number;
  /** false leaves the passive rows out of a scenario with policies. */
  readonly baseline: boolean;
}

/** Progress as paths finish: `update` after each chunk, `finish` when the simulation ends (or fails). */
export interface RunProgress {
  readonly update: (done: number, total: number) => void;
  readonly finish: () => void;
}

/** Where a run reports while it works: warnings, and progress (started once the directory is claimed). */
export interface RunHooks {
  readonly warn: (line: string) => void;
  readonly startProgress: (scenarioName: string) => RunProgress;
}

/** A run whose results directory is complete and in place. */
export interface FinishedRun {
  readonly directory: string;
  readonly summary: RunSummary;
  /** summary.json as written. */
  readonly summaryJson: string;
  readonly manifest: RunManifest;
  /** The sign-off gate; null for a shard, whose verdict would be half a run's (the merge judges). */
  readonly gate: GateResult | null;
}

/**
 * The Monte Carlo behind `mstress run` (and each scenario of `mstress suite`): validates the plan, claims the
 * results directory, simulates, writes the tables, summary.json, manifest.json, the Parquet tables and (not for a
 * shard) the report into the hidden partial directory, and renames it into place last. Any failure or signal
 * leaves nothing that looks like a result. Bad input is refused before anything is written.
 */
export async function runScenario(loaded: LoadedScenario, settings: RunSettings, hooks: RunHooks): Promise<FinishedRun> {
  const { file, text, sha256, scenario } = loaded;
  const venues = scenarioVenues(scenario, file);
  const modes = runModes(scenario, venues, settings.modes);
  const input: SimulationInput = { scenario, venues, bootstrap: bootstrapReturns(scenario, file), modes, seed: settings.seed, reservoirPaths, baseline: settings.baseline };
  // Validated here, in the main thread, so bad input fails before a worker starts or a file is written.
  const plan = planSimulation(input);
  const labels = plan.evaluations.map((evaluation) => evaluation.label);
  const stepAuto = plan.scenario.market?.stepAuto;
  if (stepAuto !== undefined) hooks.warn(`market.step auto: ${stepAuto} (write market.step to override)`);
  const subStepSeconds = plan.policySubStepSeconds;
  if (subStepSeconds !== null) hooks.warn(`policies: timed on ${compactDuration(subStepSeconds)} sub-steps of the steps where one may act`);
  const totalPaths = settings.precision === undefined ? settings.paths : (settings.maxPaths ?? 100_000);
  const range = shardRange(totalPaths, settings.shard);
  if (range.count === 0) {
    throw new MstressError("E_BAD_INPUT", `--shard: shard ${String(settings.shard?.index)}/${String(settings.shard?.count)} of ${String(totalPaths)} paths holds no path; expected at most ${String(totalPaths)} shards`);
  }
  const workers = workerCount(settings.workers, hooks.warn);
  const startedAt = new Date();
  const venueFiles: readonly VenueFileRecord[] = scenarioVenueRecords(scenario, file, startedAt.getTime());
  const out = resolve(settings.out ?? defaultResultsPath(scenario.name, startedAt));
  checkRunFits(estimateRun(plan, range.count, workers), { paths: range.count, out, memory: availableMemory(), freeDisk: freeDiskBytes(out) }, hooks.warn);

  const directory = ResultsDirectory.claim(out);
  const commit = gitCommitLater();
  const progress = hooks.startProgress(scenario.name);
  const started = performance.now();
  let tables: TableFiles | undefined;
  let parquet: ParquetThread | undefined;
  try {
    // The tables are written into the partial directory as chunks arrive (formatted by the workers).
    const tableFiles = new TableFiles(directory, range.first, plan.entities.policies.length > 0);
    tables = tableFiles;
    // With --precision the stopping rule needs the Wilson interval before the first batch ends.
    const early = settings.precision === undefined ? undefined : await finishingModules();
    let held: HeldRun;
    let finishing: ReturnType<typeof finishingModules> | undefined;
    try {
      const holding = heldResult(
        runSimulation(
          {
            input,
            firstPath: range.first,
            paths: range.count,
            workers,
            chunkSize: settings.chunkSize,
            signal: directory.signal,
            onProgress: (done, total) => {
              progress.update(done, total);
              directory.checkpoint("simulate");
            },
            onTables: (first, paths, lines) => {
              tableFiles.add(first, paths, lines);
            },
            ...(settings.precision === undefined || early === undefined
              ? {}
              : { precision: { batchSize: settings.batchSize, isPrecise: (rows: Float64Array, paths: number) => preciseEnough(rows, paths, labels.length, settings.precision ?? 0, early.wilsonInterval) } }),
          },
          plan.market.steps,
        ),
      );
      // The pool has started its workers (runSimulation creates it before its first await).
      finishing = early === undefined ? finishingModules() : Promise.resolve(early);
      parquet = new ParquetThread();
      // A failed simulation is thrown below; the modules' promise must not be reported as unhandled meanwhile.
      void finishing.catch(() => undefined);
      held = await holding;
    } finally {
      progress.finish();
    }
    tableFiles.close(true);
    directory.checkpoint("tables");
    if (tableFiles.end !== held.firstPath + held.paths) throw new MstressError("E_INVARIANT", `tables written up to path ${tableFiles.end}, expected ${held.firstPath + held.paths}`);
    // The Parquet tables on their own thread: while this one summarises and writes the report, from a copy of the
    // rows (the same bytes as from the CSV, which a merge writes them from); or, for a large run, from the CSV just
    // closed, once the summary has let the rows go (parquetOverlapBytes), so its rows are never held twice.
    const parquetThread = parquet;
    const writeParquet = (fromRows: boolean): Promise<void> => {
      const request = { directory: directory.partial, quoteCurrency: scenarioQuoteCurrency(scenario, dirname(resolve(file))) };
      // A file system error (a full disk) is this run's write error, exit 2, as any file's; anything else stays ours.
      const writing = parquetThread.write(fromRows ? { ...request, rows: runRowTables(held, labels, plan.entities) } : request).catch((error: unknown) => {
        throw typeof (error as NodeJS.ErrnoException).code === "string" ? directory.writeError("the Parquet tables", error) : error;
      });
      // Awaited before the rename; a failure of the summary meanwhile must not leave it unhandled.
      void writing.catch(() => undefined);
      return writing;
    };
    let parquetWritten = parquetFromRows(runRowBytes(held)) ? writeParquet(true) : undefined;
    const { accounts, routes, policies } = plan.entities;
    const { runSummaryReleasingRows, resultsOfRun, reportFiles } = await finishing;
    const { firstPath } = held;
    // Every row is written: the summary lets the outcome rows go, keeping each mode's PnL for the report.
    const { summary, pnlByMode } = runSummaryReleasingRows(
      {
        scenario: scenario.name,
        scenarioSha256: sha256,
        seed: settings.seed,
        horizonSeconds: plan.market.horizonSeconds,
        modes: labels,
        paths: held.paths,
        accountOutcomes: (mode) => accountOutcomesOfRows(held.accountRows, { firstPath, modes: labels, mode, accounts }),
        routeOutcomes: (mode) => routeOutcomesOfRows(held.routeRows, { firstPath, modes: labels, mode, routes }),
        policyOutcomes: (mode) => policyOutcomesOfRows(held.policyRows, { firstPath, modes: labels, mode, policies }),
      },
      held,
    );
    held.accountRows = new Float64Array(0);
    held.routeRows = new Float64Array(0);
    held.policyRows = new Float64Array(0);
    parquetWritten ??= writeParquet(false);
    const summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
    // The scenario as run goes with the results (shards too), so the directory reports and merges anywhere.
    directory.write({ "scenario.yaml": text, "summary.json": summaryJson }, { record: true });
    // The run's time as a user waits for it: simulation, tables (written as chunks arrived) and the summary; the
    // report and the last small writes fall outside (the benchmark times the whole command).
    const wallSeconds = (performance.now() - started) / 1000;
    const manifest: RunManifest = {
      tool: "mstress",
      version: mstressVersion,
      scenario: { name: scenario.name, file, sha256 },
      venues: venueFiles,
      seed: settings.seed,
      modes: labels,
      totalPaths: settings.precision === undefined ? totalPaths : held.paths,
      firstPath: held.firstPath,
      paths: held.paths,
      shard: settings.shard ?? null,
      steps: plan.market.steps,
      stepSeconds: plan.market.stepSeconds,
      stepAuto: plan.scenario.market?.stepAuto ?? null,
      policySubStepSeconds: subStepSeconds,
      horizonSeconds: plan.market.horizonSeconds,
      reservoirPaths,
      entities: { accounts: plan.entities.accounts, routes: plan.entities.routes, policies: plan.entities.policies },
      stopReason: held.stopReason,
      precision: settings.precision === undefined ? null : { halfWidth: settings.precision, maxPaths: totalPaths, batchSize: settings.batchSize },
      files: directory.recorded(),
      workers,
      chunkSize: settings.chunkSize,
      node: process.version,
      gitCommit: await commit,
      startedAt: startedAt.toISOString(),
      wallSeconds,
      pathMinuteStepsPerSecond: (held.paths * (plan.market.horizonSeconds / 60) * labels.length) / wallSeconds,
      peakRssMegabytes: process.resourceUsage().maxRSS / 1024,
    };
    const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
    directory.write({ "manifest.json": manifestJson });
    // A shard is only part of a run: its report and verdict come from the merge.
    let gate: GateResult | null = null;
    if (settings.shard === undefined) {
      const report = await reportFiles(
        resultsOfRun({ dir: directory.final, manifestJson, summaryJson, scenario, scenarioText: text, pnlByMode, pnlPaths: held.pnlPaths, distancePaths: held.distancePaths, sampledPaths: held.sampledPaths }),
      );
      directory.write(report.files);
      gate = report.gate;
    }
    await unlessAborted(parquetWritten, directory.signal);
    directory.checkpoint("report");
    directory.commit();
    return { directory: directory.final, summary, summaryJson, manifest, gate };
  } catch (error) {
    tables?.close();
    // Stopped before the partial directory goes, so the thread cannot write into it afterwards.
    await parquet?.stop();
    directory.discard();
    throw error;
  }
}

/** Every mode's 95 % Wilson interval of the liquidation probability is narrower than ±halfWidth. */
function preciseEnough(rows: Float64Array, paths: number, modes: number, limit: number, wilsonInterval: (events: number, trials: number) => readonly [number, number]): boolean {
  for (let m = 0; m < modes; m++) {
    const liquidations = liquidationCount(rows, paths, modes, m);
    const [low, high] = wilsonInterval(liquidations, paths);
    if ((high - low) / 2 >= limit) return false;
  }
  return true;
}
