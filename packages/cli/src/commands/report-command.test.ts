import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { carryLegs, carryMarket, mstress } from "./small-carry.test-support.js";

// Tests that run the simulator get minutes, not the default 30 s: the suite shares two cores with the other test
// files.
const work = mkdtempSync(join(tmpdir(), "mstress-report-"));

// A small carry over 4 days: with seed 11 and 240 paths isolated is liquidated on ~45 % of paths, cross on a few,
// portfolio on none. The description carries markup that must come out as text.
const attack = "</script><script>alert(1)</script>";
const scenario = (limits: string): string => `# A small carry for the report tests. ${attack}
name: report-small
description: "${attack} & <b>not bold</b>"
accounts:
  - { name: futures, venue: binance-usdm, deposit: 10000 }
legs:
${carryLegs(3000)}
market:
${carryMarket}
${limits}`;

function scenarioFile(name: string, limits: string): string {
  const file = join(work, `${name}.yaml`);
  writeFileSync(file, scenario(limits));
  return file;
}

/** Runs the scenario, keeps the page the run wrote from memory, then rebuilds the report from the directory. */
function runAndReport(name: string, limits: string, ...flags: string[]) {
  const dir = join(work, name);
  const run = mstress("run", scenarioFile(name, limits), "--paths", "240", "--seed", "11", "--workers", "1", "--out", dir, ...flags);
  const runPage = existsSync(join(dir, "report.html")) ? readFileSync(join(dir, "report.html"), "utf8") : undefined;
  const runCharts = existsSync(join(dir, "charts")) ? chartFiles(dir) : undefined;
  // The rebuild must write its own page and charts, not leave the run's in place.
  rmSync(join(dir, "report.html"), { force: true });
  rmSync(join(dir, "charts"), { recursive: true, force: true });
  const report = mstress("report", dir);
  return { dir, run, report, runPage, runCharts };
}

// The page with the Execution block (start time, wall time, workers...: how the run was carried out) cut out.
const withoutExecution = (page: string): string => page.replace(/<div class="panel" id="execution">[\s\S]*?<\/dl><\/div>/, "");
const chartFiles = (dir: string): Record<string, string> => Object.fromEntries(readdirSync(join(dir, "charts")).sort().map((f) => [f, readFileSync(join(dir, "charts", f), "utf8")]));
const listing = (dir: string): string[] => readdirSync(dir).sort();

