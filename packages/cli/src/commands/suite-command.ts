import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { Command, Option } from "commander";
import { MstressError } from "@mstress/core";
import { recordsCsv, suiteCsvRecords, suiteIndexPage, suiteRecord, type SuiteEntry, type SuiteRecord } from "@mstress/report";
import { positiveInteger, seedText } from "../options/option-parsers.js";
import { suiteTable } from "../output/suite-table.js";
import { chartLibraries } from "../results/chart-libraries.js";
import { gitCommit } from "../results/git-commit.js";
import { OutputLock } from "../results/output-lock.js";
import { ResultsDirectory, defaultResultsPath } from "../results/results-directory.js";
import { SignOffExit } from "../results/sign-off.js";
import { replaceFiles } from "../results/write-report.js";
import { runSuite, suiteConcurrency } from "../suite/run-suite.js";
import { entriesOfResults, entriesOfRuns, readPreviousSuite, type PreviousSuite } from "../suite/suite-entries.js";
import { suiteScenarios, type SuiteScenario } from "../suite/suite-scenarios.js";
import { mstressVersion } from "../version.js";

interface SuiteOptions {
  paths?: number;
  seed?: string;
  out?: string;
  jobs?: number;
  workers?: number;
  previous?: string;
  fromResults?: string;
  plan?: boolean;
  json?: boolean;
}

const log = (line: string): void => {
  process.stderr.write(`mstress: suite: ${line}\n`);
};

/**
 * `mstress suite <scenario...|dir>`: the nightly as a desk runs it. Every scenario that `mstress run` can run is run
 * with the night's seed and paths into `<out>/<name>/` (a standalone run's bytes), and the suite writes index.html
 * (every route's sign-off, liquidation probability and APR on capital per mode with their intervals, and the move
 * since `--previous`), suite.json and suite.csv. The suite directory appears complete or not at all. Exit: 2 if a
 * scenario was bad input, 4 if one failed to run, else the worst sign-off (1 fail, 3 undecided, 0 pass or no
 * limits); the others still run. `--from-results` builds the same files from results a batch engine merged.
 */
export function suiteCommand(): Command {
  return new Command("suite")
    .description("run many scenarios as one night: each into <out>/<name>/, with index.html, suite.json and suite.csv; exits by the worst verdict")
    .argument("<scenarios...>", "scenario files, or directories of them (their *.yaml)")
    .addOption(new Option("--paths <n>", "paths per scenario (default 10,000)").argParser(positiveInteger))
    .addOption(new Option("--seed <seed>", "the night's seed, for every scenario (default 1)").argParser(seedText))
    .option("--out <dir>", "suite directory (default results/suite-<UTC timestamp>); must be new or empty")
    .addOption(new Option("--jobs <n>", "scenarios run at once (default 1; at most the cores)").argParser(positiveInteger))
    .addOption(new Option("--workers <n>", "worker threads per scenario (default: the cores shared among the jobs)").argParser(positiveInteger))
    .option("--previous <dir>", "an earlier suite directory: each route's move since then")
    .option("--from-results <dir>", "build the index from finished results in <dir>/<name>/ (merged by a batch engine) instead of running")
    .option("--plan", "print the scenarios that would run, one a line as <name><TAB><file>, and exit")
    .option("--json", "print suite.json on stdout")
    .action(async (args: string[], options: SuiteOptions) => {
      await suiteAction(args, options);
    });
}

async function suiteAction(args: readonly string[], options: SuiteOptions): Promise<void> {
  if (options.fromResults !== undefined) {
    for (const flag of ["out", "jobs", "workers"] as const) {
      if (options[flag] !== undefined) throw new MstressError("E_BAD_INPUT", `--${flag}: does not apply with --from-results (the results are already made; the index is written into ${options.fromResults})`);
    }
  }
  const scenarios = suiteScenarios(args);
  if (options.plan === true) {
    for (const s of scenarios) {
      if (s.status === "run") process.stdout.write(`${s.name}\t${s.file}\n`);
      else log(`${s.status}: ${s.name} (${s.file}): ${s.reason ?? ""}`);
    }
    return;
  }
  if (!scenarios.some((s) => s.status === "run")) {
    throw new MstressError("E_BAD_INPUT", `suite: no scenario to run; expected at least one with a market block:\n${scenarios.map((s) => `${s.file}: ${s.status}: ${s.reason ?? ""}`).join("\n")}`);
  }
  const previous: PreviousSuite = options.previous === undefined ? new Map() : readPreviousSuite(options.previous);
  const started = new Date();
  if (options.fromResults !== undefined) {
    await suiteFromResults(scenarios, options.fromResults, options, previous, started);
    return;
  }
  const paths = options.paths ?? 10_000;
  const seed = options.seed ?? "1";
  const { jobs, workers } = suiteConcurrency({ jobs: options.jobs ?? 1, ...(options.workers === undefined ? {} : { workers: options.workers }) }, scenarios.filter((s) => s.status === "run").length, (line) => { log(line); });
  const out = resolve(options.out ?? defaultResultsPath("suite", started));
  const directory = ResultsDirectory.claim(out);
  let record: SuiteRecord;
  try {
    log(`${String(scenarios.filter((s) => s.status === "run").length)} scenarios, seed ${seed}, ${String(paths)} paths each, ${String(jobs)} at a time with ${String(workers)} worker${workers === 1 ? "" : "s"} each`);
    const outcomes = await runSuite(scenarios, { paths, seed, jobs, workers, into: directory.partial, signal: directory.signal, log });
    record = suiteRecord({ version: mstressVersion, seed, paths, previous: options.previous ?? null, entries: entriesOfRuns(scenarios, outcomes, previous) });
    const manifest = suiteManifest(record, scenarios, started, { jobs, workers });
    // index.html last: whatever is read first, the page that says the night is complete comes with everything.
    directory.write(await suiteFiles(record, manifest));
    directory.checkpoint("report");
    directory.commit();
  } catch (error) {
    directory.discard();
    throw error;
  }
  finish(record, directory.final, options.json === true);
}

