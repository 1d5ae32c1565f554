import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { MstressError, describeZodIssue, parseScenario, type Scenario } from "@mstress/core";
import type { ReportManifest, ReservoirPaths, RunSummary } from "@mstress/report";
import { readInputFile } from "../input/read-input-file.js";
import { venueRecordsOf } from "../venues/venue-records.js";
import { csvColumns } from "./csv-columns.js";
import { runManifestSchema } from "./run-manifest.js";

/** What a results directory holds, read and checked, ready for the report. */
export interface RunResults {
  readonly dir: string;
  readonly manifest: ReportManifest;
  readonly summary: RunSummary;
  readonly scenario: Scenario;
  readonly scenarioText: string;
  /** Whether the scenario came from the directory's scenario.yaml (else from the file the manifest names). */
  readonly scenarioInDirectory: boolean;
  readonly pnlByMode: ReadonlyMap<string, Float64Array>;
  readonly reservoir: { readonly paths: number; readonly data: ReservoirPaths } | null;
}

/** The largest table the report reads whole (a JavaScript string holds at most ~512 MiB). */
const tableLimit = 480 * 1024 * 1024;

const bad = (message: string): MstressError => new MstressError("E_BAD_INPUT", message);

function readJson(file: string, kind: "manifest" | "summary"): unknown {
  const text = readInputFile(file, kind, kind === "manifest" ? "manifest.json" : "summary.json");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw bad(`${file}: is not valid JSON; expected the ${kind}.json mstress wrote`);
  }
}

/** The first problem zod found, as one line naming the field (`modes.isolated.pnl.mean: expected number`). */
function firstIssue<T>(schema: z.ZodType<T>, raw: unknown, origin: string, hint = ""): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw bad(`${origin}: ${issue === undefined ? "unexpected content" : describeZodIssue(issue, raw)}${hint}`);
}

const finite = z.number().refine(Number.isFinite, "expected a finite number");
const interval = z.tuple([finite, finite]);

// How the run was executed: shown when present and well formed, never required.
const executionSchemas = {
  startedAt: z.string(),
  wallSeconds: finite,
  workers: finite,
  chunkSize: finite,
  node: z.string(),
  pathMinuteStepsPerSecond: finite,
  peakRssMegabytes: finite,
  shard: z.strictObject({ index: z.number().int().positive(), count: z.number().int().positive() }).nullable(),
  mergedFrom: z.array(z.string()),
} as const;

const precisionSchema = z.looseObject({ halfWidth: finite, maxPaths: finite, batchSize: finite }).nullable();

// Every figure the report reads from a mode's summary.
const modeSummarySchema = z.looseObject({
  paths: finite,
  confidence: finite,
  liquidations: finite,
  liquidationProbability: finite,
  liquidationProbabilityCi: interval,
  hedgeBreaks: finite,
  hedgeBrokenProbability: finite,
  hedgeBrokenProbabilityCi: interval,
  lossGivenLiquidation: z.looseObject({}).nullable(),
  pnlGivenLiquidation: z.looseObject({}).nullable(),
  medianTimeToLiquidation: finite.nullable(),
  survival: z.array(z.unknown()),
  pnl: z.looseObject({ mean: finite, quantiles: z.looseObject({ p05: finite, p50: finite, p95: finite }) }),
  valueAtRisk: z.looseObject({ p95: finite, p99: finite }),
  expectedShortfall: z.looseObject({ p95: finite, p99: finite }),
  fundingReceived: z.looseObject({ mean: finite }),
  fundingEarned: z.looseObject({ mean: finite }),
  fundingPaid: z.looseObject({ mean: finite }),
  tradingFees: z.looseObject({ mean: finite }),
  liquidationFees: z.looseObject({ mean: finite }),
  capitalEmployed: z.looseObject({ mean: finite }),
  aprOnCapital: finite.nullable(),
  minDistanceToLiquidation: z.looseObject({}).nullable(),
});

const summarySchema = z.looseObject({
  scenarioSha256: z.string(),
  seed: z.string(),
  paths: finite,
  horizonSeconds: finite,
  modes: z.record(z.string(), modeSummarySchema),
});

function readManifest(file: string): ReportManifest {
  return reportManifest(readJson(file, "manifest"), file);
}

/** manifest.json's content, checked with its schema, as the report reads it. */
function reportManifest(raw: unknown, origin: string): ReportManifest {
  const m = firstIssue(runManifestSchema, raw, origin);
  const execution = Object.fromEntries(
    Object.entries(executionSchemas).flatMap(([key, schema]) => {
      const parsed = schema.safeParse((m as Record<string, unknown>)[key]);
      return parsed.success ? [[key, parsed.data]] : [];
    }),
  );
  const precision = precisionSchema.safeParse(m.precision);
  return {
    version: m.version,
    scenario: { name: m.scenario.name, file: m.scenario.file, sha256: m.scenario.sha256 },
    seed: m.seed,
    modes: m.modes,
    paths: m.paths,
    steps: m.steps,
    stepSeconds: m.stepSeconds,
    policySubStepSeconds: m.policySubStepSeconds ?? null,
    horizonSeconds: m.horizonSeconds,
    reservoirPaths: m.reservoirPaths,
    stopReason: m.stopReason,
    precision: precision.success && precision.data !== null ? { halfWidth: precision.data.halfWidth, maxPaths: precision.data.maxPaths, batchSize: precision.data.batchSize } : null,
    gitCommit: m.gitCommit,
    ...venueRecordsOf(m),
    execution,
  };
}

