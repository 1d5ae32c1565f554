import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command } from "commander";
import type { ModeLabel } from "@mstress/core";
import { modesInRows, recordsCsv, rowsByRun, trendRecords, trendReportPage, type TrendRow, type TrendRunRows } from "@mstress/report";
import { alignedTable, formatPercent } from "../output/aligned-table.js";
import { chartLibraries } from "../results/chart-libraries.js";
import { gitCommit } from "../results/git-commit.js";
import { ResultsDirectory, defaultResultsPath } from "../results/results-directory.js";
import { readTrendRuns } from "../results/trend-runs.js";
import { mstressVersion } from "../version.js";

interface TrendOptions {
  out?: string;
  json?: boolean;
}

/** The files a trend directory holds. */
const trendFiles = new Set(["trend.html", "trend.csv", "manifest.json", "charts"]);

/** A directory mstress trend wrote (only its files, and a manifest saying so): it may be rebuilt in place. */
function isEarlierTrend(dir: string, names: readonly string[]): boolean {
  if (!names.every((name) => trendFiles.has(name)) || !names.includes("manifest.json")) return false;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { tool?: unknown; command?: unknown };
    return manifest.tool === "mstress" && manifest.command === "trend";
  } catch {
    return false;
  }
}

/**
 * `mstress trend <dir>...`: reads finished runs of one scenario (nightly runs, say) and writes trend.html,
 * trend.csv and charts/ into a new directory: liquidation probability with its interval and APR on capital, run by
 * run, and each run's own sign-off verdict. Reads only each run's manifest.json, summary.json and scenario, so a
 * month of nights takes a second. Exits 0: the verdicts belong to the runs; 2 for bad input, with nothing written.
 */
export function trendCommand(): Command {
  return new Command("trend")
    .description("chart one scenario's finished runs over time (nightly runs): liquidation probability, APR on capital, sign-off")
    .argument("<dirs...>", "results directories of mstress run or mstress merge, of one scenario")
    .option("--out <dir>", "trend directory (default results/trend-<scenario>-<UTC timestamp>); an earlier trend there is replaced")
    .option("--json", "print trend.csv's rows as JSON on stdout")
    .action(async (dirs: string[], options: TrendOptions) => {
      await trendAction(dirs, options);
    });
}

async function trendAction(dirs: readonly string[], options: TrendOptions): Promise<void> {
  const runs = readTrendRuns(dirs);
  const name = runs[0]?.summary.scenario ?? "";
  const report = trendReportPage({ version: mstressVersion, scenarioName: name, runs }, await chartLibraries());
  const out = resolve(options.out ?? defaultResultsPath(`trend-${name}`, new Date()));
  const directory = ResultsDirectory.claim(out, { replaces: (names) => isEarlierTrend(out, names) });
  const manifest = { tool: "mstress", version: mstressVersion, command: "trend", scenario: name, runs: rowsByRun(report.rows).map(({ first }) => first.directory), gitCommit: gitCommit() };
  try {
    directory.write({ "trend.csv": recordsCsv(trendRecords(report.rows)) });
    directory.checkpoint("tables");
    directory.write({ ...report.files, "trend.html": report.html, "manifest.json": `${JSON.stringify(manifest, null, 2)}\n` });
    directory.checkpoint("report");
    directory.commit();
  } catch (error) {
    directory.discard();
    throw error;
  }
  if (options.json === true) process.stdout.write(`${JSON.stringify(trendRecords(report.rows), null, 2)}\n`);
  else process.stdout.write(`${trendTable(report.rows)}\n`);
  process.stderr.write(`mstress: trend in ${directory.final}\n`);
}

/** One line per run: start, seed, paths, sign-off, then each mode's liquidation probability and interval. */
export function trendTable(rows: readonly TrendRow[]): string {
  const modes = modesInRows(rows);
  const line = ({ first, byMode }: TrendRunRows): string[] => {
    const cell = (mode: ModeLabel): string => {
      const row = byMode.get(mode);
      return row === undefined ? "-" : `${formatPercent(row.liquidationProbability)} [${formatPercent(row.liquidationProbabilityLow)}, ${formatPercent(row.liquidationProbabilityHigh)}]`;
    };
    return [first.label, first.seed, String(first.paths), `${first.verdict}${first.scenarioChanged ? " (scenario changed)" : ""}`, ...modes.map(cell)];
  };
  return ["liquidation probability [95 % interval] per mode, run by run", "", alignedTable([["run", "seed", "paths", "sign-off", ...modes], ...rowsByRun(rows).map(line)])].join("\n");
}