/**
 * `--from-results <dir>`: the routes' results were made elsewhere (a batch engine's merges); their figures are read
 * and the suite's files written into `<dir>` beside them, each whole (index.html last), under a lock so two
 * writers cannot mix. A directory without index.html never looks like a finished night.
 */
async function suiteFromResults(scenarios: readonly SuiteScenario[], dir: string, options: SuiteOptions, previous: PreviousSuite, started: Date): Promise<void> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new MstressError("E_BAD_INPUT", `--from-results: ${JSON.stringify(dir)} is not a directory; expected the suite directory the routes' results were merged into`);
  const read = entriesOfResults(scenarios, dir, { ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.paths === undefined ? {} : { paths: options.paths }) }, previous);
  const record = suiteRecord({ version: mstressVersion, seed: read.seed ?? options.seed ?? "", paths: read.paths ?? options.paths ?? 0, previous: options.previous ?? null, entries: read.entries });
  const files = await suiteFiles(record, suiteManifest(record, scenarios, started, null));
  const full = resolve(dir);
  const lock = OutputLock.acquire(join(dirname(full), `.${basename(full)}.lock`), "--from-results", full);
  try {
    replaceFiles(full, files);
  } finally {
    lock.release();
  }
  finish(record, full, options.json === true);
}

/** suite.json, suite.csv, the chart's files, manifest.json and index.html (last), by name. */
async function suiteFiles(record: SuiteRecord, manifest: object): Promise<Record<string, string>> {
  const page = suiteIndexPage(record, await chartLibraries());
  return {
    "suite.json": `${JSON.stringify(record, null, 2)}\n`,
    "suite.csv": recordsCsv(suiteCsvRecords(record)),
    ...page.files,
    "manifest.json": `${JSON.stringify(manifest, null, 2)}\n`,
    "index.html": page.html,
  };
}

/** How the suite was carried out (suite.json holds what it found): kept apart so suite.json is the same wherever it is built. */
function suiteManifest(record: SuiteRecord, scenarios: readonly SuiteScenario[], started: Date, concurrency: { jobs: number; workers: number } | null) {
  return {
    tool: "mstress",
    version: mstressVersion,
    command: "suite",
    seed: record.seed,
    paths: record.paths,
    scenarios: scenarios.map((s) => s.file),
    previous: record.previous,
    builtFrom: concurrency === null ? "results" : "runs",
    ...(concurrency === null ? {} : concurrency),
    node: process.version,
    gitCommit: gitCommit(),
    startedAt: started.toISOString(),
    wallSeconds: (Date.now() - started.getTime()) / 1000,
  };
}

/** Prints the suite (or suite.json) and ends with its exit status. */
function finish(record: SuiteRecord, directory: string, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(record, null, 2)}\n` : `${suiteTable(record, directory)}\n`);
  const named = (status: SuiteEntry["status"]): string => record.scenarios.filter((s) => s.status === status).map((s) => s.name).join(", ");
  switch (record.exitCode) {
    case 0:
      return;
    case 2:
      throw new MstressError("E_BAD_INPUT", `suite: bad input: ${named("bad input")} (the others ran; see ${join(directory, "index.html")})`);
    case 4:
      throw new MstressError("E_INVARIANT", `suite: failed to run: ${named("error")} (the others ran; see ${join(directory, "index.html")})`);
    default:
      throw new SignOffExit({ verdict: record.outcome === "fail" ? "fail" : "undecided", exitCode: record.exitCode, evaluations: [] });
  }
}
