// Sweep grids and parameter addressing, on a scenario as written (plain data), and the `sweep:` block through
// the scenario parser.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isMstressError } from "../errors/mstress-error.js";
import { parseScenario, validateScenario } from "./parse-scenario.js";
import { applySweepPoint, parseSweepAssignment, sweepGrid } from "./sweep.js";

const raw = {
  name: "sweep-test",
  accounts: [
    { name: "futures", venue: "binance-usdm", deposit: 10_000 },
    { name: "hedge", venue: "bybit-linear", deposit: 5_000 },
  ],
  legs: [
    { name: "short-perp", account: "futures", type: "perp", symbol: "BTCUSDT", side: "short", qty: 1, isolatedMargin: 3_000 },
    { name: "long-perp", account: "hedge", type: "perp", symbol: "BTCUSDT", side: "long", qty: 1, isolatedMargin: 2_000 },
  ],
  market: {
    horizon: "30d",
    assets: { BTC: { price: 60_000, model: { kind: "gbm", drift: 0, volatility: 0.5 } } },
  },
};

type Legs = { isolatedMargin: number; qty: number }[];

describe("sweepGrid", () => {
  it("lists every combination, the first parameter varying slowest", () => {
    const grid = sweepGrid([
      { name: "isolatedMargin", values: [1_000, 2_000] },
      { name: "vol", values: [0.4, 0.6, 0.8] },
    ]);
    expect(grid.map((point) => point.map((p) => p.value))).toEqual([
      [1_000, 0.4], [1_000, 0.6], [1_000, 0.8],
      [2_000, 0.4], [2_000, 0.6], [2_000, 0.8],
    ]);
  });
});

describe("applySweepPoint", () => {
  it("sets every perp leg's allocation and every asset's volatility by their short names, leaving the input alone", () => {
    const { scenario, problems } = applySweepPoint(raw, [{ name: "isolatedMargin", value: 1_500 }, { name: "vol", value: 0.8 }]);
    expect(problems).toEqual([]);
    const edited = scenario as typeof raw;
    expect((edited.legs as Legs).map((l) => l.isolatedMargin)).toEqual([1_500, 1_500]);
    expect(edited.market.assets.BTC.model.volatility).toBe(0.8);
    expect(raw.legs[0]?.isolatedMargin).toBe(3_000);
    expect(raw.market.assets.BTC.model.volatility).toBe(0.5);
  });

  it("addresses one field by a dotted path, array items by name or index", () => {
    const byName = applySweepPoint(raw, [{ name: "legs.long-perp.isolatedMargin", value: 2_500 }]).scenario as typeof raw;
    expect((byName.legs as Legs).map((l) => l.isolatedMargin)).toEqual([3_000, 2_500]);
    const byIndex = applySweepPoint(raw, [{ name: "accounts.1.deposit", value: 7_000 }]).scenario as typeof raw;
    expect(byIndex.accounts.map((a) => a.deposit)).toEqual([10_000, 7_000]);
    const horizon = applySweepPoint(raw, [{ name: "horizon", value: "7d" }]).scenario as typeof raw;
    expect(horizon.market.horizon).toBe("7d");
  });

  it("names a parameter the scenario has no field for", () => {
    expect(applySweepPoint(raw, [{ name: "legs.short-perp.isolatedMargn", value: 1 }]).problems).toEqual([
      "--set legs.short-perp.isolatedMargn: legs.short-perp.isolatedMargn is not in the scenario",
    ]);
    expect(applySweepPoint(raw, [{ name: "legs.nope.qty", value: 1 }]).problems).toEqual(["--set legs.nope.qty: legs.nope is not in the scenario"]);
    expect(applySweepPoint(raw, [{ name: "leverage", value: 3 }]).problems[0]).toMatch(/^--set leverage: expected a dotted path/);
  });

  it("leaves the schema to judge the value: a negative allocation fails validation naming the leg's field", () => {
    const { scenario } = applySweepPoint(raw, [{ name: "isolatedMargin", value: -1 }]);
    let message = "";
    try {
      validateScenario(scenario, "point 1");
    } catch (error) {
      message = isMstressError(error) ? error.message : String(error);
    }
    expect(message).toContain("point 1: legs.short-perp.isolatedMargin: expected a value >= 1e-8, got -1");
  });
});

describe("parseSweepAssignment", () => {
  it("reads numbers as numbers and anything else as text", () => {
    expect(parseSweepAssignment("isolatedMargin=1000, 2000,3000")).toEqual({ name: "isolatedMargin", values: [1_000, 2_000, 3_000] });
    expect(parseSweepAssignment("horizon=7d,30d")).toEqual({ name: "horizon", values: ["7d", "30d"] });
  });

  it("says what was expected for a malformed assignment", () => {
    expect(parseSweepAssignment("isolatedMargin")).toMatch(/^expected name=value,value/);
    expect(parseSweepAssignment("vol=0.4,,0.8")).toMatch(/^expected non-empty values/);
  });
});

describe("the sweep: block", () => {
  it("parses a grid with its paths", () => {
    const scenario = parseScenario(stringify({ ...raw, sweep: { parameters: { isolatedMargin: [1_000, 3_000], vol: [0.4] }, paths: 500 } }), "s.yaml");
    expect(scenario.sweep).toEqual({ parameters: { isolatedMargin: [1_000, 3_000], vol: [0.4] }, paths: 500 });
  });

  it("rejects an empty value list naming the parameter", () => {
    expect(() => parseScenario(stringify({ ...raw, sweep: { parameters: { vol: [] } } }), "s.yaml")).toThrow(/^s\.yaml:\d+:\d+: sweep\.parameters\.vol: expected at least 1 item$/);
  });
});