function readSummary(file: string, manifest: ReportManifest): RunSummary {
  return checkedSummary(readJson(file, "summary"), file, manifest);
}

function checkedSummary(raw: unknown, file: string, manifest: ReportManifest): RunSummary {
  const summary = firstIssue(summarySchema, raw, file, " (a summary from an older mstress? run it again)") as unknown as RunSummary;
  if (summary.scenarioSha256 !== manifest.scenario.sha256 || summary.seed !== manifest.seed || summary.paths !== manifest.paths) {
    throw bad(`${file}: scenario hash, seed or paths differ from manifest.json; expected the summary of this run`);
  }
  const modes = Object.keys(summary.modes);
  if (modes.join(",") !== manifest.modes.join(",")) throw bad(`${file}: modes ${modes.join(",")} differ from manifest.json's ${manifest.modes.join(",")}`);
  return summary;
}

function readOutcomes(file: string, manifest: ReportManifest): Map<string, Float64Array> {
  const { rows, numbers, texts } = csvColumns(readInputFile(file, "csv", "outcomes.csv", tableLimit), file, { numbers: ["path", "pnl"], texts: ["mode"] });
  const modes = manifest.modes;
  if (rows !== manifest.paths * modes.length) throw bad(`${file}: expected ${manifest.paths * modes.length} rows (${manifest.paths} paths x ${modes.length} modes), got ${rows}`);
  const pnlByMode = new Map(modes.map((mode) => [mode, new Float64Array(manifest.paths)]));
  for (let r = 0; r < rows; r++) {
    const mode = texts.mode[r] ?? "";
    const expected = modes[r % modes.length] ?? "";
    if (mode !== expected) throw bad(`${file}: row ${r + 2}: expected mode ${expected}, got ${JSON.stringify(mode)}`);
    const pnl = numbers.pnl[r] ?? Number.NaN;
    if (Number.isNaN(pnl)) throw bad(`${file}: row ${r + 2}: expected a PnL`);
    const column = pnlByMode.get(mode);
    if (column !== undefined) column[Math.floor(r / modes.length)] = pnl;
  }
  return pnlByMode;
}

function readReservoir(file: string, manifest: ReportManifest): { paths: number; data: ReservoirPaths } | null {
  if (!existsSync(file)) return null;
  const { rows, numbers, texts, present } = csvColumns(readInputFile(file, "csv", "pnl-paths.csv", tableLimit), file, { numbers: ["path", "t", "pnl", "distanceToLiquidation"], texts: ["mode"], optional: ["distanceToLiquidation"] });
  if (rows === 0) return null;
  const unknown = texts.mode.findIndex((mode) => !manifest.modes.includes(mode));
  if (unknown >= 0) throw bad(`${file}: row ${unknown + 2}: expected a mode of the run (${manifest.modes.join(", ")}), got ${JSON.stringify(texts.mode[unknown])}`);
  const paths = new Set(numbers.path).size;
  return { paths, data: { mode: texts.mode, t: numbers.t, pnl: numbers.pnl, distanceToLiquidation: present.has("distanceToLiquidation") ? numbers.distanceToLiquidation : null } };
}

// The scenario the run used: the directory's copy, else the file the manifest names if it still has the run's hash.
function readScenarioText(dir: string, manifest: ReportManifest): { text: string; origin: string; inDirectory: boolean } {
  const sha = (text: string): string => createHash("sha256").update(text).digest("hex");
  const copy = join(dir, "scenario.yaml");
  if (existsSync(copy)) {
    const text = readInputFile(copy, "scenario", "scenario.yaml");
    if (sha(text) !== manifest.scenario.sha256) throw bad(`${copy}: its sha256 differs from the run's (${manifest.scenario.sha256.slice(0, 12)}...); expected the scenario file the run used`);
    return { text, origin: copy, inDirectory: true };
  }
  const original = resolve(manifest.scenario.file);
  if (existsSync(original) && statSync(original).isFile()) {
    const text = readInputFile(original, "scenario", "scenario");
    if (sha(text) === manifest.scenario.sha256) return { text, origin: manifest.scenario.file, inDirectory: false };
  }
  throw bad(`${dir}: has no scenario.yaml, and ${manifest.scenario.file} is missing or has changed since the run; copy the scenario the run used to ${copy}`);
}

