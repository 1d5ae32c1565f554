import { readFileSync } from "node:fs";
import { parsePathCsv, parseScenario, parseVenueProfile, type VenueProfile } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { ScriptedPath } from "../models/scripted-path.js";
import { replayRoute } from "./replay-route.js";
import { scenarioAssets } from "../route/open-route.js";

const binanceFile = new URL("../../../core/venues/binance-usdm.yaml", import.meta.url);
const binance = parseVenueProfile(readFileSync(binanceFile, "utf8"), "binance-usdm.yaml");
const hyperliquid = parseVenueProfile(readFileSync(new URL("../../../core/venues/hyperliquid.yaml", import.meta.url), "utf8"), "hyperliquid.yaml");
const venues = new Map<string, VenueProfile>([
  ["binance-usdm", binance],
  ["hyperliquid", hyperliquid],
]);
const btc = binance.symbols.BTCUSDT;
if (btc === undefined) throw new Error("binance-usdm.yaml lists BTCUSDT");

function carry(options: { funding: number; horizon: string; closeAtHorizon: boolean; points?: string }): string {
  return `name: carry
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }
costs: { fees: true, funding: true, closeAtHorizon: ${options.closeAtHorizon} }
path:
  step: 1h
  funding: ${options.funding}
  points: ${options.points ?? `[{ t: 0, price: 60000 }, { t: ${options.horizon}, price: 60000 }]`}
`;
}

function replay(text: string, mode: "isolated" | "cross" | "portfolio") {
  const scenario = parseScenario(text, "test.yaml");
  const spec = scenario.path;
  if (spec?.points === undefined) throw new Error("test scenarios use points");
  const path = new ScriptedPath(spec.points, scenarioAssets(scenario, venues), { basis: spec.basis, funding: spec.funding });
  return replayRoute({ scenario, venues, path }, mode);
}

describe("replayRoute: fees and funding as they fall due", () => {
  it("books taker fees on entry and exit and funding every 8 h on a flat day", () => {
    const result = replay(carry({ funding: 0.0001, horizon: "24h", closeAtHorizon: true }), "cross");
    // Entry and exit: 1 BTC * 60,000 * taker each; funding at 8 h, 16 h, 24 h: 3 * 60,000 * 0.0001 = 18 to the short.
    const fee = 60000 * btc.fees.taker;
    expect(result.tradingFees).toBeCloseTo(2 * fee, 8);
    expect(result.fundingReceived).toBeCloseTo(18, 8);
    expect(result.finalEquity).toBeCloseTo(10000 - 2 * fee + 18, 8);
    expect(result.pnl).toBeCloseTo(-2 * fee + 18, 8);
    expect(result.liquidated).toBe(false);
  });

  it("clamps the funding rate at the venue's cap", () => {
    const result = replay(carry({ funding: 0.01, horizon: "8h", closeAtHorizon: false }), "cross");
    // 1 % asked, the venue caps at btc.funding.cap (0.30 % per 8 h for BTCUSDT): one payment of 60,000 * cap.
    expect(result.fundingReceived).toBeCloseTo(60000 * btc.funding.cap, 8);
  });

  it("negative funding melts an isolated allocation until the short is liquidated (the maintenance-margin trap)", () => {
    // Flat price; the short pays 60,000 * 0.003 = 180 every 8 h out of its $3,000 isolated margin (the entry fee
    // comes from the wallet). Liquidation when 3,000 - 180 k <= MM = 60,000 * 0.005 - 50 = 250, i.e. k >= 15.3:
    // the 16th payment, at 16 * 8 h = 128 h.
    const result = replay(carry({ funding: -0.003, horizon: "7d", closeAtHorizon: false }), "isolated");
    expect(result.liquidated).toBe(true);
    expect(result.liquidatedAt).toBe(128 * 3600);
    expect(result.hedgeBroken).toBe(true);
    expect(result.fundingReceived).toBeCloseTo(-16 * 180, 8);
  });

  it("gives identical results on a second run (no randomness, no clock)", () => {
    const text = carry({ funding: 0.0001, horizon: "3d", closeAtHorizon: true, points: "[{ t: 0, price: 60000 }, { t: 1d, price: 66000 }, { t: 3d, price: 57000 }]" });
    expect(JSON.stringify(replay(text, "cross"))).toBe(JSON.stringify(replay(text, "cross")));
  });
});

