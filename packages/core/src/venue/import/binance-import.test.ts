// Binance USDⓈ-M import from responses in the documented shapes (fixtures/README.md names each page): what is
// read from where, and every bad-input case of the issue failing with the file and the JSON path.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseVenueProfile } from "../parse-venue-profile.js";
import { binanceImporter } from "./binance-import.js";
import { fixtureJson, fixtureModifiedAt, fixtureResponses, fixtureText, inputFailure } from "./fixture-responses.test-support.js";
import type { ImportedPerpetual } from "./imported-venue.js";

const shipped = parseVenueProfile(readFileSync(new URL("../../../venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");
const sha256 = (file: string): string => createHash("sha256").update(fixtureText("binance-usdm", file)).digest("hex");

function read(changes: Readonly<Record<string, unknown>> = {}, symbols?: readonly string[]) {
  return binanceImporter.read(fixtureResponses(binanceImporter, changes), symbols);
}

function perpetual(symbol: string): ImportedPerpetual {
  const found = read().perpetuals.find((p) => p.symbol === symbol);
  if (found === undefined) throw new Error(`${symbol} not imported`);
  return found;
}

const failure = (changes: Readonly<Record<string, unknown>>, symbols?: readonly string[]): string => inputFailure(() => read(changes, symbols));

/** leverageBracket.json with one bracket field changed. */
function bracketsWith(symbolIndex: number, bracketIndex: number, change: Record<string, unknown>): unknown {
  const entries = fixtureJson("binance-usdm", "leverageBracket.json") as { brackets: Record<string, unknown>[] }[];
  const bracket = entries[symbolIndex]?.brackets[bracketIndex];
  if (bracket === undefined) throw new Error("no such bracket");
  Object.assign(bracket, change); // an undefined value drops the field when the JSON is written
  return entries;
}

describe("Binance import", () => {
  it("imports every TRADING perpetual of exchangeInfo, sorted, and no delivery contract", () => {
    expect(read().perpetuals.map((p) => p.symbol)).toEqual(["BTCUSDT", "ETHUSDT", "SOLUSDT"]); // BTCUSDT_261225 is CURRENT_QUARTER
  });

  it("takes BTCUSDT's brackets as leverageBracket serves them: the shipped snapshot's, cum as the maintenance amount", () => {
    const btc = perpetual("BTCUSDT");
    expect(btc.brackets.tiers).toEqual(shipped.symbols["BTCUSDT"]?.brackets.tiers);
    expect(btc.brackets.asOf).toBe(fixtureModifiedAt); // leverageBracket carries no server time
    expect(btc.brackets.source).toContain(`leverageBracket.json, sha256 ${sha256("leverageBracket.json")}`);
    expect(btc).toMatchObject({ base: "BTC", quote: "USDT", tickSize: 0.1 });
    expect(btc.instrument.asOf).toBe("2026-11-30T00:00:00.000Z"); // exchangeInfo serverTime 1795996800000
  });

  it("reads the liquidation fee, the fees of commissionRate and the funding of fundingInfo", () => {
    const btc = perpetual("BTCUSDT");
    expect(btc.liquidationFeeRate).toMatchObject({ value: 0.0125, asOf: "2026-11-30T00:00:00.000Z" });
    expect(btc.fees).toMatchObject({ taker: 0.0005, maker: 0.0002 });
    expect(btc.fees?.source).toContain(`commissionRate.json, sha256 ${sha256("commissionRate.json")}`);
    expect(btc.funding).toBeUndefined(); // not adjusted: fundingInfo lists only SOLUSDT
    const sol = perpetual("SOLUSDT");
    expect(sol.funding).toMatchObject({ intervalHours: 4, cap: 0.03, floor: -0.03 });
    expect(sol.liquidationFeeRate?.value).toBe(0.015);
    // commissionRate answered for BTCUSDT only; the account's tier is taken for SOLUSDT, and says so.
    expect(sol.fees).toMatchObject({ taker: 0.0005, maker: 0.0002 });
    expect(sol.fees?.source).toMatch(/^\[assumption\] the account's rates for BTCUSDT, taken for SOLUSDT/);
  });

  it("reads SOLUSDT's five brackets floor to cap", () => {
    expect(perpetual("SOLUSDT").brackets.tiers.map((t) => [t.floor, t.cap, t.maxLeverage, t.maintenanceRate, t.maintenanceAmount])).toEqual([
      [0, 5000, 75, 0.005, 0],
      [5000, 50000, 50, 0.01, 25],
      [50000, 250000, 25, 0.02, 525],
      [250000, 1000000, 10, 0.05, 8025],
      [1000000, 3000000, 5, 0.1, 58025],
    ]);
  });

  it("imports only the symbols asked for", () => {
    expect(read({}, ["SOLUSDT"]).perpetuals.map((p) => p.symbol)).toEqual(["SOLUSDT"]);
  });

  it("accepts the one-symbol leverageBracket object (the request named a symbol)", () => {
    const [btc] = fixtureJson("binance-usdm", "leverageBracket.json") as unknown[];
    expect(read({ "leverageBracket.json": btc }, ["BTCUSDT"]).perpetuals[0]?.brackets.tiers).toHaveLength(12);
  });

  it("skips a listed perpetual without brackets when no --symbols asked for it, and names the skip", () => {
    const [btc, eth] = fixtureJson("binance-usdm", "leverageBracket.json") as unknown[];
    const result = read({ "leverageBracket.json": [btc, eth] });
    expect(result.perpetuals.map((p) => p.symbol)).toEqual(["BTCUSDT", "ETHUSDT"]);
    expect(result.skipped).toEqual([{ symbol: "SOLUSDT", reason: "no brackets in leverageBracket.json" }]);
  });

  describe("bad input names the file and the JSON path", () => {
    it.each([
      ["an error body instead of the brackets", { "leverageBracket.json": { code: -2015, msg: "Invalid API-key, IP, or permissions for action." } }, /^leverageBracket\.json: \$\.code: the venue answered with an error \(code -2015: "Invalid API-key, IP, or permissions for action\."\)/],
      ["a missing cum", { "leverageBracket.json": bracketsWith(2, 1, { cum: undefined }) }, /^leverageBracket\.json: \$\[2\]\.brackets\[1\]\.cum: expected a number or a numeric string, got nothing \(the field is missing\)$/],
      ["a gap between brackets", { "leverageBracket.json": bracketsWith(0, 3, { notionalFloor: 3100000 }) }, /^leverageBracket\.json: \$\[0\]\.brackets\[3\]\.notionalFloor: BTCUSDT tier 4 starts at 3100000, leaving a gap after tier 3's cap 3000000/],
      ["overlapping brackets", { "leverageBracket.json": bracketsWith(0, 3, { notionalFloor: 2900000 }) }, /^leverageBracket\.json: \$\[0\]\.brackets\[3\]\.notionalFloor: BTCUSDT tier 4 starts at 2900000, overlapping tier 3 \(cap 3000000\)/],
      ["another endpoint's response", { "exchangeInfo.json": fixtureJson("binance-usdm", "leverageBracket.json") }, /^exchangeInfo\.json: \$: expected object, got/],
      ["a file that is not JSON", { "commissionRate.json": "<html>502 Bad Gateway</html>" }, /^commissionRate\.json: \$: not JSON \(.*\); expected the response of GET https:\/\/fapi\.binance\.com\/fapi\/v1\/commissionRate/],
      ["a PERPETUAL without a PRICE_FILTER", { "exchangeInfo.json": { ...(fixtureJson("binance-usdm", "exchangeInfo.json") as object), symbols: [{ ...((fixtureJson("binance-usdm", "exchangeInfo.json") as { symbols: object[] }).symbols[0] ?? {}), filters: [] }] } }, /^exchangeInfo\.json: \$\.symbols\[0\]\.filters: BTCUSDT has no PRICE_FILTER/],
    ])("%s", (_, changes, message) => {
      expect(failure(changes)).toMatch(message);
    });

    it("is an input error with a stable code (the CLI exits 2)", () => {
      expect(() => read({ "commissionRate.json": "{" })).toThrow(expect.objectContaining({ code: "E_VENUE_RESPONSE", isInputError: true }));
    });

    it("a symbol asked for that the venue does not list", () => {
      expect(failure({}, ["BTCUSDT", "DOGEUSDT"])).toMatch(/^exchangeInfo\.json: \$\.symbols\[\?\(@\.contractType=="PERPETUAL" && @\.status=="TRADING"\)\]\.symbol: "DOGEUSDT" is not listed as a trading perpetual; --symbols asked for it/);
      expect(failure({}, ["BTCUSDT_261225"])).toMatch(/"BTCUSDT_261225" is not listed as a trading perpetual/);
    });
  });
});
