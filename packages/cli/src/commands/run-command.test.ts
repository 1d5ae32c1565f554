import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeParquetTables } from "../results/parquet-tables.js";
import { carryLegs, carryMarket, mstress, mstressBin, repositoryRoot } from "./small-carry.test-support.js";

const work = mkdtempSync(join(tmpdir(), "mstress-run-"));

// A small but complete route: jumps, basis, funding coupled to returns, fees, a regime switch and a stress overlay,
// so determinism is tested through every stochastic and booking branch; two accounts and two routes, so the
// per-account and per-route tables have more than one entity.
const scenarioFile = join(work, "small.yaml");
writeFileSync(
  scenarioFile,
  `name: small
accounts:
  - { name: futures, venue: binance-usdm, deposit: 10000 }
  - { name: hedge, venue: binance-usdm, deposit: 5000 }
legs:
${carryLegs(3000)}
  - { name: hedge-long, account: hedge, type: perp, symbol: BTCUSDT, side: long, qty: 0.2, isolatedMargin: 1500 }
routes:
  - { name: carry, legs: [short-perp, long-spot] }
market:
${carryMarket}
  regime: { calmToStress: 20, stressToCalm: 100, volatilityMultiplier: 2, jumpIntensityMultiplier: 2, basisShift: 0.001 }
  stress:
    - { at: 2d, over: 2h, move: 0.06, funding: cap }
`,
);

const resultFiles = ["summary.json", "outcomes.csv", "account-outcomes.csv", "route-outcomes.csv", "pnl-paths.csv", "outcomes.parquet", "account-outcomes.parquet", "route-outcomes.parquet", "schema.json"];
// Parquet is compared byte for byte (as base64).
const files = (dir: string): Record<string, string> => Object.fromEntries(resultFiles.map((f) => [f, readFileSync(join(dir, f), f.endsWith(".parquet") ? "base64" : "utf8")]));
const lines = (dir: string, file: string): string[] => readFileSync(join(dir, file), "utf8").trimEnd().split("\n");

