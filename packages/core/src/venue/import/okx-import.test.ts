// OKX swap import from instruments, position-tiers, mark-price and funding-rate in the documented shapes.
import { describe, expect, it } from "vitest";
import { fixtureJson, fixtureResponses, inputFailure } from "./fixture-responses.test-support.js";
import { okxImporter } from "./okx-import.js";

const read = (changes: Readonly<Record<string, unknown>> = {}, symbols?: readonly string[]) => okxImporter.read(fixtureResponses(okxImporter, changes), symbols);

const failure = (changes: Readonly<Record<string, unknown>>, symbols?: readonly string[]): string => inputFailure(() => read(changes, symbols));

type Data = { data: Record<string, unknown>[] };
function solTiersWith(index: number, change: Record<string, unknown>): Data {
  const tiers = fixtureJson("okx-swap", "position-tiers-SOL-USDT.json") as Data;
  Object.assign(tiers.data[index] ?? {}, change);
  return tiers;
}

describe("OKX import", () => {
  it("imports the live linear swaps with tiers and a mark price; no inverse swap", () => {
    const result = read();
    expect(result.perpetuals.map((p) => p.symbol)).toEqual(["BTC-USDT-SWAP", "SOL-USDT-SWAP"]); // BTC-USD-SWAP is inverse
    expect(result.skipped).toEqual([{ symbol: "ETH-USDT-SWAP", reason: "no tiers for ETH-USDT in position-tiers*.json" }]);
  });

  it("turns tiers in contracts into notional at the mark: contracts x ctVal x ctMult x markPx", () => {
    const btc = read().perpetuals.find((p) => p.symbol === "BTC-USDT-SWAP");
    // ctVal 0.01 BTC, ctMult 1, markPx 97,000.1: 2,000 contracts = 20 BTC = 1,940,002 USDT; tier 2 lists minSz 2001
    // (integer ranges), so it starts where tier 1 ends; 4,000 -> 3,880,004; 8,000 -> 7,760,008; 16,000 -> 15,520,016.
    expect(btc?.brackets.tiers).toEqual([
      { floor: 0, cap: 1940002, maxLeverage: 100, maintenanceRate: 0.004 },
      { floor: 1940002, cap: 3880004, maxLeverage: 75, maintenanceRate: 0.006 },
      { floor: 3880004, cap: 7760008, maxLeverage: 50, maintenanceRate: 0.008 },
      { floor: 7760008, cap: 15520016, maxLeverage: 30, maintenanceRate: 0.012 },
    ]);
    // The older of the tiers file (modified 06:00) and the mark price (ts 00:00).
    expect(btc?.brackets.asOf).toBe("2026-11-30T00:00:00.000Z");
    expect(btc?.brackets.source).toMatch(/position-tiers-BTC-USDT\.json, sha256 [0-9a-f]{64}.*mark-price\.json, sha256 [0-9a-f]{64}.*markPx 97000\.1/);
  });

  it("SOL-USDT-SWAP: 1-SOL contracts at 150, funding bounds and interval from funding-rate", () => {
    const sol = read().perpetuals.find((p) => p.symbol === "SOL-USDT-SWAP");
    expect(sol?.brackets.tiers.map((t) => [t.floor, t.cap])).toEqual([[0, 750000], [750000, 1500000], [1500000, 3000000]]);
    // nextFundingTime - fundingTime = 14,400,000 ms = 4 h.
    expect(sol?.funding).toMatchObject({ intervalHours: 4, cap: 0.015, floor: -0.015, asOf: "2026-11-30T00:01:00.000Z" });
    expect(sol).toMatchObject({ base: "SOL", quote: "USDT", tickSize: 0.01 });
  });

  it.each([
    ["an error body", { "mark-price.json": { code: "50011", msg: "Rate limit reached. Please refer to API documentation and throttle requests accordingly.", data: [] } }, /^mark-price\.json: \$\.code: the venue answered with an error \(code 50011: "Rate limit reached/],
    ["spot instruments instead of swaps", { "instruments.json": { code: "0", msg: "", data: [{ ...((fixtureJson("okx-swap", "instruments.json") as Data).data[0] ?? {}), instType: "SPOT" }] } }, /^instruments\.json: \$\.data\[0\]\.instType: expected "SWAP", got "SPOT"/],
    ["a gap between tiers", { "position-tiers-SOL-USDT.json": solTiersWith(1, { minSz: "5002" }) }, /^position-tiers-SOL-USDT\.json: \$\.data\[1\]\.minSz: SOL-USDT-SWAP tier 2 starts at 750300, leaving a gap after tier 1's cap 750000/],
    ["overlapping tiers", { "position-tiers-SOL-USDT.json": solTiersWith(1, { minSz: "4000" }) }, /^position-tiers-SOL-USDT\.json: \$\.data\[1\]\.minSz: SOL-USDT-SWAP tier 2 starts at 600000, overlapping tier 1 \(cap 750000\)/],
    ["funding bounds that do not straddle 0", { "funding-rate.json": { code: "0", msg: "", data: [{ ...((fixtureJson("okx-swap", "funding-rate.json") as Data).data[0] ?? {}), minFundingRate: "0.001" }] } }, /^funding-rate\.json: \$\.data\[0\]\.maxFundingRate: BTC-USDT-SWAP has bounds 0\.001 \.\. 0\.00375; expected a floor below 0 and a cap above/],
    ["a missing mmr", { "position-tiers-SOL-USDT.json": solTiersWith(2, { mmr: undefined }) }, /^position-tiers-SOL-USDT\.json: \$\.data\[2\]\.mmr: expected a number or a numeric string, got nothing/],
  ])("bad input: %s names the file and the JSON path", (_, changes, message) => {
    expect(failure(changes)).toMatch(message);
  });

  it("a symbol asked for without a mark price is bad input naming mark-price.json", () => {
    const marks = fixtureJson("okx-swap", "mark-price.json") as Data;
    expect(failure({ "mark-price.json": { ...marks, data: marks.data.slice(0, 2) } }, ["SOL-USDT-SWAP"])).toMatch(
      /^mark-price\.json: \$\.data\[\*\]\.instId: no mark price for SOL-USDT-SWAP/,
    );
  });
});
