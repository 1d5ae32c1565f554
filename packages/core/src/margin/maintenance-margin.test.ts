import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseVenueProfile } from "../venue/parse-venue-profile.js";
import { perpetualTerms } from "../venue/perpetual-terms.js";
import type { VenueProfile } from "../venue/venue-profile.js";
import { initialMargin, maintenanceMargin } from "./maintenance-margin.js";

function loadVenue(file: string): VenueProfile {
  return parseVenueProfile(readFileSync(new URL(`../../venues/${file}`, import.meta.url), "utf8"), file);
}

const binance = loadVenue("binance-usdm.yaml");
const binanceBtc = perpetualTerms(binance, "BTCUSDT");

describe("maintenanceMargin, mark-notional (Binance USDⓈ-M BTCUSDT, shipped tiers of docs/venues.md §1.3)", () => {
  it("ships the 12 published brackets, so the edge property below walks 11 edges", () => {
    expect(binanceBtc.brackets).toHaveLength(12);
  });

  it("at the first edge: 50,000 notional is 0.004·50,000 − 0 = 200 = 0.005·50,000 − 50", () => {
    // 1 BTC at mark 50,000: tier 1 is cap-inclusive ("0 < notional <= 50,000"), so tier 1's piece applies:
    // 0.004 · 50,000 − 0 = 200. Tier 2's piece at the same notional: 0.005 · 50,000 − 50 = 250 − 50 = 200.
    const atCap = maintenanceMargin(binanceBtc, 1, 50_000, 60_000);
    expect(atCap.bracket.tier).toBe(1);
    expect(atCap.notional).toBe(50_000);
    expect(atCap.maintenanceMargin).toBeCloseTo(200, 9); // float products of short decimals: 1e-9 is far below a cent
    // 1 BTC at mark 50,000.01: tier 2, 0.005 · 50,000.01 − 50 = 250.00005 − 50 = 200.00005.
    const above = maintenanceMargin(binanceBtc, 1, 50_000.01, 60_000);
    expect(above.bracket.tier).toBe(2);
    expect(above.maintenanceMargin).toBeCloseTo(200.00005, 9);
  });

  it("the worked example's 60,000 notional is in tier 2: 0.005·60,000 − 50 = 250", () => {
    const result = maintenanceMargin(binanceBtc, 1, 60_000, 60_000);
    expect(result.bracket.tier).toBe(2);
    expect(result.maintenanceMargin).toBeCloseTo(250, 9);
  });

  it("is continuous across every bracket edge: MM(cap + ε) − MM(cap − ε) → 0 as ε → 0", () => {
    // Inside a bracket MM = N·r_b − a_b; with a_{b+1} = a_b + cap_b·(r_{b+1} − r_b) (docs/venues.md §1.2 cum recursion)
    // MM(cap + ε) − MM(cap − ε) = ε·(r_b + r_{b+1}) exactly. Bound: that, plus 1e-5 for float64 rounding of
    // products up to ~1e9 (ulp ≈ 1.2e-7). A missing or wrong maintenance amount would show a jump of ≥ 50.
    const edges = binanceBtc.brackets.slice(0, -1).map((bracket, index) => ({ index, bracket }));
    fc.assert(
      fc.property(
        fc.constantFrom(...edges),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        fc.double({ min: 1e-3, max: 1_000, noNaN: true }),
        ({ index, bracket }, epsilon, quantity) => {
          const next = binanceBtc.brackets[index + 1];
          if (next === undefined) throw new Error("edge without a next bracket");
          const below = maintenanceMargin(binanceBtc, quantity, (bracket.cap - epsilon) / quantity, 1);
          const above = maintenanceMargin(binanceBtc, quantity, (bracket.cap + epsilon) / quantity, 1);
          // The two evaluations really straddle this edge.
          expect(below.bracket.tier).toBe(index + 1);
          expect(above.bracket.tier).toBe(index + 2);
          const jump = Math.abs(above.maintenanceMargin - below.maintenanceMargin);
          expect(jump).toBeLessThanOrEqual(epsilon * (bracket.maintenanceRate + next.maintenanceRate) + 1e-5);
        },
      ),
      { numRuns: 200, seed: 20_240_124 },
    );
  });

  it("the jump at each edge vanishes at the limit: MM at the cap vs at the next representable notional", () => {
    for (const [index, bracket] of binanceBtc.brackets.slice(0, -1).entries()) {
      const atCap = maintenanceMargin(binanceBtc, 1, bracket.cap, 1);
      const justAbove = maintenanceMargin(binanceBtc, 1, bracket.cap * (1 + 2 ** -50), 1);
      expect(atCap.bracket.tier).toBe(index + 1);
      expect(justAbove.bracket.tier).toBe(index + 2);
      // Expected difference 0 (continuity); cap·2^-50·r is < 1e-6 for caps ≤ 1.2e9, plus float rounding.
      expect(Math.abs(justAbove.maintenanceMargin - atCap.maintenanceMargin)).toBeLessThan(1e-5);
    }
  });

  it("is never negative (a deduction larger than notional·rate gives 0, not a credit)", () => {
    // Override: one bracket 0.5 % / 50. 1 BTC at 1,000: 0.005·1,000 − 50 = −45 → floored at 0.
    const terms = perpetualTerms(binance, "BTCUSDT", { maintenanceRate: 0.005, maintenanceAmount: 50 });
    expect(maintenanceMargin(terms, 1, 1_000, 1_000).maintenanceMargin).toBe(0);
  });
});

