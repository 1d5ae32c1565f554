// `mstress venues`, the staleness warning of `liq` and of the run report, and a scenario on an imported symbol.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { binanceResponsesAt, dayMs, mstressIn, scratch } from "../venues/venue-fixtures.test-support.js";

/** A scratch folder with ./venues/binance-usdm.yaml imported from responses `ageDays` old (server time and files). */
function importedAged(ageDays: number): { cwd: string; asOf: string } {
  const cwd = scratch();
  const at = new Date(Date.now() - ageDays * dayMs);
  const run = mstressIn(cwd, ["venue", "import", "binance-usdm", "--from", binanceResponsesAt(cwd, at)]);
  expect(run.status, run.stderr).toBe(0);
  return { cwd, asOf: new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().slice(0, 10) };
}

const solLong = ["liq", "--venue", "binance-usdm", "--symbol", "SOLUSDT", "--mode", "isolated", "--side", "long", "--entry", "150", "--qty", "100", "--margin", "1500"];

describe("mstress venues", () => {
  it("lists yours before the shipped ones, with symbol count, as-of date and age", () => {
    const { cwd, asOf } = importedAged(200);
    const table = mstressIn(cwd, ["venues"]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^binance-usdm  yours +3 +${asOf}  200 d \\(stale\\) +venues/binance-usdm\\.yaml$`, "m"));
    expect(table.stdout).toMatch(/^binance-usdm {2}shipped \(yours is used\) +2 +2024-10-24 /m);
    expect(table.stdout).toMatch(/^bybit-linear {2}shipped +1 +undated +unknown \(stale\)/m);
    const rows = JSON.parse(mstressIn(cwd, ["venues", "--json", "--max-venue-age", "365"]).stdout) as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({ name: "binance-usdm", origin: "local", used: true, symbols: 3, ageDays: 200, stale: false });
    expect(rows[1]).toMatchObject({ name: "binance-usdm", origin: "shipped", used: false, symbols: 2, asOf: "2024-10-24" });
  });

  it("lists one venue's symbols with tiers and fees, as a table and as JSON", () => {
    const { cwd } = importedAged(10);
    const table = mstressIn(cwd, ["venues", "binance-usdm"]);
    expect(table.stdout).toMatch(/^SOLUSDT +0\.01 +5 +<= 5,000 at 75x, MMR 0\.500 % +0\.050 % \/ 0\.020 % +4 h, ±3\.000 % +1\.500 %/m);
    const venue = JSON.parse(mstressIn(cwd, ["venues", "binance-usdm", "--json"]).stdout) as { file: string; stale: boolean; symbols: { symbol: string; brackets: { tiers: unknown[]; source: string } }[] };
    expect(venue).toMatchObject({ file: "venues/binance-usdm.yaml", stale: false });
    expect(venue.symbols.map((s) => s.symbol)).toEqual(["BTCUSDT", "ETHUSDT", "SOLUSDT"]);
    expect(venue.symbols[2]?.brackets.tiers[1]).toEqual({ tier: 2, floor: 5000, cap: 50000, maxLeverage: 50, maintenanceRate: 0.01, maintenanceAmount: 25 });
    expect(venue.symbols[2]?.brackets.source).toMatch(/leverageBracket\.json, sha256 [0-9a-f]{64}/);
  });
});

describe("staleness", () => {
  it("liq warns in one line naming the file when its figures are older than 90 days, and the limit is configurable", () => {
    const { cwd, asOf } = importedAged(200);
    const stale = mstressIn(cwd, [...solLong, "--json"]);
    expect(stale.status).toBe(0);
    expect(stale.stderr.startsWith(`mstress: warning: venues/binance-usdm.yaml: its venue figures are as of ${asOf}T`)).toBe(true);
    expect(stale.stderr).toMatch(/, 200 days old \(more than 90\); refresh it with `mstress venue import`/);
    expect(stale.stderr.split("\n")).toHaveLength(2);
    expect(mstressIn(cwd, [...solLong, "--max-venue-age", "365"]).stderr).toBe("");
    expect(mstressIn(cwd, solLong, { MSTRESS_MAX_VENUE_AGE_DAYS: "365" }).stderr).toBe("");
    expect(mstressIn(cwd, solLong, { MSTRESS_MAX_VENUE_AGE_DAYS: "soon" }).stderr).toBe('mstress: MSTRESS_MAX_VENUE_AGE_DAYS: expected a number of days >= 0, got "soon"\n');
    expect(mstressIn(importedAged(10).cwd, solLong).stderr).toBe("");
  });

  it("a scenario on an imported symbol validates and runs, and its report warns that the venue file was stale", () => {
    const { cwd } = importedAged(200);
    writeFileSync(
      join(cwd, "sol-carry.yaml"),
      `name: sol-carry
description: SOL funding carry on the imported Binance file (SOLUSDT is not in the shipped one)
accounts: [{ name: futures, venue: binance-usdm, deposit: 5000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: SOLUSDT, side: short, qty: 10, isolatedMargin: 300 }
  - { name: long-spot, account: futures, type: spot, asset: SOL, side: long, qty: 10 }
modes: [isolated, cross]
market:
  horizon: 2d
  step: 1h
  assets:
    SOL: { price: 150, model: { kind: gbm, volatility: 0.8 } }
`,
    );
    const validate = mstressIn(cwd, ["validate", "sol-carry.yaml"]);
    expect(validate.status, validate.stderr).toBe(0);
    const run = mstressIn(cwd, ["run", "sol-carry.yaml", "--paths", "200", "--workers", "1", "--out", "results/sol"]);
    expect(run.status, run.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(cwd, "results/sol/manifest.json"), "utf8")) as { venues: Record<string, unknown>[] };
    expect(manifest.venues).toEqual([expect.objectContaining({ name: "binance-usdm", file: "venues/binance-usdm.yaml", ageDays: 200, maxAgeDays: 90, stale: true })]);
    const report = readFileSync(join(cwd, "results/sol/report.html"), "utf8");
    expect(report).toMatch(/<section id="venue-age" class="panel"><h2>Venue figures may be stale<\/h2>.*venues\/binance-usdm\.yaml \(binance-usdm\): figures as of \S+, 200 days old when the run started \(limit 90\)\./s);
    // The shipped file does not list SOLUSDT: the run could only have used the imported one.
    const elsewhere = mstressIn(scratch(), ["validate", join(cwd, "sol-carry.yaml")]);
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toMatch(/legs\.short-perp\.symbol: expected a symbol venue binance-usdm lists \(BTCUSDT, ETHUSDT\), got "SOLUSDT"/);
    // MSTRESS_VENUES_DIR points every command at a venues folder from anywhere.
    expect(mstressIn(scratch(), ["validate", join(cwd, "sol-carry.yaml")], { MSTRESS_VENUES_DIR: join(cwd, "venues") }).status).toBe(0);
  });
});
