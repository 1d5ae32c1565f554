import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { evaluateLimits, runReportPage, type GateResult } from "@mstress/report";
import { chartLibraries } from "./chart-libraries.js";
import { scenarioQuoteCurrency } from "./quote-currency.js";
import { readResults, type RunResults } from "./read-results.js";

/**
 * Writes `files` (relative paths) into `dir` so that each appears whole or not at all: charts/ is built in a hidden
 * sibling and swapped in by renames, every other file is written under a hidden name and renamed over the old one.
 * Charts go first, so a report.html is never newer than the charts beside it.
 */
export function replaceFiles(dir: string, files: Readonly<Record<string, string>>): void {
  const stamp = `partial-${String(process.pid)}`;
  const chartsDir = join(dir, "charts");
  const newCharts = join(dir, `.charts.${stamp}`);
  const oldCharts = join(dir, `.charts.old-${String(process.pid)}`);
  const loose = Object.entries(files).filter(([name]) => !name.startsWith("charts/"));
  const temporary = loose.map(([name]) => join(dir, `.${name}.${stamp}`));
  try {
    mkdirSync(newCharts, { recursive: true });
    for (const [name, content] of Object.entries(files)) if (name.startsWith("charts/")) writeFileSync(join(newCharts, name.slice("charts/".length)), content);
    loose.forEach(([, content], i) => { writeFileSync(temporary[i] ?? "", content); });
    if (existsSync(chartsDir)) renameSync(chartsDir, oldCharts);
    renameSync(newCharts, chartsDir);
    rmSync(oldCharts, { recursive: true, force: true });
    loose.forEach(([name], i) => { renameSync(temporary[i] ?? "", join(dir, name)); });
  } catch (error) {
    rmSync(newCharts, { recursive: true, force: true });
    for (const file of temporary) rmSync(file, { force: true });
    if (!existsSync(chartsDir) && existsSync(oldCharts)) renameSync(oldCharts, chartsDir);
    throw error;
  }
}

/**
 * Builds report.html and charts/ for a finished results directory (of `mstress run` or `mstress merge`) and
 * returns the sign-off gate's result; `results` when the caller holds them (a run just finished), else read from
 * the directory. Everything is read and checked before anything is written, so bad input
 * (exit 2) leaves the directory as it was. When the scenario came from the file the manifest names, a copy is
 * kept as scenario.yaml so the directory can be reported again anywhere.
 */
export async function writeReport(dir: string, results: RunResults = readResults(dir)): Promise<GateResult> {
  const { files, gate } = await reportFiles(results);
  replaceFiles(dir, { ...files, ...(results.scenarioInDirectory ? {} : { "scenario.yaml": results.scenarioText }) });
  return gate;
}

/** report.html and charts/ of a finished run (by name), and its sign-off gate: what run and merge write with the rest. */
export async function reportFiles(results: RunResults): Promise<{ files: Record<string, string>; gate: GateResult }> {
  const gate = evaluateLimits(results.scenario.limits, results.summary);
  const report = runReportPage(
    { summary: results.summary, manifest: results.manifest, scenario: results.scenario, scenarioText: results.scenarioText, gate, pnlByMode: results.pnlByMode, reservoir: results.reservoir, quoteCurrency: scenarioQuoteCurrency(results.scenario, dirname(resolve(results.manifest.scenario.file))) },
    await chartLibraries(),
  );
  return { files: { ...report.files, "report.html": report.html }, gate };
}