describe("mstress run: reproducible whatever the fan-out", () => {
  const one = join(work, "workers-1");
  const two = join(work, "workers-2");
  const first = mstress("run", scenarioFile, "--paths", "240", "--seed", "11", "--workers", "1", "--chunk-size", "37", "--out", one);
  const second = mstress("run", scenarioFile, "--paths", "240", "--seed", "11", "--workers", "2", "--chunk-size", "100", "--out", two);

  it("writes manifest, summary, the outcome tables, the fan-chart sample, the scenario and the report, and exits 0", () => {
    expect(first.stderr).toContain("results in");
    // No limits in this scenario: no verdict, exit 0.
    expect(first.stdout).toContain("sign-off NO LIMITS");
    expect(first.status).toBe(0);
    expect(readdirSync(one).sort()).toEqual(["account-outcomes.csv", "account-outcomes.parquet", "charts", "manifest.json", "outcomes.csv", "outcomes.parquet", "pnl-paths.csv", "report.html", "route-outcomes.csv", "route-outcomes.parquet", "scenario.yaml", "schema.json", "summary.json"]);
    expect(readFileSync(join(one, "scenario.yaml"), "utf8")).toBe(readFileSync(scenarioFile, "utf8"));
    const summary = JSON.parse(readFileSync(join(one, "summary.json"), "utf8")) as { accounts: Record<string, Record<string, unknown>>; routes: Record<string, Record<string, unknown>> };
    expect(Object.keys(summary.accounts.cross ?? {})).toEqual(["futures", "hedge"]);
    expect(Object.keys(summary.routes.isolated ?? {})).toEqual(["carry", "hedge-long"]);
    const manifest = JSON.parse(readFileSync(join(one, "manifest.json"), "utf8")) as { paths: number; seed: string; stopReason: string; scenario: { sha256: string }; reservoirPaths: number; entities: unknown };
    expect(manifest).toMatchObject({ paths: 240, seed: "11", stopReason: "paths", reservoirPaths: 100, entities: { accounts: ["futures", "hedge"], routes: ["carry", "hedge-long"] } });
    expect(manifest.scenario.sha256).toMatch(/^[0-9a-f]{64}$/);
    // One row per path and mode (and account or route), plus the header; the fan chart: 100 paths x 3 modes x
    // 96 one-hour steps over 4 days.
    expect(lines(one, "outcomes.csv")).toHaveLength(1 + 240 * 3);
    expect(lines(one, "outcomes.csv")[0]).toMatch(/,finalEquity,maxDrawdown,adl,adlAt,hedgeBrokenByAdl$/);
    expect(lines(one, "account-outcomes.csv")).toHaveLength(1 + 240 * 3 * 2);
    expect(lines(one, "account-outcomes.csv").slice(0, 3)).toEqual(["path,mode,account,liquidated,liquidatedAt,loss,minDistanceToLiquidation", expect.stringMatching(/^0,isolated,futures,[01],/), expect.stringMatching(/^0,isolated,hedge,[01],/)]);
    expect(lines(one, "route-outcomes.csv")).toHaveLength(1 + 240 * 3 * 2);
    expect(lines(one, "route-outcomes.csv").slice(0, 3)).toEqual(["path,mode,route,liquidated,liquidatedAt,hedgeBroken,hedgeBrokenAt", expect.stringMatching(/^0,isolated,carry,[01],/), expect.stringMatching(/^0,isolated,hedge-long,[01],/)]);
    expect(lines(one, "pnl-paths.csv")).toHaveLength(1 + 100 * 3 * 96);
    expect(lines(one, "pnl-paths.csv").slice(0, 2)).toEqual(["path,mode,t,pnl,distanceToLiquidation", expect.stringMatching(/^0,isolated,3600,-?[\d.e-]+,[\d.e-]*$/)]);
    expect(lines(one, "pnl-paths.csv").at(-1)).toMatch(/^99,portfolio,345600,/);
  });

  it("gives byte-identical summary, outcome tables and PnL paths with 1 worker and 2 workers, and any chunk size", () => {
    expect(second.status).toBe(0);
    expect(files(two)).toEqual(files(one));
  });

  it("gives the same result from 4 shards merged as from one run", () => {
    const shards = [1, 2, 3, 4].map((i) => {
      const dir = join(work, `shard-${i}`);
      const run = mstress("run", scenarioFile, "--paths", "240", "--seed", "11", "--workers", "1", "--shard", `${i}/4`, "--out", dir);
      expect(run.status, run.stderr).toBe(0);
      // A shard is part of a run: no report and no verdict until the merge.
      expect(existsSync(join(dir, "report.html"))).toBe(false);
      return dir;
    });
    // A shard past the first writes its Parquet tables from rows that start at its first path: the same bytes as
    // from its own CSV.
    const fromCsv = join(work, "shard-3-from-csv");
    mkdirSync(fromCsv);
    for (const table of ["outcomes.csv", "account-outcomes.csv", "route-outcomes.csv"]) copyFileSync(join(work, "shard-3", table), join(fromCsv, table));
    writeParquetTables(fromCsv, "USDT");
    for (const file of ["outcomes.parquet", "account-outcomes.parquet", "route-outcomes.parquet", "schema.json"]) {
      expect(readFileSync(join(fromCsv, file)).equals(readFileSync(join(work, "shard-3", file))), file).toBe(true);
    }
    const merged = join(work, "merged");
    const merge = mstress("merge", ...shards.reverse(), "--out", merged);
    expect(merge.status, merge.stderr).toBe(0);
    expect(files(merged)).toEqual(files(one));
    expect(existsSync(join(merged, "report.html"))).toBe(true);
  });

  it("gives a different result for another seed", () => {
    const other = join(work, "seed-12");
    expect(mstress("run", scenarioFile, "--paths", "240", "--seed", "12", "--workers", "2", "--out", other).status).toBe(0);
    expect(files(other)["outcomes.csv"]).not.toEqual(files(one)["outcomes.csv"]);
  });

  it("prints the summary as JSON with a Wilson interval per mode", () => {
    const run = mstress("run", scenarioFile, "--paths", "120", "--workers", "2", "--json", "--out", join(work, "json"));
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as { modes: Record<string, { liquidationProbability: number; liquidationProbabilityCi: [number, number] }> };
    expect(Object.keys(summary.modes)).toEqual(["isolated", "cross", "portfolio"]);
    for (const mode of Object.values(summary.modes)) {
      expect(mode.liquidationProbabilityCi[0]).toBeLessThanOrEqual(mode.liquidationProbability);
      expect(mode.liquidationProbabilityCi[1]).toBeGreaterThanOrEqual(mode.liquidationProbability);
    }
  });
});

