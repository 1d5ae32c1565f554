import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import { modeSummaryWith, pnlWithMean } from "../summary/mode-summary-filler.test-support.js";
import type { ModeSummary } from "../summary/summarise-mode.js";
import type { RunSummary } from "../summary/run-summary.js";
import { trendCharts } from "./trend-charts.js";
import { trendReportPage } from "./trend-report-page.js";
import { aprShifts, liquidationShifts, orderRuns, runLabel, trendRecords, trendRows, type TrendRun } from "./trend-table.js";

// Only the fields the trend reads are meaningful; the rest of a ModeSummary is filler.
function mode(liquidationProbability: number, interval: readonly [number, number], aprOnCapital: number | null): ModeSummary {
  return modeSummaryWith({
    liquidations: Math.round(liquidationProbability * 1_000),
    liquidationProbability,
    liquidationProbabilityCi: interval,
    pnl: pnlWithMean(25),
    valueAtRisk: { p95: 0, p99: 700, p95Ci: null, p99Ci: null },
    aprOnCapital,
  });
}

function run(directory: string, startedAt: string | null, sha: string, isolated: ModeSummary, cross: ModeSummary): TrendRun {
  const summary: RunSummary = { scenario: "carry", scenarioSha256: sha, seed: "7", paths: 1_000, horizonSeconds: 86_400, modes: { isolated, cross } };
  return { directory, startedAt, seed: "7", paths: 1_000, scenarioSha256: sha, version: "0.1.0", summary, verdict: "pass", description: "", scenarioText: `name: carry # ${directory}` };
}

const a = "a".repeat(64);
const b = "b".repeat(64);
// Given out of order. By hand: in time order old-run (no start time: an older mstress, so first), night-1 (Nov 29),
// night-2 and night-3 (both Nov 30 02:00, 30 s apart: their labels differ in the seconds and the run number). Isolated: night-1's interval
// [0.27, 0.33] lies above old-run's [0.10, 0.14] (a shift), night-2's [0.36, 0.42] above night-1's (a shift), and
// night-3's [0.37, 0.43] overlaps night-2's (none). Cross: every interval overlaps the one before. The scenario
// changes once, at night-3 (sha b after a).
const runs = [
  run("night-3", "2026-11-30T02:00:40.000Z", b, mode(0.4, [0.37, 0.43], 0.12), mode(0.2, [0.17, 0.23], 0.3)),
  run("old-run", null, a, mode(0.12, [0.1, 0.14], null), mode(0.2, [0.18, 0.22], 0.3)),
  run("night-1", "2026-11-29T02:00:05.000Z", a, mode(0.3, [0.27, 0.33], 0.1), mode(0.2, [0.17, 0.23], 0.3)),
  run("night-2", "2026-11-30T02:00:10.000Z", a, mode(0.39, [0.36, 0.42], 0.11), mode(0.21, [0.18, 0.24], 0.31)),
];