describe("maintenanceMargin, other conventions", () => {
  it("entry-value (Bybit) measures the position at entry and ignores the mark", () => {
    const bybit = perpetualTerms(loadVenue("bybit-linear.yaml"), "BTCUSDT");
    // docs/venues.md §2.1 V1: 1 BTC @ 20,000, MMR 0.5 %, deduction 0 → MM = 20,000 · 0.005 = 100, at any mark.
    for (const mark of [10_000, 20_000, 40_000]) {
      const result = maintenanceMargin(bybit, 1, mark, 20_000);
      expect(result.notional).toBe(20_000);
      expect(result.maintenanceMargin).toBeCloseTo(100, 9);
    }
    // The bracket is chosen by value at entry too: 50 BTC @ 50,000 = 2,500,000 → tier 2 (2.0M–2.6M, §2.2):
    // 0.0056 · 2,500,000 − 1,200 = 14,000 − 1,200 = 12,800, even at a mark of 10,000 (500,000 would be tier 1).
    const big = maintenanceMargin(bybit, 50, 10_000, 50_000);
    expect(big.bracket.tier).toBe(2);
    expect(big.maintenanceMargin).toBeCloseTo(12_800, 6);
  });

  it("mark-plus-taker-fee (OKX) charges tier rate + taker rate on notional at mark", () => {
    // One bracket at 1 % with taker 0.05 % (overrides; OKX's real tiers were not retrieved, docs/venues.md §3.2).
    // 2 BTC at mark 50,000 (entry 40,000): 100,000 · (0.01 + 0.0005) = 1,050.
    const okx = perpetualTerms(loadVenue("okx-swap.yaml"), "BTC-USDT-SWAP", { maintenanceRate: 0.01, maintenanceAmount: 0, takerFeeRate: 0.0005 });
    const result = maintenanceMargin(okx, 2, 50_000, 40_000);
    expect(result.notional).toBe(100_000);
    expect(result.maintenanceMargin).toBeCloseTo(1_050, 9);
    // Same position with taker 0: 100,000 · 0.01 = 1,000 — the whole difference is the taker rate.
    const noFee = perpetualTerms(loadVenue("okx-swap.yaml"), "BTC-USDT-SWAP", { maintenanceRate: 0.01, maintenanceAmount: 0, takerFeeRate: 0 });
    expect(maintenanceMargin(noFee, 2, 50_000, 40_000).maintenanceMargin).toBeCloseTo(1_000, 9);
  });

  it("half-initial-at-max-leverage (Hyperliquid BTC): 1/(2·40) = 1.25 %, tier 2 1/(2·20) = 2.5 % with deduction 1,875,000", () => {
    const hl = perpetualTerms(loadVenue("hyperliquid.yaml"), "BTC");
    const [first, second] = hl.brackets;
    expect(first?.maintenanceRate).toBeCloseTo(0.0125, 15);
    expect(second?.maintenanceRate).toBeCloseTo(0.025, 15);
    // docs/venues.md §4 [derived]: deduction = 150M · (2.5 % − 1.25 %) = 1,875,000.
    expect(second?.maintenanceAmount).toBeCloseTo(1_875_000, 6);
    // 1 BTC at 60,000: 60,000 · 0.0125 = 750.
    expect(maintenanceMargin(hl, 1, 60_000, 60_000).maintenanceMargin).toBeCloseTo(750, 9);
    // 2,000 BTC at 100,000 = 200M notional (tier 2): 0.025 · 200M − 1.875M = 5M − 1.875M = 3,125,000.
    expect(maintenanceMargin(hl, 2_000, 100_000, 100_000).maintenanceMargin).toBeCloseTo(3_125_000, 4);
  });
});

describe("initialMargin", () => {
  it("is notional / leverage", () => {
    expect(initialMargin(60_000, 20)).toBeCloseTo(3_000, 9); // 60,000 / 20
    expect(initialMargin(20_000, 50)).toBeCloseTo(400, 9); // V1: 20,000 / 50 = 400 (docs/venues.md §2.1)
    expect(initialMargin(1_000, 1)).toBe(1_000);
  });
});