describe("mstress run with policies and auto-deleveraging", () => {
  // The small carry with a reserve account, every kind of policy, a scripted ADL and the stochastic ADL model: the
  // passive rows sit beside each mode's, and the result is the same for any worker count and shard split.
  const managedFile = join(work, "managed.yaml");
  writeFileSync(
    managedFile,
    `name: managed
accounts:
  - { name: futures, venue: binance-usdm, deposit: 10000 }
  - { name: reserve, venue: binance-usdm, deposit: 4000 }
legs:
${carryLegs(2500)}
modes: [isolated, cross]
costs: { slippage: { bps: 5, bpsPerMillion: 2 } }
policies:
  - { kind: topUp, name: top-up, leg: short-perp, when: { distanceBelow: 0.04 }, add: { toDistance: 0.07 }, from: "account:reserve", delay: 20m, maxTotal: 3000, cooldown: 2h }
  - { kind: deRisk, name: de-risk, when: { distanceBelow: 0.015 }, reduce: 0.5, cooldown: 6h }
  - { kind: unwind, name: unwind }
  - { kind: exit, name: stop-loss, when: { pnlBelow: -2500 } }
market:
${carryMarket}
  stress:
    - { at: 3d, adl: { legs: [short-perp], fraction: 0.5 } }
  adl: { move: 0.03, within: 2h, probability: 0.5 }
`,
  );
  // The single run writes its Parquet tables from its rows, a merge from the CSV: compared byte for byte (base64).
  const managedFiles = [...resultFiles, "policy-outcomes.csv", "policy-outcomes.parquet"];
  const read = (dir: string): Record<string, string> => Object.fromEntries(managedFiles.map((f) => [f, readFileSync(join(dir, f), f.endsWith(".parquet") ? "base64" : "utf8")]));
  const single = join(work, "managed-1");
  const run = mstress("run", managedFile, "--paths", "150", "--seed", "5", "--workers", "1", "--chunk-size", "37", "--out", single);

  it("reports each mode with its policies and its passive baseline, and what every policy did", () => {
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(single, "summary.json"), "utf8")) as { modes: Record<string, { adlProbability: number }>; policies: Record<string, Record<string, { actedProbability: number }>> };
    expect(Object.keys(summary.modes)).toEqual(["isolated", "isolated-passive", "cross", "cross-passive"]);
    expect(Object.keys(summary.policies.isolated ?? {})).toEqual(["top-up", "de-risk", "unwind", "stop-loss"]);
    expect(summary.policies["isolated-passive"]?.["top-up"]?.actedProbability).toBe(0);
    expect(summary.policies.isolated?.["top-up"]?.actedProbability).toBeGreaterThan(0);
    // ADL is the venue's doing: it happens with or without the rules.
    expect(summary.modes["isolated-passive"]?.adlProbability).toBeGreaterThan(0);
    expect(lines(single, "policy-outcomes.csv")[0]).toBe("path,mode,policy,actions,moved,reserveExhausted,costs,firstActionAt");
    expect(lines(single, "policy-outcomes.csv")).toHaveLength(1 + 150 * 4 * 4);
    expect(lines(single, "outcomes.csv")).toHaveLength(1 + 150 * 4);
  });

  it("times the policies on sub-steps of at most half the 20-minute delay, and says so", () => {
    // The scenario writes a 1 h step; the longest of 15m, 10m, 5m... dividing it and at most 10 minutes is 10m.
    const manifest = JSON.parse(readFileSync(join(single, "manifest.json"), "utf8")) as { stepSeconds: number; policySubStepSeconds: number | null };
    expect(manifest.stepSeconds).toBe(3600);
    expect(manifest.policySubStepSeconds).toBe(600);
    expect(run.stderr).toContain("mstress: policies: timed on 10m sub-steps of the steps where one may act\n");
    expect(readFileSync(join(single, "report.html"), "utf8")).toContain("policies timed on 10m sub-steps where one may act");
  });

  it("gives byte-identical tables with 2 workers and from 3 shards merged", { timeout: 180_000 }, () => {
    const two = join(work, "managed-2");
    expect(mstress("run", managedFile, "--paths", "150", "--seed", "5", "--workers", "2", "--chunk-size", "20", "--out", two).status).toBe(0);
    expect(read(two)).toEqual(read(single));
    const shards = [1, 2, 3].map((i) => {
      const dir = join(work, `managed-shard-${i}`);
      expect(mstress("run", managedFile, "--paths", "150", "--seed", "5", "--workers", "1", "--shard", `${i}/3`, "--out", dir).status).toBe(0);
      return dir;
    });
    const merged = join(work, "managed-merged");
    const merge = mstress("merge", ...shards, "--out", merged);
    expect(merge.status, merge.stderr).toBe(0);
    expect(read(merged)).toEqual(read(single));
  });

  it("leaves the passive rows out with --no-baseline, the managed rows unchanged", () => {
    const dir = join(work, "managed-no-baseline");
    expect(mstress("run", managedFile, "--paths", "150", "--seed", "5", "--workers", "1", "--no-baseline", "--out", dir).status).toBe(0);
    const managedRows = (text: string): string[] => text.split("\n").filter((line) => /^\d+,(isolated|cross),/.test(line));
    expect(managedRows(readFileSync(join(dir, "outcomes.csv"), "utf8"))).toEqual(managedRows(read(single)["outcomes.csv"] ?? ""));
    expect(lines(dir, "outcomes.csv")).toHaveLength(1 + 150 * 2);
  });
});

