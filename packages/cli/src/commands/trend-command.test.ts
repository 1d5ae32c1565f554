import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { carryScenario, mstress } from "./small-carry.test-support.js";

const work = mkdtempSync(join(tmpdir(), "mstress-trend-"));

// A small carry over 4 days, with one limit so each run has a verdict. With a $3,000 allocation isolated is
// liquidated on roughly half the paths; with $8,000 on far fewer, a move well outside both runs' intervals.
const attack = "</script><script>alert(1)</script>";
const scenario = (name: string, isolatedMargin: number): string =>
  carryScenario(name, isolatedMargin, { description: `${attack} <b>not bold</b>`, limits: ["{ mode: portfolio, metric: liquidationProbability, max: 0.05 }"] });

/**
 * Runs the scenario into work/<dir>, then sets the manifest's start time to `startedAt` (a night at 02:00), so that
 * the trend's order and labels do not depend on when the test happens to run.
 */
function runNight(dir: string, name: string, isolatedMargin: number, seed: string, startedAt: string, ...flags: string[]): string {
  const file = join(work, `${dir}.yaml`);
  writeFileSync(file, scenario(name, isolatedMargin));
  const out = join(work, dir);
  const run = mstress("run", file, "--paths", "200", "--seed", seed, "--workers", "1", "--out", out, ...flags);
  if (run.status !== 0) throw new Error(`mstress run exited ${String(run.status)}: ${run.stderr}`);
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify({ ...manifest, startedAt }, null, 2)}\n`);
  return out;
}

const listing = (dir: string): string[] => readdirSync(dir).sort();

describe("mstress trend", () => {
  // Given out of time order on purpose: the trend orders by start time.
  const nights = [runNight("night-1", "carry", 3_000, "1", "2026-11-28T02:00:11Z"), runNight("night-2", "carry", 3_000, "2", "2026-11-29T02:00:07Z"), runNight("night-3", "carry", 8_000, "3", "2026-11-30T02:00:09Z")];
  const out = join(work, "trend");
  const trend = mstress("trend", nights[2] ?? "", nights[0] ?? "", nights[1] ?? "", "--out", out);

  it("writes trend.html, trend.csv, charts/ and a manifest, and prints a line per run", () => {
    expect(trend.status, trend.stderr).toBe(0);
    expect(listing(out)).toEqual(["charts", "manifest.json", "trend.csv", "trend.html"]);
    expect(listing(join(out, "charts"))).toEqual(["trend-apr.csv", "trend-apr.vl.json", "trend-liquidation.csv", "trend-liquidation.vl.json"]);
    const lines = trend.stdout.split("\n").filter((line) => / pass /.test(line));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain("(scenario changed)");
  }, 240_000);

  it("carries each run's own figures, in time order", () => {
    const [header = "", ...rows] = readFileSync(join(out, "trend.csv"), "utf8").trim().split("\n");
    const columns = header.split(",");
    const cell = (row: string, name: string): string => row.split(",")[columns.indexOf(name)] ?? "";
    expect(rows.map((row) => `${basename(cell(row, "directory"))} ${cell(row, "mode")}`)).toEqual(["night-1", "night-2", "night-3"].flatMap((n) => ["isolated", "cross", "portfolio"].map((m) => `${n} ${m}`)));
    for (const row of rows) {
      const summary = JSON.parse(readFileSync(join(cell(row, "directory"), "summary.json"), "utf8")) as { modes: Record<string, { liquidationProbability: number; liquidationProbabilityCi: [number, number] }> };
      const figures = summary.modes[cell(row, "mode")];
      expect(Number(cell(row, "liquidationProbability"))).toBe(figures?.liquidationProbability);
      expect(Number(cell(row, "liquidationProbabilityHigh"))).toBe(figures?.liquidationProbabilityCi[1]);
      expect(cell(row, "verdict")).toBe("pass");
      expect(cell(row, "scenarioChanged")).toBe(basename(cell(row, "directory")) === "night-3" ? "yes" : "no");
    }
  });

  it("says on the page where the scenario changed and which move is beyond sampling error, with the markup as text", () => {
    const page = readFileSync(join(out, "trend.html"), "utf8");
    expect(page.includes("<b>not bold</b>")).toBe(false);
    expect(page.includes("&#60;b&#62;not bold&#60;/b&#62;")).toBe(true);
    expect(page.includes("The scenario file changed at")).toBe(true);
    // $8,000 instead of $3,000 moves isolated far outside 200-path intervals (read from the runs' own summaries):
    // the page names that one move, and no other (nights 1 and 2 overlap; cross barely moves).
    const isolated = (night: string): [number, number] => {
      const summary = JSON.parse(readFileSync(join(work, night, "summary.json"), "utf8")) as { modes: Record<string, { liquidationProbabilityCi: [number, number] }> };
      return summary.modes.isolated?.liquidationProbabilityCi ?? [Number.NaN, Number.NaN];
    };
    const overlap = (a: [number, number], b: [number, number]): boolean => a[0] <= b[1] && b[0] <= a[1];
    expect([overlap(isolated("night-1"), isolated("night-2")), overlap(isolated("night-2"), isolated("night-3"))]).toEqual([true, false]);
    expect(page.match(/<li>isolated: liquidation probability moved from [^<]+; the two 95 % intervals do not overlap/g)).toHaveLength(1);
    expect(/<li>isolated: liquidation probability moved from [^<]+ \(#2 2026-11-29 02:00:07Z\) to [^<]+ \(#3 2026-11-30 02:00:09Z\);/.test(page)).toBe(true);
    expect(page.includes("The scenario file changed at #3 2026-11-30 02:00:09Z")).toBe(true);
    expect(page.includes("Newest run (#3 2026-11-30 02:00:09Z): sign-off pass.")).toBe(true);
    expect(page.includes("<li>cross: liquidation probability moved")).toBe(false);
  });

  it("rebuilds an earlier trend in place, but will not overwrite another directory", () => {
    expect(mstress("trend", ...nights, "--out", out).status).toBe(0);
    const other = join(work, "not-a-trend");
    mkdirSync(other);
    writeFileSync(join(other, "notes.txt"), "keep me");
    const refused = mstress("trend", ...nights, "--out", other);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("already holds files");
    expect(listing(other)).toEqual(["notes.txt"]);
    // A directory of only a manifest and charts is not a trend unless its manifest says so (a run's, here).
    const lookalike = join(work, "lookalike");
    mkdirSync(join(lookalike, "charts"), { recursive: true });
    writeFileSync(join(lookalike, "manifest.json"), readFileSync(join(nights[0] ?? "", "manifest.json"), "utf8"));
    expect(mstress("trend", ...nights, "--out", lookalike).status).toBe(2);
    expect(listing(lookalike)).toEqual(["charts", "manifest.json"]);
  }, 120_000);

  it("refuses runs of another scenario, a shard, a directory given twice, and a directory that is not a run, writing nothing", () => {
    const otherScenario = runNight("other", "another-route", 3_000, "1", "2026-11-28T02:00:00Z");
    const shard = runNight("shard", "carry", 3_000, "1", "2026-11-28T02:00:00Z", "--shard", "1/2");
    const cases: [string[], string][] = [
      [[nights[0] ?? "", otherScenario], `scenario "another-route" differs from "carry"`],
      [[nights[0] ?? "", shard], "is shard 1/2 of a run; expected a whole run"],
      [[nights[0] ?? "", nights[0] ?? ""], "is given twice"],
      [[nights[0] ?? "", join(work, "missing")], "is not a directory"],
      [[nights[0] ?? "", out], "has no summary.json"],
    ];
    for (const [dirs, message] of cases) {
      const target = join(work, "refused");
      const result = mstress("trend", ...dirs, "--out", target);
      expect(result.status, message).toBe(2);
      expect(result.stderr.trim().split("\n"), message).toHaveLength(1);
      expect(result.stderr, message).toContain(message);
      expect(existsSync(target), message).toBe(false);
    }
  }, 240_000);
});
