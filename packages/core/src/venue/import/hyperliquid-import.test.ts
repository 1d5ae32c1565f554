// Hyperliquid import from the `meta` info response in the documented shape (and `metaAndAssetCtxs`).
import { describe, expect, it } from "vitest";
import { fixtureJson, fixtureResponses, inputFailure } from "./fixture-responses.test-support.js";
import { hyperliquidImporter, openEndedCap } from "./hyperliquid-import.js";

const read = (meta?: unknown, symbols?: readonly string[]) => hyperliquidImporter.read(fixtureResponses(hyperliquidImporter, meta === undefined ? {} : { "meta.json": meta }), symbols);
const bySymbol = (meta?: unknown) => new Map(read(meta).perpetuals.map((p) => [p.symbol, p]));

type Meta = { universe: Record<string, unknown>[]; marginTables: [number, { description: string; marginTiers: { lowerBound: string; maxLeverage: number }[] }][] };
const meta = (): Meta => fixtureJson("hyperliquid", "meta.json") as Meta;

const failure = (json: unknown): string => inputFailure(() => read(json));

describe("Hyperliquid import", () => {
  it("imports every listed asset (not the delisted one) with its margin table's tiers, the last one open-ended", () => {
    const assets = bySymbol();
    expect([...assets.keys()]).toEqual(["BTC", "ETH", "HPOS", "SOL"]); // LOOM isDelisted
    expect(assets.get("BTC")?.brackets.tiers).toEqual([
      { floor: 0, cap: 150_000_000, maxLeverage: 40 },
      { floor: 150_000_000, cap: openEndedCap, maxLeverage: 20 },
    ]);
    expect(assets.get("SOL")?.brackets.tiers).toEqual([
      { floor: 0, cap: 70_000_000, maxLeverage: 20 },
      { floor: 70_000_000, cap: openEndedCap, maxLeverage: 10 },
    ]);
    // marginTableId 3 is below 50: one tier at 3x (the margin-tiers page).
    expect(assets.get("HPOS")?.brackets.tiers).toEqual([{ floor: 0, cap: openEndedCap, maxLeverage: 3 }]);
    expect(assets.get("SOL")).toMatchObject({ base: "SOL", quote: "USDC" });
  });

  it("without mark prices the tick is the finest the decimals rule allows: 10^(szDecimals - 6)", () => {
    const assets = bySymbol();
    expect(assets.get("BTC")?.tickSize).toBe(0.1); // szDecimals 5
    expect(assets.get("SOL")?.tickSize).toBe(0.0001); // szDecimals 2
    expect(assets.get("HPOS")?.tickSize).toBe(0.000001); // szDecimals 0
  });

  it("with metaAndAssetCtxs the tick is the 5th significant figure at the mark, at most 1 (integers always allowed)", () => {
    const contexts = [{ markPx: "97000.5" }, { markPx: "3600.25" }, { markPx: "150.123" }, { markPx: "14.3161" }, { markPx: "0.02" }];
    const assets = bySymbol([meta(), contexts]);
    expect(assets.get("BTC")?.tickSize).toBe(1); // 5 figures of 97,000 reach the units
    expect(assets.get("ETH")?.tickSize).toBe(0.1); // 3,600.2: 5 figures end at 0.1
    expect(assets.get("SOL")?.tickSize).toBe(0.01); // 150.12
    expect(assets.get("HPOS")?.tickSize).toBe(0.001); // 14.316, the documentation's example mark
  });

  it("funding and the liquidation fee are not in the response; the venue's documented rules supply them", () => {
    const sol = bySymbol().get("SOL");
    expect(sol?.funding).toBeUndefined();
    if (sol === undefined) throw new Error("SOL");
    expect(hyperliquidImporter.rules.funding?.(sol)).toMatchObject({ intervalHours: 1, cap: 0.04, floor: -0.04 });
    expect(hyperliquidImporter.rules.liquidationFeeRate?.(sol)).toMatchObject({ value: 0 });
  });

  it.each([
    ["an error body", { status: "err", response: "Failed to deserialize the JSON body" }, /^meta\.json: \$\.status: the venue answered with an error \("Failed to deserialize the JSON body"\)/],
    ["a margin table id the response does not hold", { ...meta(), universe: [{ name: "SOL", szDecimals: 2, maxLeverage: 20, marginTableId: 57 }] }, /^meta\.json: \$\.universe\[0\]\.marginTableId: SOL names margin table 57, which \$\.marginTables does not hold/],
    [
      "a first tier that does not start at 0",
      { ...meta(), marginTables: meta().marginTables.map(([id, table]) => [id, id === 53 ? { ...table, marginTiers: [{ lowerBound: "1000.0", maxLeverage: 20 }] } : table]) },
      /^meta\.json: \$\.marginTables\[0\]\[1\]\.marginTiers\[0\]\.lowerBound: SOL tier 1 starts at 1000; expected the first tier to start at 0/,
    ],
    ["a universe entry without szDecimals", { ...meta(), universe: [{ name: "SOL", maxLeverage: 20, marginTableId: 53 }] }, /^meta\.json: \$\.universe\[0\]\.szDecimals: expected number, got nothing/],
  ])("bad input: %s names the file and the JSON path", (_, json, message) => {
    expect(failure(json)).toMatch(message);
  });
});
