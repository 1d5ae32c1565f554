import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { SweepResult } from "./sweep-command.js";

// Runs the built binary (`pnpm test` builds first) from the repository root, as the README does.
const root = fileURLToPath(new URL("../../../../", import.meta.url));
const bin = join(root, "packages/cli/dist/bin/mstress.js");
const mstress = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: root });
const work = mkdtempSync(join(tmpdir(), "mstress-sweep-"));

// A short carry with jumps: isolated liquidations are common enough that 200 paths separate the allocations.
const scenarioFile = join(work, "carry.yaml");
writeFileSync(
  scenarioFile,
  `name: carry
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }
modes: [isolated, cross]
market:
  horizon: 4d
  step: 1h
  assets:
    BTC:
      price: 60000
      model: { kind: jump-diffusion, volatility: 0.6, jumps: { up: { intensity: 30, mean: 0.04, stdDev: 0.02 } } }
      funding: { mean: 0.0001, stdDev: 0.0001, halfLife: 1d }
sweep:
  parameters: { isolatedMargin: [2000, 4000] }
  paths: 120
`,
);

type Summaries = SweepResult["points"][number]["modes"];
const readSweep = (dir: string): SweepResult => JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as SweepResult;

describe("mstress sweep: common random numbers over a grid", () => {
  const grid = join(work, "grid");
  const sweep = mstress("sweep", scenarioFile, "--set", "isolatedMargin=1000,3000,6000", "--set", "vol=0.3,0.9", "--paths", "200", "--seed", "5", "--workers", "2", "--under", "0.05", "--out", grid);
  const single = join(work, "single");
  const run = mstress("run", scenarioFile, "--paths", "200", "--seed", "5", "--workers", "1", "--out", single);

  it("writes the grid's summaries, its tidy table, the two charts and the report, and exits 0", () => {
    expect(sweep.stderr).toContain("results in");
    expect(sweep.status).toBe(0);
    expect(readdirSync(grid).sort()).toEqual(["charts", "manifest.json", "report.html", "scenario.yaml", "sweep.csv", "sweep.json"].sort());
    const result = readSweep(grid);
    expect(result.points.map((p) => p.values.map((v) => v.value))).toEqual([[1000, 0.3], [1000, 0.9], [3000, 0.3], [3000, 0.9], [6000, 0.3], [6000, 0.9]]);
    // Header plus one row per point and mode.
    expect(readFileSync(join(grid, "sweep.csv"), "utf8").trimEnd().split("\n")).toHaveLength(1 + 6 * 2);
  });

  it("gives a point equal to the scenario the very summary `mstress run` gives with the same seed", () => {
    expect(run.status).toBe(0);
    const runModes = (JSON.parse(readFileSync(join(single, "summary.json"), "utf8")) as { modes: Summaries }).modes;
    // vol 0.6 is not on the grid: sweep the allocation alone at the scenario's own 3000.
    const alone = join(work, "alone");
    expect(mstress("sweep", scenarioFile, "--set", "isolatedMargin=3000", "--paths", "200", "--seed", "5", "--out", alone).status).toBe(0);
    expect(JSON.stringify(readSweep(alone).points[0]?.modes)).toBe(JSON.stringify(runModes));
  });

  it("gives a late grid point, simulated by workers that ran three other points before it, the summary of that point swept alone", () => {
    // The grid shares one worker pool across its points; a worker that kept an earlier point's plan would differ here
    // (isolated at 3000 / vol 0.9 liquidates differently from every other point of the grid).
    const alone = join(work, "alone-late");
    expect(mstress("sweep", scenarioFile, "--set", "isolatedMargin=3000", "--set", "vol=0.9", "--paths", "200", "--seed", "5", "--workers", "2", "--under", "0.05", "--out", alone).status).toBe(0);
    const late = readSweep(grid).points.find((p) => p.values[0]?.value === 3000 && p.values[1]?.value === 0.9);
    expect(late?.point).toBe(3);
    expect(JSON.stringify(late?.modes)).toBe(JSON.stringify(readSweep(alone).points[0]?.modes));
    const others = readSweep(grid).points.filter((p) => p !== late && p.point !== late?.point);
    for (const other of others) expect(JSON.stringify(other.modes.isolated)).not.toBe(JSON.stringify(late?.modes.isolated));
  });

  it("replays the same paths at every point: cross ignores the allocation, and more allocation never liquidates more", () => {
    const points = readSweep(grid).points;
    const at = (margin: number, vol: number) => points.find((p) => p.values[0]?.value === margin && p.values[1]?.value === vol)?.modes;
    for (const vol of [0.3, 0.9]) {
      // Same paths, and cross's wallet does not depend on the isolated allocation: identical summaries.
      expect(JSON.stringify(at(1000, vol)?.cross)).toBe(JSON.stringify(at(6000, vol)?.cross));
      // On each path a larger allocation moves the isolated liquidation price away, so the counts are ordered
      // exactly (not merely in expectation).
      const counts = [1000, 3000, 6000].map((m) => at(m, vol)?.isolated?.liquidations ?? Number.NaN);
      expect(counts[0]).toBeGreaterThanOrEqual(counts[1] ?? Number.NaN);
      expect(counts[1]).toBeGreaterThanOrEqual(counts[2] ?? Number.NaN);
      expect(counts[0]).toBeGreaterThan(counts[2] ?? Number.NaN);
    }
  });

  it("writes each chart's Vega-Lite spec reading the CSV beside it", () => {
    for (const name of ["sweep-frontier", "sweep-liquidation"]) {
      const spec = JSON.parse(readFileSync(join(grid, "charts", `${name}.vl.json`), "utf8")) as { data: { url: string } };
      expect(spec.data.url).toBe(`${name}.csv`);
      expect(readFileSync(join(grid, "charts", `${name}.csv`), "utf8").split("\n")[0]).toMatch(/^point,isolatedMargin,vol,mode,/);
    }
  });

  it("writes one self-contained report.html holding both charts and every grid point", () => {
    const page = readFileSync(join(grid, "report.html"), "utf8");
    expect(page).toContain('id="chart-sweep-frontier"');
    expect(page).toContain('id="chart-sweep-liquidation"');
    for (const label of ["isolatedMargin=1000, vol=0.3", "isolatedMargin=6000, vol=0.9"]) expect(page).toContain(`<td class="text">${label}</td>`);
    // The libraries are inlined (the browser test in packages/report opens this page offline).
    expect(page).toContain("vegaEmbed");
  });

  it("names per mode and market the least capital whose liquidation probability is shown under the level", () => {
    const result = readSweep(grid);
    const [header = "", ...lines] = readFileSync(join(grid, "sweep.csv"), "utf8").trimEnd().split("\n");
    const column = (name: string): number => header.split(",").indexOf(name);
    // sweep.csv quotes the label (it holds a comma): drop it before splitting.
    const rows = lines.map((line) => line.replace(/"[^"]*"/, "label").split(","));
    expect(result.leastCapital.map((l) => `${l.mode} ${l.market}`).sort()).toEqual(["cross vol=0.3", "cross vol=0.9", "isolated vol=0.3", "isolated vol=0.9"]);
    for (const least of result.leastCapital) {
      // The scenario sets no limits, so the level is --under's.
      expect(least.level).toBe(0.05);
      const group = rows.filter((r) => r[column("mode")] === least.mode && `vol=${r[column("vol")] ?? ""}` === least.market);
      const under = group.filter((r) => Number(r[column("liquidationProbabilityHigh")]) < 0.05);
      const capitals = under.map((r) => Number(r[column("capitalEmployed")]));
      if (under.length === 0) expect(least.point).toBeNull();
      else expect(least.capitalEmployed).toBe(Math.min(...capitals));
    }
    // Cross at the calm vol is never liquidated on these paths: some point is under the level.
    expect(result.leastCapital.some((l) => l.point !== null)).toBe(true);
    expect(readFileSync(join(grid, "report.html"), "utf8")).toContain('id="least-capital"');
    expect(sweep.stdout).toContain("least capital whose liquidation probability is shown under the level");
  });

  it("takes the grid from the scenario's sweep: block when no --set is given", () => {
    const dir = join(work, "block");
    expect(mstress("sweep", scenarioFile, "--seed", "5", "--out", dir).status).toBe(0);
    const result = readSweep(dir);
    expect(result.pathsPerPoint).toBe(120);
    expect(result.points.map((p) => p.values)).toEqual([[{ name: "isolatedMargin", value: 2000 }], [{ name: "isolatedMargin", value: 4000 }]]);
  });
});

describe("mstress sweep over a policy field", () => {
  it("a top-up transfer that arrives at once liquidates cross less often than one 30 minutes in flight, beyond both intervals", { timeout: 60_000 }, () => {
    // The shipped managed carry, cross only, with a $100,000 reserve so the reserve never runs out and only the
    // transfer time differs, and up-jumps 5 times as frequent (30 a year, log size ~ N(4 %, 2 %)) to make the
    // difference plain on few paths. The top-up fires at 3 % and restores 8 %, with an hour's cooldown.
    // - delay 0: the money is there at the trigger, so a liquidation needs one move past the whole distance
    //   left after a top-up (>= 3 %, mostly ~8 %) before the next trigger; over an hour the diffusion's standard
    //   deviation is 0.5 / sqrt(8,760) = 0.53 %, so only a large up-jump does it: P(jump > 8 %) = P(Z > 2) = 2.3 %
    //   of the 30 x 30 / 365 = 2.5 jumps a path expects, and only when the short already sits near the trigger.
    // - 30m: every jump that lands the short between its liquidation and 3 % away leaves it there for 30 minutes
    //   with nothing arriving; the rest of the way (under 3 %) is a move of a few 30-minute deviations (0.38 %),
    //   or a second jump. Those paths are liquidated with the delay and saved without it.
    // Same seed and paths at both points (common random numbers); 1,000 paths put the 30m point's Wilson interval
    // clear of the delay-0 point's.
    const out = join(work, "delay");
    const result = mstress(
      "sweep", "scenarios/funding-arb-btc-managed.yaml",
      "--set", "accounts.reserve.deposit=100000",
      "--set", "market.assets.BTC.model.jumps.up.intensity=30",
      "--set", "policies.reserve-top-up.delay=0,30m",
      "--modes", "cross", "--no-baseline", "--paths", "1000", "--seed", "1", "--workers", "2", "--out", out,
    );
    expect(result.status, result.stderr).toBe(0);
    const points = readSweep(out).points;
    expect(points.map((p) => p.values[2])).toEqual([{ name: "policies.reserve-top-up.delay", value: 0 }, { name: "policies.reserve-top-up.delay", value: "30m" }]);
    const [atOnce, inFlight] = points.map((p) => p.modes.cross);
    expect(atOnce?.liquidationProbability).toBeLessThan(inFlight?.liquidationProbability ?? Number.NaN);
    expect(atOnce?.liquidationProbabilityCi[1]).toBeLessThan(inFlight?.liquidationProbabilityCi[0] ?? Number.NaN);
  });
});

describe("mstress sweep: bad input", () => {
  it.each([
    [["--set", "leverage=2,3"], "mstress: --set leverage: expected a dotted path"],
    [["--set", "legs.short-perp.isolatedMargn=1,2"], "mstress: --set legs.short-perp.isolatedMargn: legs.short-perp.isolatedMargn is not in the scenario"],
    [["--set", "isolatedMargin=2000,-5"], "legs.short-perp.isolatedMargin: expected a value >= 1e-8, got -5"],
    [["--set", "vol"], "mstress: option '--set <name=v1,v2,...>' argument 'vol' is invalid. expected name=value,value,..."],
    [["--set", "vol=0.3", "--under", "0"], "expected a probability in (0, 1) such as 0.01, got \"0\""],
  ])("%j exits 2 naming the field and writes nothing", (args, message) => {
    const out = join(work, `bad-${String(args[1])}`);
    const result = mstress("sweep", scenarioFile, ...args, "--paths", "10", "--out", out);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });
});