describe("mstress report: the page and its charts", () => {
  const { dir, run, report, runPage, runCharts } = runAndReport("plain", "");

  it("the run's own page (built from memory) and the rebuild from the written tables are the same bytes", () => {
    expect(report.status, report.stderr).toBe(0);
    expect(runPage === undefined).toBe(false);
    expect(runPage === readFileSync(join(dir, "report.html"), "utf8")).toBe(true);
    expect(runCharts).toEqual(chartFiles(dir));
  });

  it("writes report.html, charts/<name>.vl.json + .csv and a copy of the scenario, and leaves no temporary file", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stderr).toContain("report in");
    expect(listing(dir)).toEqual(expect.arrayContaining(["charts", "manifest.json", "outcomes.csv", "pnl-paths.csv", "report.html", "scenario.yaml", "summary.json"]));
    expect(listing(dir).filter((f) => f.startsWith("."))).toEqual([]);
    const charts = listing(join(dir, "charts"));
    for (const name of ["liquidation-probability", "survival", "pnl-distribution", "funding-drag", "equity-fan"]) {
      expect(charts).toContain(`${name}.vl.json`);
      expect(charts).toContain(`${name}.csv`);
      const spec = JSON.parse(readFileSync(join(dir, "charts", `${name}.vl.json`), "utf8")) as { $schema: string; data: { url: string } };
      expect(spec.$schema).toMatch(/vega-lite\/v6/);
      expect(spec.data.url).toBe(`${name}.csv`);
    }
  });

  it("is self-contained: vega, vega-lite and vega-embed inlined, nothing loaded from elsewhere", () => {
    // Booleans rather than toContain on the page, so a failure does not print a megabyte of JavaScript.
    const page = readFileSync(join(dir, "report.html"), "utf8");
    expect(page.length).toBeGreaterThan(800_000);
    expect(["vega", "vegaLite", "vegaEmbed"].map((global) => page.includes(`.${global}=`))).toEqual([true, true, true]);
    expect(/<script[^>]+src=|<link[^>]+href=|@import|sourceMappingURL/.test(page)).toBe(false);
    expect(page.includes('<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;')).toBe(true);
  });

  it("renders the scenario's markup as text", () => {
    const page = readFileSync(join(dir, "report.html"), "utf8");
    expect(page.includes("<script>alert(1)")).toBe(false);
    expect(page.includes("<b>not bold</b>")).toBe(false);
    expect(page.includes("&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#60;b&#62;not bold&#60;/b&#62;")).toBe(true);
  });

  it("rebuilds to the same bytes, and a copied directory reports without the original scenario file", () => {
    const before = readFileSync(join(dir, "report.html"), "utf8");
    const charts = chartFiles(dir);
    const moved = join(work, "moved");
    cpSync(dir, moved, { recursive: true });
    rmSync(join(moved, "report.html"));
    rmSync(join(moved, "charts"), { recursive: true });
    rmSync(join(work, "plain.yaml"));
    const again = mstress("report", moved);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(moved, "report.html"), "utf8") === before).toBe(true);
    expect(chartFiles(moved)).toEqual(charts);
  }, 120_000);
});

describe("mstress report: 4 shards merged give the page one run gives", () => {
  it("is identical except the Execution block, with identical charts", () => {
    const file = scenarioFile("sharded", "");
    const single = join(work, "single");
    expect(mstress("run", file, "--paths", "240", "--seed", "11", "--workers", "2", "--out", single).status).toBe(0);
    const shards = [1, 2, 3, 4].map((i) => {
      const shard = join(work, `shard-${i}`);
      const run = mstress("run", file, "--paths", "240", "--seed", "11", "--workers", "1", "--shard", `${i}/4`, "--out", shard);
      expect(run.status, run.stderr).toBe(0);
      return shard;
    });
    const merged = join(work, "merged");
    expect(mstress("merge", ...shards, "--out", merged).status).toBe(0);
    for (const dir of [single, merged]) expect(mstress("report", dir).status).toBe(0);
    const singlePage = readFileSync(join(single, "report.html"), "utf8");
    const mergedPage = readFileSync(join(merged, "report.html"), "utf8");
    // The Execution blocks differ (workers 2 against 1, wall times, merged-from); nothing else does.
    expect(singlePage === mergedPage).toBe(false);
    expect(withoutExecution(singlePage).length).toBeLessThan(singlePage.length);
    expect(withoutExecution(mergedPage) === withoutExecution(singlePage)).toBe(true);
    expect(chartFiles(merged)).toEqual(chartFiles(single));
  }, 180_000);
});

