import { join, resolve } from "node:path";
import { Command } from "commander";
import { MstressError, describeZodIssue, parseScenario } from "@mstress/core";
import { accountOutcomeLines, accountOutcomesHeader, outcomeLines, outcomesHeader, outputWidths, pnlPathLines, pnlPathsHeader, policyOutcomeLines, policyOutcomesHeader, routeOutcomeLines, routeOutcomesHeader } from "@mstress/sim";
import { readInputFile } from "../input/read-input-file.js";
import { summaryTable } from "../output/summary-table.js";
import { readAccountRows, readPolicyRows, readRouteRows } from "../results/entity-outcomes.js";
import { fileLines, fileSha256 } from "../results/file-lines.js";
import { gitCommit } from "../results/git-commit.js";
import { readOutcomeRows, readPnlPaths } from "../results/outcome-table.js";
import { resultsOfRun } from "../results/read-results.js";
import { ResultsDirectory } from "../results/results-directory.js";
import { availableMemory } from "../results/run-estimate.js";
import { shardManifestSchema, type ShardManifest } from "../results/run-manifest.js";
import { runSummary, runSummaryReleasingRows, type ReleasableRows, type RunSummary } from "../results/run-summary.js";
import { accountOutcomesOfRows, policyOutcomesOfRows, routeOutcomesOfRows } from "../results/scoped-outcomes.js";
import { signOff } from "../results/sign-off.js";
import { reportFiles } from "../results/write-report.js";
import { writeParquetTables } from "../results/parquet-tables.js";
import { resultsQuoteCurrency } from "../results/quote-currency.js";

interface MergeOptions {
  out: string;
  json?: boolean;
}

interface Shard {
  readonly dir: string;
  readonly manifest: ShardManifest;
  /** "shard 2/4 (night/shard-2)": how messages name it. */
  readonly label: string;
}

const bad = (message: string): MstressError => new MstressError("E_BAD_INPUT", `merge: ${message}`);

/**
 * The files of a shard merge reads or carries over, each checked against the SHA-256 its manifest recorded
 * (policy-outcomes.csv only for a scenario with policies).
 */
function shardFiles(manifest: ShardManifest): string[] {
  const policies = (manifest.entities.policies ?? []).length > 0;
  return ["outcomes.csv", "account-outcomes.csv", "route-outcomes.csv", ...(policies ? ["policy-outcomes.csv"] : []), "pnl-paths.csv", "summary.json", "scenario.yaml"];
}

/** Paths per slice when the merged tables are formatted, so a table never sits in memory whole. */
const slicePaths = 10_000;

function readShard(dir: string): Shard {
  const file = join(dir, "manifest.json");
  const text = readInputFile(file, "manifest", `merge: ${dir}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch {
    throw bad(`${file}: is not valid JSON; expected the manifest a shard wrote`);
  }
  const parsed = shardManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(`${file}: ${issue === undefined ? "expected a shard's manifest" : describeZodIssue(issue, raw)} (a shard of an older mstress? run it again)`);
  }
  const manifest = parsed.data;
  const shard = manifest.shard === null ? "a whole run" : `shard ${String(manifest.shard.index)}/${String(manifest.shard.count)}`;
  return { dir, manifest, label: `${shard} (${dir})` };
}

/**
 * Same run, every path once: the scenario (by SHA-256, first, so a shard of another scenario is named as such),
 * then version, seed, path total, step, modes, accounts and routes; then the ranges, in path order.
 */
function checkShards(shards: readonly Shard[]): void {
  const first = shards[0];
  if (first === undefined) throw bad("expected at least one shard directory");
  const reference = first.manifest;
  const seen = new Set<string>();
  for (const shard of shards) {
    const full = resolve(shard.dir);
    if (seen.has(full)) throw bad(`${shard.dir} is given twice; expected each shard once`);
    seen.add(full);
    const m = shard.manifest;
    if (m.scenario.sha256 !== reference.scenario.sha256) throw bad(`${shard.label}: a different scenario file (sha256 ${m.scenario.sha256.slice(0, 12)}... vs ${reference.scenario.sha256.slice(0, 12)}... in ${first.label})`);
    for (const key of ["version", "seed", "totalPaths", "steps", "stepSeconds", "policySubStepSeconds", "horizonSeconds", "reservoirPaths"] as const) {
      if (m[key] !== reference[key]) throw bad(`${shard.label}: ${key} ${JSON.stringify(m[key])} differs from ${JSON.stringify(reference[key])} in ${first.label}`);
    }
    if (m.modes.join(",") !== reference.modes.join(",")) throw bad(`${shard.label}: modes ${m.modes.join(",")} differ from ${reference.modes.join(",")} in ${first.label}`);
    if (JSON.stringify(m.entities) !== JSON.stringify(reference.entities)) throw bad(`${shard.label}: accounts and routes ${JSON.stringify(m.entities)} differ from ${JSON.stringify(reference.entities)} in ${first.label}`);
    if (m.firstPath + m.paths > m.totalPaths) throw bad(`${shard.label}: paths ${String(m.firstPath)}..${String(m.firstPath + m.paths - 1)} lie beyond the run's ${String(m.totalPaths)}`);
  }
  let expectedFirst = 0;
  let previous: Shard | undefined;
  for (const shard of shards) {
    const { firstPath, paths } = shard.manifest;
    if (firstPath < expectedFirst) {
      throw bad(`paths ${String(firstPath)}..${String(Math.min(expectedFirst, firstPath + paths) - 1)} are covered twice: by ${previous?.label ?? "an earlier shard"} and by ${shard.label}; expected each path in one shard`);
    }
    if (firstPath > expectedFirst) throw bad(`paths ${String(expectedFirst)}..${String(firstPath - 1)} are missing: no shard between ${previous?.label ?? "the start"} and ${shard.label} covers them`);
    expectedFirst += paths;
    previous = shard;
  }
  if (expectedFirst !== reference.totalPaths) throw bad(`the shards cover ${String(expectedFirst)} of ${String(reference.totalPaths)} paths: paths ${String(expectedFirst)}..${String(reference.totalPaths - 1)} are missing after ${previous?.label ?? ""}`);
}