describe("the trend table", () => {
  it("orders runs by start time, runs without one first, and ties by directory, whatever the order given", () => {
    expect(orderRuns(runs).map((r) => r.directory)).toEqual(["old-run", "night-1", "night-2", "night-3"]);
    expect(orderRuns([...runs].reverse()).map((r) => r.directory)).toEqual(["old-run", "night-1", "night-2", "night-3"]);
    // The same instant written two ways ties (broken by directory); a start time that is not a time counts as none.
    const odd = [run("b", "2026-11-30T02:00:00Z", a, mode(0, [0, 0], null), mode(0, [0, 0], null)), run("a", "2026-11-30T02:00:00.000Z", a, mode(0, [0, 0], null), mode(0, [0, 0], null)), run("bad", "garbage", a, mode(0, [0, 0], null), mode(0, [0, 0], null)), run("c", null, a, mode(0, [0, 0], null), mode(0, [0, 0], null))];
    expect(orderRuns(odd).map((r) => r.directory)).toEqual(["bad", "c", "a", "b"]);
    expect(orderRuns([...odd].reverse()).map((r) => r.directory)).toEqual(["bad", "c", "a", "b"]);
  });

  it("labels a run by its number and its start time to the second, or its directory without one", () => {
    expect(runLabel({ startedAt: "2026-11-29T02:00:05.678Z", directory: "x" }, 2)).toBe("#2 2026-11-29 02:00:05Z");
    expect(runLabel({ startedAt: null, directory: "x" }, 1)).toBe("#1 x");
    expect(runLabel({ startedAt: "not a time", directory: "x" }, 1)).toBe("#1 x");
    const rows = trendRows(runs);
    expect([...new Set(rows.map((r) => r.label))]).toEqual(["#1 old-run", "#2 2026-11-29 02:00:05Z", "#3 2026-11-30 02:00:10Z", "#4 2026-11-30 02:00:40Z"]);
  });

  it("has one row per run and mode, numbered in time order, with each mode's figures", () => {
    const rows = trendRows(runs);
    expect(rows.map((r) => `${String(r.run)} ${r.mode}`)).toEqual(["1 isolated", "1 cross", "2 isolated", "2 cross", "3 isolated", "3 cross", "4 isolated", "4 cross"]);
    expect(rows[4]).toMatchObject({ directory: "night-2", liquidationProbability: 0.39, liquidationProbabilityLow: 0.36, liquidationProbabilityHigh: 0.42, aprOnCapital: 0.11, pnlMean: 25, valueAtRisk99: 700, capitalEmployed: 3_000, scenario: "aaaaaaaaaaaa" });
  });

  it("marks where the scenario file changed", () => {
    const changed = trendRows(runs).filter((r) => r.mode === "isolated").map((r) => r.scenarioChanged);
    expect(changed).toEqual([false, false, false, true]);
    expect(trendRecords(trendRows(runs)).map((r) => r.scenarioChanged)).toEqual(["no", "no", "no", "no", "no", "no", "yes", "yes"]);
  });

  it("finds the moves whose intervals do not overlap the run before's", () => {
    const shifts = liquidationShifts(trendRows(runs)).map((s) => `${s.mode}: ${s.from.directory} -> ${s.to.directory}`);
    expect(shifts).toEqual(["isolated: old-run -> night-1", "isolated: night-1 -> night-2"]);
  });

  it("finds APR moves beyond sampling error the same way, skipping runs that give APR no interval", () => {
    // Cross APR intervals by hand: night-1 [0.28, 0.32], night-2 [0.33, 0.36] (above: a move), night-3 [0.30, 0.34]
    // (overlaps night-2's: none); old-run has no interval and is skipped.
    const withApr = (run: TrendRun, interval: readonly [number, number] | null): TrendRun => {
      const cross = run.summary.modes.cross;
      if (cross === undefined) throw new Error("cross");
      return { ...run, summary: { ...run.summary, modes: { ...run.summary.modes, cross: { ...cross, aprOnCapitalCi: interval } } } };
    };
    const intervals: Record<string, readonly [number, number] | null> = { "old-run": null, "night-1": [0.28, 0.32], "night-2": [0.33, 0.36], "night-3": [0.3, 0.34] };
    const aprRuns = runs.map((run) => withApr(run, intervals[run.directory] ?? null));
    expect(aprShifts(trendRows(aprRuns)).map((s) => `${s.mode}: ${s.from.directory} -> ${s.to.directory}`)).toEqual(["cross: night-1 -> night-2"]);
  });
});

describe("the trend charts", () => {
  it("compile with vega-lite, with the data inline and in the records", () => {
    const rows = trendRows(runs);
    for (const chart of trendCharts(rows)) {
      expect(() => compile(chart.spec)).not.toThrow();
      expect(chart.records).toHaveLength(8);
    }
  });
});

describe("the trend page", () => {
  const libraries = { vega: "", vegaLite: "", vegaEmbed: "" };

  it("shows the newest run's sign-off and scenario, whatever the order the runs came in", () => {
    for (const given of [runs, [...runs].reverse()]) {
      const page = trendReportPage({ version: "0.1.0", scenarioName: "carry", runs: given }, libraries).html;
      expect(page).toContain("Newest run (#4 2026-11-30 02:00:40Z): sign-off pass.");
      expect(page).toContain("name: carry # night-3");
      expect(page).not.toContain("name: carry # old-run");
    }
  });

  it("says when every run drew the same paths, and when they did not", () => {
    const same = trendReportPage({ version: "0.1.0", scenarioName: "carry", runs }, libraries).html;
    expect(same).toContain("Every run used seed 7 and 1,000 paths");
    const other = { ...runs[0], paths: 2_000 } as TrendRun;
    const mixed = trendReportPage({ version: "0.1.0", scenarioName: "carry", runs: [...runs.slice(1), other] }, libraries).html;
    expect(mixed).toContain("The runs differ in seed or number of paths");
  });
});