/**
 * Reads a results directory of `mstress run` or `mstress merge` for the report: manifest.json, summary.json and
 * outcomes.csv must be there and agree with one another; pnl-paths.csv (and its distance column) is optional, as
 * in directories written before it existed; the scenario comes from the directory's scenario.yaml or, failing
 * that, from the file the manifest names, checked against the run's hash. Anything missing or inconsistent is bad
 * input (exit 2) with one line naming the file and what was expected; nothing is written here.
 */
export function readResults(dir: string): RunResults {
  const run = readRunSummary(dir, "report", ["outcomes.csv"]);
  const pnlByMode = readOutcomes(join(dir, "outcomes.csv"), run.manifest);
  const reservoir = readReservoir(join(dir, "pnl-paths.csv"), run.manifest);
  return { ...run, pnlByMode, reservoir };
}

/** A finished run's manifest, summary and scenario, without its per-path tables. */
export type RunSummaryResults = Omit<RunResults, "pnlByMode" | "reservoir">;

/**
 * The summary side of `readResults`: manifest.json and summary.json, checked against each other, and the scenario
 * the run used (for its limits). Enough for a trend over many nights without reading every outcome row.
 * `command` names the caller in messages; `alsoRequired` are further files the caller needs.
 */
export function readRunSummary(dir: string, command = "report", alsoRequired: readonly string[] = []): RunSummaryResults {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw bad(`${command}: ${JSON.stringify(dir)} is not a directory; expected a results directory of mstress run or merge`);
  const missing = ["manifest.json", "summary.json", ...alsoRequired].filter((name) => !existsSync(join(dir, name)));
  if (missing.length > 0) throw bad(`${command}: ${JSON.stringify(dir)} has no ${missing.join(", ")}; expected a finished mstress run`);
  const manifest = readManifest(join(dir, "manifest.json"));
  const summary = readSummary(join(dir, "summary.json"), manifest);
  const source = readScenarioText(dir, manifest);
  const scenario = parseScenario(source.text, source.origin);
  return { dir, manifest, summary, scenario, scenarioText: source.text, scenarioInDirectory: source.inDirectory };
}

/** A finished run still in memory: what its results directory holds, before it is read back. */
export interface RunInMemory {
  readonly dir: string;
  /** manifest.json and summary.json as written. */
  readonly manifestJson: string;
  readonly summaryJson: string;
  readonly scenario: Scenario;
  readonly scenarioText: string;
  /** Each mode's PnL in path order (`pnlByModeOfColumns`), and the sampled paths' PnL and distance. */
  readonly pnlByMode: ReadonlyMap<string, Float64Array>;
  readonly pnlPaths: Float64Array;
  readonly distancePaths: Float64Array;
  readonly sampledPaths: number;
}

/**
 * What `readResults` would give for a run's directory, built from the run in memory so that `mstress run` does not
 * read back the tables it has just written. The tables hold these very doubles (each written in its shortest
 * round-trip form, NaN as an empty cell), so the values are the ones a later `mstress report` reads; −0, which
 * the CSV writes as 0, is made +0 here. manifest.json and summary.json are parsed from the text written, as a
 * rebuild parses them. report-command.test.ts checks that the run's page and a rebuild's are the same bytes.
 */
export function resultsOfRun(run: RunInMemory): RunResults {
  const manifest = reportManifest(JSON.parse(run.manifestJson) as unknown, join(run.dir, "manifest.json"));
  const summary = checkedSummary(JSON.parse(run.summaryJson) as unknown, join(run.dir, "summary.json"), manifest);
  const modes = manifest.modes;
  if (modes.some((mode) => run.pnlByMode.get(mode)?.length !== manifest.paths)) throw new MstressError("E_INVARIANT", `the run's PnL columns do not hold ${String(manifest.paths)} paths of every mode (${modes.join(", ")})`);
  const steps = manifest.steps;
  const count = run.sampledPaths * modes.length * steps;
  const reservoir = count === 0 ? null : { paths: run.sampledPaths, data: reservoirOfRun(run, modes, steps, manifest.stepSeconds, count) };
  return { dir: run.dir, manifest, summary, scenario: run.scenario, scenarioText: run.scenarioText, scenarioInDirectory: true, pnlByMode: run.pnlByMode, reservoir };
}

/** The sampled paths in pnl-paths.csv's order: entry r is path ⌊r / (modes·steps)⌋, mode ⌊r / steps⌋ mod modes, step r mod steps. */
function reservoirOfRun(run: RunInMemory, modes: readonly string[], steps: number, stepSeconds: number, count: number): ReservoirPaths {
  const mode = new Array<string>(count);
  const t = new Float64Array(count);
  const pnl = new Float64Array(count);
  const distanceToLiquidation = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    mode[r] = modes[Math.floor(r / steps) % modes.length] ?? "";
    t[r] = ((r % steps) + 1) * stepSeconds;
    pnl[r] = (run.pnlPaths[r] ?? Number.NaN) + 0;
    distanceToLiquidation[r] = (run.distancePaths[r] ?? Number.NaN) + 0;
  }
  return { mode, t, pnl, distanceToLiquidation };
}