/** Each shard's files are the bytes it wrote: same size and SHA-256 as its manifest recorded, the scenario's too. */
function verifyShardFiles(shard: Shard): void {
  for (const name of shardFiles(shard.manifest)) {
    const recorded = shard.manifest.files[name];
    if (recorded === undefined) throw bad(`${shard.label}: manifest.json records no SHA-256 for ${name}; expected a shard written by this mstress (run it again)`);
    const actual = fileSha256(join(shard.dir, name), `merge: ${shard.label}: ${name}`);
    if (actual.sha256 !== recorded.sha256 || actual.bytes !== recorded.bytes) {
      throw bad(`${shard.label}: ${name} has changed since the shard wrote it (its SHA-256 differs from the one in its manifest); expected the file as written (run the shard again)`);
    }
  }
  if (shard.manifest.files["scenario.yaml"]?.sha256 !== shard.manifest.scenario.sha256) throw bad(`${shard.label}: scenario.yaml is not the scenario the manifest names (sha256 differs)`);
}

/**
 * Merges shard directories into the result one run over all their paths would have given, to the bit: the
 * outcome rows are read in path order into typed arrays (a shard's files checked against the SHA-256 recorded
 * when it wrote them) and summarised exactly as a single run summarises them. The shards must come from the same
 * scenario (by hash), seed, modes, version and path count, and cover every path once.
 */
export function mergeCommand(): Command {
  return new Command("merge")
    .description("merge shard results (mstress run --shard i/n) into one result")
    .argument("<dirs...>", "shard result directories")
    .requiredOption("--out <dir>", "directory for the merged result")
    .option("--json", "print the merged summary.json on stdout")
    .action(async (dirs: string[], options: MergeOptions) => {
      await mergeAction(dirs, options);
    });
}

