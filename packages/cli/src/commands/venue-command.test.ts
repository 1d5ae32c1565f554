// `mstress venue import` end to end, as a user runs it: responses saved in a folder, the venue file written to
// ./venues, then `liq` finding it there before the shipped one.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { binanceResponsesAt, dayMs, mstressIn, savedResponses, scratch } from "../venues/venue-fixtures.test-support.js";

const recently = new Date(Date.now() - 5 * dayMs);

function imported(venue: string, cwd = scratch(), extra: readonly string[] = []): { cwd: string; stdout: string } {
  const from = venue === "binance-usdm" ? binanceResponsesAt(cwd, recently) : savedResponses(cwd, venue, recently);
  const run = mstressIn(cwd, ["venue", "import", venue, "--from", from, ...extra]);
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return { cwd, stdout: run.stdout };
}

// One folder with all four venues imported, shared by the tests that only read it (each import is a process start).
let all = "";
let binanceStdout = "";
beforeAll(() => {
  all = scratch();
  binanceStdout = imported("binance-usdm", all).stdout;
  for (const venue of ["bybit-linear", "okx-swap", "hyperliquid"]) imported(venue, all);
});

function liq(cwd: string, args: readonly string[]): Record<string, unknown> {
  const run = mstressIn(cwd, ["liq", ...args, "--json"]);
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

const workedExample = ["--venue", "binance-usdm", "--symbol", "BTCUSDT", "--side", "short", "--entry", "60000", "--qty", "1"];

describe("mstress venue import", () => {
  it("Binance responses whose BTCUSDT brackets equal the shipped file's give the worked example's liquidation prices, through liq", () => {
    const cwd = all;
    // ./venues/binance-usdm.yaml is found first; an empty --venues-dir leaves the shipped file.
    const shipped = ["--venues-dir", join(cwd, "no-venues-here")];
    const isolated = ["--mode", "isolated", "--margin", "3000"];
    const cross = ["--mode", "cross", "--balance", "10000"];
    const fromImport = liq(cwd, [...workedExample, ...isolated]);
    const fromShipped = liq(cwd, [...workedExample, ...isolated, ...shipped]);
    // Bracket 2 (50k-600k: 0.5 %, cum 50): short isolated (3,000 + 50 + 60,000) / (1 + 0.005) = 62,736.32;
    // cross with the whole 10,000: (10,000 + 50 + 60,000) / 1.005 = 69,701.49 (domain: ~$62.7k-63.0k, ~$69.6k).
    expect(fromImport.liquidationPrice).toBeCloseTo(62736.32, 2);
    expect(fromImport).toEqual(fromShipped);
    const crossImport = liq(cwd, [...workedExample, ...cross]);
    expect(crossImport.liquidationPrice).toBeCloseTo(69701.49, 2);
    expect(crossImport).toEqual(liq(cwd, [...workedExample, ...cross, ...shipped]));
  });

  it("liq on an imported SOL of each venue meets that venue's closed form", () => {
    const cwd = all;
    const position = ["--mode", "isolated", "--side", "long", "--entry", "150", "--qty", "100", "--margin", "1500"];
    // Binance SOLUSDT, long 100 @ 150 with 1,500 isolated: LP = (WB + cum - Q*EP) / (Q*MMR - Q). At about 136 the
    // notional (~13,600) sits in bracket 2 (5k-50k: 1 %, cum 25): (1,500 + 25 - 15,000) / (1 - 100) = 136.1111.
    // (Bracket 1's root, 13,500 / 99.5 = 135.68, has a notional of 13,568, outside bracket 1's 0-5,000.)
    const binance = liq(cwd, ["--venue", "binance-usdm", "--symbol", "SOLUSDT", ...position]);
    expect(binance.liquidationPrice).toBeCloseTo(13475 / 99, 9);
    expect(binance.bracket).toBe(2);
    // Bybit SOLUSDT: MM on the value at entry, 15,000 x 1 % - 0 = 150 (tier 1 up to 200,000); LP = EP - (IM - MM)/Q
    // = 150 - (1,500 - 150) / 100 = 136.50.
    expect(liq(cwd, ["--venue", "bybit-linear", "--symbol", "SOLUSDT", ...position]).liquidationPrice).toBeCloseTo(136.5, 9);
    // OKX SOL-USDT-SWAP: tier 1 (up to 5,000 contracts = 750,000 at the 150 mark) MMR 1 % plus the 0.05 % taker fee
    // carried from BTC-USDT-SWAP; LP = (EP - WB/Q) / (1 - (MMR + fee)) = (150 - 15) / 0.9895 = 136.4325.
    expect(liq(cwd, ["--venue", "okx-swap", "--symbol", "SOL-USDT-SWAP", ...position]).liquidationPrice).toBeCloseTo(135 / 0.9895, 9);
    // Hyperliquid SOL: margin table "tiered 20x", l = 1 / (2 x 20) = 2.5 %; MM at entry 15,000 x 2.5 % = 375,
    // available 1,125; LP = P - side x avail / Q / (1 - l x side) = 150 - 11.25 / 0.975 = 138.4615.
    expect(liq(cwd, ["--venue", "hyperliquid", "--symbol", "SOL", ...position]).liquidationPrice).toBeCloseTo(150 - 11.25 / 0.975, 9);
  });

  it("says what it kept and replaced, and importing the same responses again writes the same bytes", () => {
    expect(binanceStdout.split("\n").slice(0, 4)).toEqual([
      "wrote venues/binance-usdm.yaml: 3 perpetuals from 4 responses in responses/binance-usdm",
      "kept from the shipped binance-usdm.yaml: title, maintenanceConvention, liquidation, portfolio (hand-written; the venue's API does not serve them)",
      "replaced: BTCUSDT, ETHUSDT",
      "added: SOLUSDT",
    ]);
    expect(binanceStdout).toContain("note: funding of BTCUSDT: kept from the existing file (the responses do not carry it)");
    const file = join(all, "venues/binance-usdm.yaml");
    const bytes = readFileSync(file);
    const again = mstressIn(all, ["venue", "import", "binance-usdm", "--from", "responses/binance-usdm"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^unchanged venues\/binance-usdm\.yaml: 3 perpetuals/);
    expect(again.stdout).toContain("kept from venues/binance-usdm.yaml: title, maintenanceConvention, liquidation, portfolio");
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it("--taker and --maker set the fees of every symbol; one without the other is bad input", () => {
    const { cwd } = imported("bybit-linear", scratch(), ["--taker", "0.0004", "--maker", "-0.0001", "--symbols", "SOLUSDT"]);
    const venue = JSON.parse(mstressIn(cwd, ["venues", "bybit-linear", "--json"]).stdout) as { symbols: { symbol: string; fees: { taker: number; maker: number } }[] };
    expect(venue.symbols.map((s) => [s.symbol, s.fees.taker, s.fees.maker])).toEqual([["SOLUSDT", 0.0004, -0.0001]]);
    const half = mstressIn(cwd, ["venue", "import", "bybit-linear", "--from", "responses/bybit-linear", "--taker", "0.0004"]);
    expect(half.status).toBe(2);
    expect(half.stderr).toBe("mstress: --maker: expected --taker and --maker together\n");
  });

  type Edit = (file: string, json: unknown) => unknown;
  const bracketsEdit = (symbol: number, bracket: number, change: Record<string, unknown>): Edit => (file, json) => {
    if (file !== "leverageBracket.json") return undefined;
    const entries = json as { brackets: Record<string, unknown>[] }[];
    Object.assign(entries[symbol]?.brackets[bracket] ?? {}, change);
    return entries;
  };
  it.each<[string, Edit, readonly string[], RegExp]>([
    ["a JSON error body", (file) => (file === "leverageBracket.json" ? { code: -2015, msg: "Invalid API-key, IP, or permissions for action." } : undefined), [], /^mstress: leverageBracket\.json: \$\.code: the venue answered with an error \(code -2015/],
    ["a file that is not the expected response", (file, json) => (file === "exchangeInfo.json" ? { symbols: json } : undefined), [], /^mstress: exchangeInfo\.json: \$\.serverTime: expected a millisecond timestamp, got nothing/],
    ["a missing field", bracketsEdit(2, 1, { cum: undefined }), [], /^mstress: leverageBracket\.json: \$\[2\]\.brackets\[1\]\.cum: expected a number or a numeric string, got nothing/],
    ["a tier list with a gap", bracketsEdit(0, 3, { notionalFloor: 3100000 }), [], /^mstress: leverageBracket\.json: \$\[0\]\.brackets\[3\]\.notionalFloor: BTCUSDT tier 4 starts at 3100000, leaving a gap/],
    ["a tier list with an overlap", bracketsEdit(0, 3, { notionalFloor: 2900000 }), [], /^mstress: leverageBracket\.json: \$\[0\]\.brackets\[3\]\.notionalFloor: BTCUSDT tier 4 starts at 2900000, overlapping tier 3/],
    ["a symbol the venue does not list", () => undefined, ["--symbols", "SOLUSDT,DOGEUSDT"], /^mstress: exchangeInfo\.json: \$\.symbols\[\?\(@\.contractType=="PERPETUAL" && @\.status=="TRADING"\)\]\.symbol: "DOGEUSDT" is not listed/],
  ])("bad input, %s: exit 2 naming the file and the JSON path, nothing written", (_, edit, extra, message) => {
    const cwd = scratch();
    const from = savedResponses(cwd, "binance-usdm", recently, edit);
    const fresh = mstressIn(cwd, ["venue", "import", "binance-usdm", "--from", from, ...extra]);
    expect(fresh.status).toBe(2);
    expect(fresh.stdout).toBe("");
    expect(fresh.stderr).toMatch(message);
    expect(existsSync(join(cwd, "venues"))).toBe(false);
  });

  it("a failed import over an existing venue file leaves it as it was", () => {
    const before = readFileSync(join(all, "venues/binance-usdm.yaml"));
    const from = savedResponses(join(all, "bad"), "binance-usdm", recently, bracketsEdit(0, 3, { notionalFloor: 3100000 }));
    expect(mstressIn(all, ["venue", "import", "binance-usdm", "--from", from]).status).toBe(2);
    expect(readFileSync(join(all, "venues/binance-usdm.yaml")).equals(before)).toBe(true);
  });

  it("a folder without a required response, or no folder, is bad input naming what to save", () => {
    const cwd = scratch();
    const from = binanceResponsesAt(cwd, recently);
    rmSync(join(from, "leverageBracket.json"));
    const missing = mstressIn(cwd, ["venue", "import", "binance-usdm", "--from", from]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^mstress: --from: .*responses\/binance-usdm has no leverageBracket\.json; save the response of GET https:\/\/fapi\.binance\.com\/fapi\/v1\/leverageBracket \[signed\] there/);
    expect(mstressIn(cwd, ["venue", "import", "binance-usdm", "--from", "nowhere"]).stderr).toMatch(/^mstress: --from: ".*nowhere" is not a directory/);
    expect(mstressIn(cwd, ["venue", "import", "kraken", "--from", from]).stderr).toMatch(/^mstress: <venue>: expected one of binance-usdm, bybit-linear, okx-swap, hyperliquid, got "kraken"/);
  });
});
