// The venue file an import writes: hand-written blocks kept, groups the API does not serve carried or set by the
// venue's rule (each saying so), fee flags winning, and the same responses giving the same bytes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseVenueProfile } from "../parse-venue-profile.js";
import type { VenueProfile } from "../venue-profile.js";
import { fixtureResponses, inputFailure } from "./fixture-responses.test-support.js";
import { importVenue, venueImporter, type VenueImportInput } from "./import-venue.js";

const shipped = (name: string): VenueProfile => parseVenueProfile(readFileSync(new URL(`../../../venues/${name}.yaml`, import.meta.url), "utf8"), name);

function run(venue: string, options: Partial<Omit<VenueImportInput, "importer" | "responses">> = {}) {
  const importer = venueImporter(venue);
  return importVenue({ importer, responses: fixtureResponses(importer), symbols: undefined, existing: shipped(venue), fees: undefined, ...options });
}

describe("importVenue", () => {
  it("keeps the existing file's hand-written blocks and says which symbols it replaced and added", () => {
    const binance = shipped("binance-usdm");
    const { profile, report } = run("binance-usdm");
    expect(profile).toMatchObject({ name: "binance-usdm", title: binance.title, maintenanceConvention: binance.maintenanceConvention });
    expect(profile.liquidation).toEqual(binance.liquidation);
    expect(profile.portfolio).toEqual(binance.portfolio);
    expect(report).toMatchObject({ kept: ["title", "maintenanceConvention", "liquidation", "portfolio"], replaced: ["BTCUSDT", "ETHUSDT"], added: ["SOLUSDT"], dropped: [] });
  });

  it("carries a group the responses lack from the same symbol of the existing file, as is, and says so", () => {
    const { profile, report } = run("binance-usdm");
    expect(profile.symbols["BTCUSDT"]?.funding).toEqual(shipped("binance-usdm").symbols["BTCUSDT"]?.funding);
    expect(report.carried).toContain("funding of BTCUSDT: kept from the existing file (the responses do not carry it)");
  });

  it("gives a new symbol the venue's documented rule where there is one, else the first symbol's figure marked [assumption]", () => {
    const hyperliquid = run("hyperliquid").profile.symbols["SOL"];
    expect(hyperliquid?.funding).toMatchObject({ intervalHours: 1, cap: 0.04, floor: -0.04 });
    expect(hyperliquid?.funding.source).toMatch(/^\[venue rule\] https:\/\/hyperliquid\.gitbook\.io/);
    const bybit = run("bybit-linear");
    const btcFees = shipped("bybit-linear").symbols["BTCUSDT"]?.fees;
    expect(bybit.profile.symbols["SOLUSDT"]?.fees).toMatchObject({ taker: btcFees?.taker, maker: btcFees?.maker });
    expect(bybit.profile.symbols["SOLUSDT"]?.fees.source).toBe(`[assumption] not served by bybit-linear's API; BTCUSDT's figure in the previous venue file, taken as venue-wide: ${btcFees?.source ?? ""}`);
    expect(bybit.report.carried).toContain("fees of SOLUSDT: BTCUSDT's in the existing file, taken as venue-wide [assumption]");
  });

  it("--taker/--maker set every symbol's fees over the responses and the existing file", () => {
    const { profile } = run("binance-usdm", { fees: { taker: 0.0004, maker: -0.0001 } });
    for (const spec of Object.values(profile.symbols)) {
      expect(spec.fees).toEqual({ taker: 0.0004, maker: -0.0001, source: "[given] --taker 0.0004 --maker -0.0001 on the command line of mstress venue import (the account's own rates)" });
    }
  });

  it("writes YAML that reads back as the same profile, and the same bytes when imported again over it", () => {
    const first = run("okx-swap");
    const reread = parseVenueProfile(first.yaml, "okx-swap.yaml");
    expect(reread).toEqual(first.profile);
    const second = run("okx-swap", { existing: reread });
    expect(second.yaml).toBe(first.yaml);
    expect(second.report).toMatchObject({ replaced: ["BTC-USDT-SWAP", "SOL-USDT-SWAP"], added: [], dropped: [] });
    expect(first.yaml).toMatch(/^# OKX perpetual swaps: imported by `mstress venue import okx-swap`/);
    expect(first.yaml).toContain("        - { floor: 0, cap: 750000, maxLeverage: 50, maintenanceRate: 0.01 }");
  });

  it("writes only the symbols asked for, and names the existing ones it drops", () => {
    const { profile, report } = run("binance-usdm", { symbols: ["SOLUSDT"] });
    expect(Object.keys(profile.symbols)).toEqual(["SOLUSDT"]);
    expect(report.dropped).toEqual(["BTCUSDT", "ETHUSDT"]);
  });

  it("fails when a group has no source at all, naming the flags that would supply it", () => {
    const bare = { ...shipped("bybit-linear"), symbols: {} };
    expect(inputFailure(() => run("bybit-linear", { existing: bare }))).toMatch(/^fees: no figure for BTCUSDT: the responses do not carry it and the existing venue file has none; pass --taker and --maker/m);
  });

  it("keeps blocks only from a file of the same venue", () => {
    expect(inputFailure(() => run("bybit-linear", { existing: shipped("okx-swap") }))).toMatch(/^--out: the existing file is venue "okx-swap"; expected bybit-linear/);
    expect(inputFailure(() => venueImporter("kraken"))).toMatch(/^<venue>: expected one of binance-usdm, bybit-linear, okx-swap, hyperliquid, got "kraken"/);
  });
});