async function mergeAction(dirs: readonly string[], options: MergeOptions): Promise<void> {
  const shards = dirs.map(readShard).sort((a, b) => a.manifest.firstPath - b.manifest.firstPath);
  checkShards(shards);
  shards.forEach(verifyShardFiles);
  const first = shards[0];
  if (first === undefined) throw bad("expected at least one shard directory");
  const reference = first.manifest;
  const modes: readonly string[] = reference.modes;
  const { accounts, routes } = reference.entities;
  // Results written before policies existed name no policies.
  const policies = reference.entities.policies ?? [];
  const total = reference.totalPaths;
  const widths = outputWidths(modes.length, { accounts, routes, policies }, reference.steps);
  const sampledPaths = Math.min(reference.reservoirPaths, total);
  // The rows, half as much again for the garbage of reading and summarising them, the sample, and ~256 MB of node,
  // the report's libraries and the Parquet writer (measured: 319 MiB for 60,000 paths of funding-arb-btc, 428 MiB
  // for 300,000, docs/running-at-scale.md): refuse what cannot fit.
  const memoryBytes = 256 * 1024 * 1024 + total * (widths.row + widths.accountRow + widths.routeRow + widths.policyRow) * 8 * 1.5 + sampledPaths * widths.pathSteps * 8 * 6;
  if (memoryBytes > 0.8 * availableMemory()) {
    throw bad(`${String(total)} paths need about ${String(Math.round(memoryBytes / 2 ** 20))} MiB to merge and ${String(Math.round(availableMemory() / 2 ** 20))} MiB is available; expected a machine with more memory for the merge`);
  }

  const directory = ResultsDirectory.claim(resolve(options.out));
  let summary: RunSummary;
  let summaryJson: string;
  let report: Awaited<ReturnType<typeof reportFiles>>;
  let manifest: ShardManifest;
  try {
    // Emptied as each is done with, so that what has been written and summarised is freed.
    const outcomes: ReleasableRows = { rows: new Float64Array(total * widths.row) };
    let accountRows = new Float64Array(total * widths.accountRow);
    let routeRows = new Float64Array(total * widths.routeRow);
    let policyRows = new Float64Array(total * widths.policyRow);
    const pnl = new Float64Array(sampledPaths * widths.pathSteps);
    const distance = new Float64Array(sampledPaths * widths.pathSteps);
    for (const shard of shards) {
      const { firstPath, paths } = shard.manifest;
      const origin = (name: string): string => `merge: ${join(shard.dir, name)}`;
      const lines = (name: string): Iterable<string> => fileLines(join(shard.dir, name), origin(name));
      readOutcomeRows(lines("outcomes.csv"), origin("outcomes.csv"), { firstPath, paths, modes }, { rows: outcomes.rows, firstPathOfRows: 0 });
      readAccountRows(lines("account-outcomes.csv"), origin("account-outcomes.csv"), { firstPath, paths, modes, accounts }, { rows: accountRows, firstPathOfRows: 0 });
      readRouteRows(lines("route-outcomes.csv"), origin("route-outcomes.csv"), { firstPath, paths, modes, routes }, { rows: routeRows, firstPathOfRows: 0 });
      if (policies.length > 0) readPolicyRows(lines("policy-outcomes.csv"), origin("policy-outcomes.csv"), { firstPath, paths, modes, policies }, { rows: policyRows, firstPathOfRows: 0 });
      const sampled = Math.max(0, Math.min(paths, reference.reservoirPaths - firstPath));
      readPnlPaths(lines("pnl-paths.csv"), origin("pnl-paths.csv"), { firstPath, paths: sampled, modes, steps: reference.steps }, { pnl, distance, firstPathOfRows: 0 });
      checkShardOutcomes(shard, { rows: outcomes.rows, accountRows, routeRows }, widths);
      // Reading is synchronous; between shards a signal handler gets its turn, so Ctrl-C stops a long merge.
      await new Promise<void>((resolve) => setImmediate(resolve));
      directory.checkpoint("tables");
    }
    directory.writePieces("outcomes.csv", tablePieces(outcomesHeader, total, (from, count) => outcomeLines(outcomes.rows.subarray(from * widths.row, (from + count) * widths.row), from, modes)));
    directory.writePieces("account-outcomes.csv", tablePieces(accountOutcomesHeader, total, (from, count) => accountOutcomeLines(accountRows.subarray(from * widths.accountRow, (from + count) * widths.accountRow), from, modes, accounts)));
    directory.writePieces("route-outcomes.csv", tablePieces(routeOutcomesHeader, total, (from, count) => routeOutcomeLines(routeRows.subarray(from * widths.routeRow, (from + count) * widths.routeRow), from, modes, routes)));
    if (policies.length > 0) {
      directory.writePieces("policy-outcomes.csv", tablePieces(policyOutcomesHeader, total, (from, count) => policyOutcomeLines(policyRows.subarray(from * widths.policyRow, (from + count) * widths.policyRow), from, modes, policies)));
    }
    directory.writePieces("pnl-paths.csv", [`${pnlPathsHeader}\n`, pnlPathLines(pnl, distance, 0, sampledPaths, modes, reference.steps, reference.stepSeconds)]);
    // Every row is written: the summary lets the outcome rows go, keeping each mode's PnL for the report (as a run).
    const released = runSummaryReleasingRows(
      {
        scenario: reference.scenario.name,
        scenarioSha256: reference.scenario.sha256,
        seed: reference.seed,
        horizonSeconds: reference.horizonSeconds,
        modes,
        paths: total,
        accountOutcomes: (mode) => accountOutcomesOfRows(accountRows, { firstPath: 0, modes, mode, accounts }),
        routeOutcomes: (mode) => routeOutcomesOfRows(routeRows, { firstPath: 0, modes, mode, routes }),
        policyOutcomes: (mode) => policyOutcomesOfRows(policyRows, { firstPath: 0, modes, mode, policies }),
      },
      outcomes,
    );
    summary = released.summary;
    accountRows = routeRows = policyRows = new Float64Array(0);
    summaryJson = `${JSON.stringify(summary, null, 2)}\n`;
    const scenarioText = readInputFile(join(first.dir, "scenario.yaml"), "scenario", "merge: scenario.yaml");
    directory.write({ "summary.json": summaryJson, "scenario.yaml": scenarioText }, { record: true });
    const wallSeconds = shards.reduce((sum, s) => sum + s.manifest.wallSeconds, 0);
    manifest = {
      ...reference,
      firstPath: 0,
      paths: total,
      shard: null,
      files: directory.recorded(),
      gitCommit: gitCommit(),
      wallSeconds,
      pathMinuteStepsPerSecond: (total * (reference.horizonSeconds / 60) * modes.length) / wallSeconds,
      peakRssMegabytes: Math.max(...shards.map((s) => s.manifest.peakRssMegabytes)),
      mergedFrom: shards.map((s) => s.dir),
    };
    const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
    directory.write({ "manifest.json": manifestJson });
    // The Parquet tables from the merged CSV, the very text a single run writes, so they are its bytes too.
    writeParquetTables(directory.partial, resultsQuoteCurrency(first.dir, reference.scenario.file));
    report = await reportFiles(resultsOfRun({ dir: directory.final, manifestJson, summaryJson, scenario: parseScenario(scenarioText, join(first.dir, "scenario.yaml")), scenarioText, pnlByMode: released.pnlByMode, pnlPaths: pnl, distancePaths: distance, sampledPaths }));
    directory.write(report.files);
    directory.checkpoint("report");
    directory.commit();
  } catch (error) {
    directory.discard();
    throw error;
  }
  process.stdout.write(options.json === true ? summaryJson : `${summaryTable(summary, manifest)}\n`);
  process.stderr.write(`mstress: merged result in ${directory.final}\n`);
  signOff(report.gate, options.json === true ? process.stderr : process.stdout);
}