describe("replayRoute: several triggers and venues", () => {
  it("liquidates two isolated legs at their own crossings inside one coarse step", () => {
    const text = `name: two
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: a, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: b, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3500 }
  - { name: spot, account: futures, type: spot, asset: BTC, side: long, qty: 2 }
costs: { fees: false, funding: false, closeAtHorizon: false }
path: { step: 1h, points: [{ t: 0, price: 60000 }, { t: 1h, price: 67200 }] }
`;
    const result = replay(text, "isolated");
    // a: (3000 + 50 + 60000) / 1.005 = 62,736.32 at 3600 * 2736.32 / 7200 = 1,368.16 s;
    // b: (3500 + 50 + 60000) / 1.005 = 63,233.83 at 3600 * 3233.83 / 7200 = 1,616.92 s. Each loses its allocation.
    expect(result.liquidations.map((r) => r.leg)).toEqual(["a", "b"]);
    expect(result.liquidations[0]?.markPrice).toBeCloseTo(62736.32, 1);
    expect(result.liquidations[1]?.markPrice).toBeCloseTo(63233.83, 1);
    expect(result.liquidations[1]?.t).toBeCloseTo(1616.92, 1);
    expect(result.liquidations.every((r) => r.insuranceCover === 0)).toBe(true);
    expect(result.loss).toBeCloseTo(6500, 6);
    expect(result.finalEquity).toBeCloseTo(3500, 6);
  });

  it("pays an hourly venue the 8-hour rate / 8 each hour, so perp-perp funding nets out", () => {
    const text = `name: perp-perp
accounts:
  - { name: binance, venue: binance-usdm, deposit: 10000 }
  - { name: hl, venue: hyperliquid, deposit: 10000 }
legs:
  - { name: short, account: binance, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long, account: hl, type: perp, symbol: BTC, side: long, qty: 1, isolatedMargin: 3000 }
costs: { fees: false, funding: true, closeAtHorizon: false }
path: { step: 1h, funding: 0.0001, points: [{ t: 0, price: 60000 }, { t: 24h, price: 60000 }] }
`;
    const result = replay(text, "cross");
    // Binance short receives 3 * 60,000 * 0.0001 = 18; Hyperliquid long pays 24 * 60,000 * 0.0001 / 8 = 18.
    expect(result.fundingReceived).toBeCloseTo(0, 8);
    expect(result.accounts.map((a) => a.finalEquity)).toEqual([10018, 9982]);
  });

  it("rejects an isolated allocation below the initial margin, naming the leg", () => {
    const text = carry({ funding: 0, horizon: "1h", closeAtHorizon: false }).replace("isolatedMargin: 3000", "isolatedMargin: 260");
    // 60,000 notional in bracket 2 (max 100x): initial margin 600.
    expect(() => replay(text, "isolated")).toThrow(/legs\.short-perp\.isolatedMargin: expected at least the initial margin 600\.00/);
  });
});

describe("parsePathCsv + ScriptedPath", () => {
  it("keeps a first row of numbers (no header) and rejects a non-finite price", () => {
    expect(parsePathCsv("0,6e4\n3600,61000\n", "p.csv", "BTC").map((p) => p.t)).toEqual([0, 3600]);
    expect(() => parsePathCsv("0,60000\n60,Infinity\n", "p.csv", "BTC")).toThrow(/p\.csv: row 2: price: expected a positive number/);
  });

  it("reads timestamp,price,funding rows with ISO times, relative to the first row", () => {
    const points = parsePathCsv("timestamp,price,funding\n2024-08-05T00:00:00Z,58350,0.0001\n2024-08-05T05:00:00Z,49513,-0.0005\n", "crash.csv", "BTC");
    expect(points.map((p) => p.t)).toEqual([0, 5 * 3600]);
    const path = new ScriptedPath(points, ["BTC"], { basis: 0, funding: 0 });
    // Halfway: (58,350 + 49,513) / 2 = 53,931.5; funding holds the first row's rate until the second row.
    expect(path.at(2.5 * 3600).index.get("BTC")).toBeCloseTo(53931.5, 8);
    expect(path.at(2.5 * 3600).funding).toBe(0.0001);
    expect(path.at(5 * 3600).funding).toBe(-0.0005);
  });

  it("rejects a row that goes back in time, naming the row", () => {
    expect(() => parsePathCsv("0,100\n60,101\n30,102\n", "p.csv", "BTC")).toThrow(/p\.csv: row 3: timestamp: expected a time after the previous row/);
  });
});