describe("mstress run --precision", () => {
  it("adds batches in path order until every interval is narrow enough, and says why it stopped", () => {
    const dir = join(work, "precision");
    const run = mstress("run", scenarioFile, "--precision", "0.05", "--max-paths", "2000", "--batch-size", "100", "--workers", "2", "--out", dir);
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { paths: number; stopReason: string };
    expect(manifest.stopReason).toBe("precision");
    expect(manifest.paths % 100).toBe(0);
    expect(run.stdout).toContain(`${manifest.paths} paths over 4d 0h 00m 00s (stopped when every mode's 95 % liquidation-probability interval was within ±5.00 %)`);
    expect(run.stderr).toContain(`mstress: Sampled to a precision of ±5.00 %: reached after ${manifest.paths.toLocaleString("en-US")} paths.\n`);
    const capped = mstress("run", scenarioFile, "--precision", "0.001", "--max-paths", "200", "--batch-size", "100", "--workers", "1", "--out", join(work, "precision-capped"));
    expect(capped.stdout).toContain("200 paths over 4d 0h 00m 00s (stopped at the --max-paths cap of 200 before reaching ±0.100 %)");
    expect(capped.stderr).toMatch(/mstress: Sampled towards a precision of ±0\.100 % but stopped at the cap of 200 paths before reaching it \(the widest interval is \w+'s, ±[0-9.]+ %\): raise --max-paths or loosen --precision\.\n/);
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as { modes: Record<string, { liquidationProbabilityCi: [number, number] }> };
    for (const mode of Object.values(summary.modes)) expect((mode.liquidationProbabilityCi[1] - mode.liquidationProbabilityCi[0]) / 2).toBeLessThan(0.05);
    // The same paths as a plain run of that many: the first batches are not resampled.
    const plain = join(work, "precision-plain");
    expect(mstress("run", scenarioFile, "--paths", String(manifest.paths), "--workers", "1", "--out", plain).status).toBe(0);
    expect(files(dir)).toEqual(files(plain));
  });
});

describe("mstress run: bad input exits 2 naming the field, and writes nothing", () => {
  const bad = (name: string, market: string): string => {
    const file = join(work, `${name}.yaml`);
    writeFileSync(file, readFileSync(scenarioFile, "utf8").replace(/market:[\s\S]*$/, `market:\n${market}`));
    return file;
  };
  const cases: [string, string, string][] = [
    ["negative-volatility", "  horizon: 1d\n  assets:\n    BTC: { price: 60000, model: { kind: gbm, volatility: -0.5 } }\n", "market.assets.BTC.model.volatility"],
    [
      "not-psd",
      "  horizon: 1d\n  assets:\n    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }\n    ETH: { price: 3000, model: { kind: gbm, volatility: 0.5 } }\n    SOL: { price: 150, model: { kind: gbm, volatility: 0.5 } }\n  correlation: { assets: [BTC, ETH, SOL], matrix: [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]] }\n",
      "market.correlation.matrix",
    ],
    ["jumps-per-step", "  horizon: 1d\n  step: 8h\n  assets:\n    BTC: { price: 60000, model: { kind: jump-diffusion, volatility: 0.5, jumps: { up: { intensity: 1000, mean: 0.05, stdDev: 0.01 } } } }\n", "market.assets.BTC.model.jumps.up.intensity"],
    ["step-not-dividing-funding", "  horizon: 3d\n  step: 3h\n  assets:\n    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }\n", "market.step"],
  ];
  for (const [name, market, field] of cases) {
    it(`${name}: ${field}`, () => {
      const out = join(work, `out-${name}`);
      const run = mstress("run", bad(name, market), "--paths", "10", "--out", out);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(field);
      expect(run.stderr.trim().split("\n").every((line) => line.startsWith("mstress: "))).toBe(true);
      expect(existsSync(out)).toBe(false);
    });
  }

  it("rejects bad flags: --workers 0, --shard 5/4, --precision 2", () => {
    for (const flags of [["--workers", "0"], ["--shard", "5/4"], ["--precision", "2"], ["--max-paths", "10"]]) {
      const run = mstress("run", scenarioFile, ...flags, "--out", join(work, "never"));
      expect(run.status, flags.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/^mstress: .*--/);
    }
    expect(existsSync(join(work, "never"))).toBe(false);
  });
});

describe("mstress run: interrupted", () => {
  it.each(["SIGINT", "SIGTERM", "SIGHUP"] as const)("stops on %s with exit 130 and leaves no result directory, complete or partial", async (signal) => {
    const out = join(work, `interrupted-${signal}`);
    const child = spawn(process.execPath, [mstressBin, "run", scenarioFile, "--paths", "200000", "--workers", "2", "--out", out], { cwd: repositoryRoot });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && stderr.includes("paths/s")) {
        sent = true;
        child.kill(signal);
      }
    });
    const status = await new Promise<number | null>((done) => child.on("close", done));
    expect(status).toBe(130);
    expect(stderr).toContain("interrupted");
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((f) => f.includes("partial") || f.endsWith(".lock"))).toEqual([]);
  });

  // Ctrl-C in the first seconds once left a partial directory behind (5 of 25 tries): before the handlers are
  // installed the default action ends the process before anything is created; after, the run cleans up.
  it.each([100, 300, 500, 700, 900, 1200, 1600, 2000])("leaves nothing when Ctrl-C comes %i ms after the start", async (delay) => {
    const out = join(work, `early-${String(delay)}`);
    const child = spawn(process.execPath, [mstressBin, "run", scenarioFile, "--paths", "200000", "--workers", "2", "--out", out], { cwd: repositoryRoot, stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, delay));
    child.kill("SIGINT");
    // A second Ctrl-C, as an impatient user (or a process group) sends it.
    setTimeout(() => child.kill("SIGINT"), 50);
    await new Promise((done) => child.on("close", done));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((f) => f.startsWith(`.early-${String(delay)}`))).toEqual([]);
  });
});