/** A table's header, then its lines formatted `slicePaths` paths at a time. */
function* tablePieces(header: string, paths: number, lines: (from: number, count: number) => Uint8Array): Generator<Uint8Array | string> {
  yield `${header}\n`;
  for (let from = 0; from < paths; from += slicePaths) yield lines(from, Math.min(slicePaths, paths - from));
}

/**
 * A shard's rows obey the outcome contract (flags 0 or 1, a time exactly when its flag is set, no loss without a
 * liquidation...): summarising its slice runs every check the summary makes, and a violation names the shard.
 */
function checkShardOutcomes(shard: Shard, all: { rows: Float64Array; accountRows: Float64Array; routeRows: Float64Array }, widths: ReturnType<typeof outputWidths>): void {
  const { firstPath, paths, modes, entities, horizonSeconds } = shard.manifest;
  const slice = (rows: Float64Array, width: number): Float64Array => rows.subarray(firstPath * width, (firstPath + paths) * width);
  try {
    runSummary({
      scenario: "",
      scenarioSha256: "",
      seed: "",
      horizonSeconds,
      modes,
      rows: slice(all.rows, widths.row),
      paths,
      accountOutcomes: (mode) => accountOutcomesOfRows(slice(all.accountRows, widths.accountRow), { firstPath, modes, mode, accounts: entities.accounts }),
      routeOutcomes: (mode) => routeOutcomesOfRows(slice(all.routeRows, widths.routeRow), { firstPath, modes, mode, routes: entities.routes }),
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw bad(`${shard.label}: its outcome tables break the outcome contract: ${error.message.split("\n")[0] ?? ""}`);
  }
}
