import { readFileSync } from "node:fs";
import { parsePathCsv, parseScenario, parseVenueProfile, type VenueProfile } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { ScriptedPath } from "../models/scripted-path.js";
import { replayRoute, scenarioAssets } from "./replay-route.js";

const binanceFile = new URL("../../../core/venues/binance-usdm.yaml", import.meta.url);
const binance = parseVenueProfile(readFileSync(binanceFile, "utf8"), "binance-usdm.yaml");
const venues = new Map<string, VenueProfile>([["binance-usdm", binance]]);
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
  if (scenario.path.points === undefined) throw new Error("test scenarios use points");
  const path = new ScriptedPath(scenario.path.points, scenarioAssets(scenario, venues), { basis: scenario.path.basis, funding: scenario.path.funding });
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

describe("parsePathCsv + ScriptedPath", () => {
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