describe("mstress report: the sign-off gate's exit codes", () => {
  it("exits 0 when every limit passes", () => {
    const { run, report } = runAndReport("gate-pass", "limits:\n  - { mode: portfolio, metric: liquidationProbability, max: 0.05 }\n  - { mode: cross, metric: aprOnCapital, min: -100 }\n");
    expect(run.stdout).toContain("sign-off PASS: all 2 limits pass");
    expect(run.status, run.stderr).toBe(0);
    expect(report.stdout).toContain("sign-off PASS: all 2 limits pass");
    expect(report.status, report.stderr).toBe(0);
  }, 120_000);

  it("exits 1 when a limit fails, and the banner says so", () => {
    const { dir, run, report } = runAndReport("gate-fail", "limits:\n  - { mode: isolated, metric: liquidationProbability, max: 0.05 }\n  - { mode: portfolio, metric: liquidationProbability, max: 0.001 }\n");
    // mstress run gives the verdict itself; mstress report rebuilds it from the directory.
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("sign-off FAIL: 1 of 2 limits failed, 1 undecided");
    expect(report.status, report.stderr).toBe(1);
    expect(report.stdout).toContain("sign-off FAIL: 1 of 2 limits failed, 1 undecided");
    expect(report.stdout).toMatch(/isolated liquidationProbability <= 5\.00 % +\d+\.\d+ % +\[\d+\.\d+ %, \d+\.\d+ %\] at 95 % +fail/);
    expect(readFileSync(join(dir, "report.html"), "utf8").includes('<div class="badge">fail</div>')).toBe(true);
  }, 120_000);

  it("exits 3 when a limit cannot be decided with these paths, and says how many it needs", () => {
    const { dir, run, report } = runAndReport("gate-undecided", "limits:\n  - { mode: portfolio, metric: liquidationProbability, max: 0.001 }\n");
    expect(run.status, run.stderr).toBe(3);
    expect(report.status, report.stderr).toBe(3);
    // 0 of 240: needs ⌊3.841459·0.999/0.001⌋ + 1 = 3,838 paths.
    expect(report.stdout).toContain("0 liquidations in 240 paths cannot show p < 0.100 % at 95 %; run >= 3,838 paths if the rate holds");
    expect(readFileSync(join(dir, "report.html"), "utf8").includes('<div class="badge">undecided</div>')).toBe(true);
  }, 120_000);
});

describe("mstress report: bad input exits 2 with one line, and writes nothing", () => {
  it("refuses a directory that does not exist", () => {
    const missing = join(work, "no-such-run");
    const report = mstress("report", missing);
    expect(report.status).toBe(2);
    expect(report.stderr.trim().split("\n")).toHaveLength(1);
    expect(report.stderr).toMatch(/^mstress: report: .*no-such-run.* is not a directory/);
    expect(existsSync(missing)).toBe(false);
  });

  it("refuses a directory without summary.json and outcomes.csv, naming them", () => {
    const partial = join(work, "partial-run");
    mkdirSync(partial);
    writeFileSync(join(partial, "manifest.json"), "{}");
    const report = mstress("report", partial);
    expect(report.status).toBe(2);
    expect(report.stderr.trim().split("\n")).toEqual([`mstress: report: ${JSON.stringify(partial)} has no summary.json, outcomes.csv; expected a finished mstress run`]);
    expect(listing(partial)).toEqual(["manifest.json"]);
  });

  it("refuses a summary missing a figure, and a scenario that is not the one the run used", () => {
    const { dir } = runAndReport("tampered", "");
    const before = listing(dir);
    const pageBefore = readFileSync(join(dir, "report.html"), "utf8");
    const summaryFile = join(dir, "summary.json");
    const summary = readFileSync(summaryFile, "utf8");
    writeFileSync(summaryFile, summary.replace(/"fundingPaid"/g, '"fundingPaidRenamed"'));
    const report = mstress("report", dir);
    expect(report.status).toBe(2);
    expect(report.stderr.trim().split("\n")).toHaveLength(1);
    expect(report.stderr).toContain("summary.json: modes.isolated.fundingPaid: missing; expected a mapping of fields (a summary from an older mstress? run it again)");
    writeFileSync(summaryFile, summary);
    writeFileSync(join(dir, "scenario.yaml"), `${readFileSync(join(dir, "scenario.yaml"), "utf8")}# edited\n`);
    const edited = mstress("report", dir);
    expect(edited.status).toBe(2);
    expect(edited.stderr).toContain("scenario.yaml: its sha256 differs from the run's");
    expect(listing(dir)).toEqual(before);
    expect(readFileSync(join(dir, "report.html"), "utf8") === pageBefore).toBe(true);
  }, 120_000);
});
