import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maintenanceMargin } from "../margin/maintenance-margin.js";
import { parseVenueProfile } from "../venue/parse-venue-profile.js";
import { perpetualTerms } from "../venue/perpetual-terms.js";
import type { VenueProfile } from "../venue/venue-profile.js";
import { distanceToLiquidation, liquidationCandidate, liquidationPrice, liquidationPriceAfter, liquidationPriceValue, type Side } from "./liquidation-price.js";

function loadVenue(file: string): VenueProfile {
  return parseVenueProfile(readFileSync(new URL(`../../venues/${file}`, import.meta.url), "utf8"), file);
}

const binance = loadVenue("binance-usdm.yaml");
const binanceBtc = perpetualTerms(binance, "BTCUSDT");

/** A copy of the Binance profile with its BTCUSDT bracket table replaced (for conventions the shipped data cannot show). */
function binanceWithTiers(tiers: VenueProfile["symbols"][string]["brackets"]["tiers"]): VenueProfile {
  const spec = binance.symbols.BTCUSDT;
  if (spec === undefined) throw new Error("binance-usdm.yaml lists no BTCUSDT");
  return { ...binance, symbols: { BTCUSDT: { ...spec, brackets: { ...spec.brackets, tiers } } } };
}

describe("liquidationPrice: docs/domain.md worked example on binance-usdm BTCUSDT (shipped tiers)", () => {
  it("isolated short 1 @ 60,000 with 3,000: LP = (3,000 + 50 + 60,000) / 1.005, bracket 2", () => {
    // At LP ≈ 62.7k the notional is in (50k, 600k]: tier 2, rate 0.5 %, amount 50. Trigger
    // 3000 − (P − 60000) = 0.005·P − 50 → P = (3000 + 60000 + 50) / 1.005 = 62,736.318407960199…
    const result = liquidationPrice({ terms: binanceBtc, side: -1, quantity: 1, entryPrice: 60_000, collateral: 3_000 });
    expect(result.liquidationPrice).not.toBeNull();
    const lp = result.liquidationPrice ?? Number.NaN;
    expect(lp).toBeGreaterThanOrEqual(62_700); // docs/domain.md: ~$62.7k–63.0k
    expect(lp).toBeLessThanOrEqual(63_000);
    expect(lp).toBeCloseTo(62_736.3184079602, 8); // closed form in float64: 1e-8 absolute is ~1e-13 relative
    expect(result.bracket.tier).toBe(2);
  });

  it("cross short 1 @ 60,000 with 10,000: LP = 70,050 / 1.005 ≈ 69,701.49 (docs/domain.md: ~$69.6k, +16 %)", () => {
    // 10000 − (P − 60000) = 0.005·P − 50 → P = 70,050 / 1.005 = 69,701.492537313…
    const result = liquidationPrice({ terms: binanceBtc, side: -1, quantity: 1, entryPrice: 60_000, collateral: 10_000 });
    expect(result.liquidationPrice).toBeCloseTo(69_701.4925373134, 8);
    expect(result.bracket.tier).toBe(2);
    // +16 %: (69,701.49 − 60,000) / 60,000 = 16.17 %.
    expect(distanceToLiquidation(result.liquidationPrice, 60_000, -1)).toBeCloseTo(0.1617, 4);
  });
});

describe("liquidationPrice: venue-documented examples (docs/venues.md §8)", () => {
  it("V1 Bybit, entry-value: long 1 @ 20,000, IM 400 (50x), MMR 0.5 %, deduction 0 → 19,700", () => {
    // LP = EP − (IM − MM)/Q = 20,000 − (400 − 20,000·0.005)/1 = 20,000 − 300 = 19,700 (docs/venues.md §2.1).
    const terms = perpetualTerms(loadVenue("bybit-linear.yaml"), "BTCUSDT", { maintenanceRate: 0.005, maintenanceAmount: 0 });
    const result = liquidationPrice({ terms, side: 1, quantity: 1, entryPrice: 20_000, collateral: 400 });
    expect(result.liquidationPrice).toBeCloseTo(19_700, 9);
  });

  it("V3 dYdX, mark-notional: short 3 @ 3,000, e 1,000, MMF 5 % → 10,000/3.15 = 3,174.60", () => {
    // p' = (e − s·p)/(|s|·MMF − s) = (1,000 + 9,000)/(0.15 + 3) = 3,174.6031… ; the doc figure has 2 decimals.
    const terms = perpetualTerms(loadVenue("dydx-v4.yaml"), "ETH-USD", { maintenanceRate: 0.05, maintenanceAmount: 0 });
    const result = liquidationPrice({ terms, side: -1, quantity: 3, entryPrice: 3_000, collateral: 1_000 });
    expect(result.liquidationPrice).toBeCloseTo(3_174.6, 2);
    expect(result.liquidationPrice).toBeCloseTo(3_174.6031746, 6); // the unrounded closed form, float noise only
  });

  describe("V5 Binance FAQ example (freqtrade 'calc example', docs/venues.md §1.2): ETHUSDT long 3,683.979 @ 1,456.84", () => {
    // Tolerance: Binance publishes these prices rounded to 2 decimals → toBeCloseTo(x, 2), i.e. |Δ| < 0.005.
    const terms = perpetualTerms(binance, "ETHUSDT", { maintenanceRate: 0.1, maintenanceAmount: 135_365 });
    const base = { terms, side: 1 as const, quantity: 3_683.979, entryPrice: 1_456.84, collateral: 1_535_443.01 };

    it("isolated: LP = (WB + cum − Q·EP)/(Q·MMR − Q) = 1,114.78", () => {
      // Q·EP = 5,366,967.96636; (1,535,443.01 + 135,365 − 5,366,967.96636)/(368.3979 − 3,683.979) = 1,114.78496…
      expect(liquidationPrice(base).liquidationPrice).toBeCloseTo(1_114.78, 2);
    });

    it("cross with TMM1 71,200.81144 and UPNL1 −56,354.57: 1,153.26", () => {
      // (1,535,443.01 − 71,200.81144 − 56,354.57 + 135,365 − 5,366,967.96636)/(−3,315.5811) = 1,153.25646…
      const result = liquidationPrice({ ...base, otherMaintenanceMargin: 71_200.81144, otherUnrealisedPnl: -56_354.57 });
      expect(result.liquidationPrice).toBeCloseTo(1_153.26, 2);
    });
  });
});

describe("liquidationPrice against other published closed forms", () => {
  it("OKX (mark-plus-taker-fee, one tier) equals freqtrade's form (EP ± WB/Q)/(1 ± (MMR + taker))", () => {
    const terms = perpetualTerms(loadVenue("okx-swap.yaml"), "BTC-USDT-SWAP", { maintenanceRate: 0.01, maintenanceAmount: 0, takerFeeRate: 0.0005 });
    // Hand values (Q 2, EP 50,000, WB 5,000, MMR 1 %, taker 0.05 %):
    // short (50,000 + 2,500)/1.0105 = 51,954.4779…; long (50,000 − 2,500)/0.9895 = 48,004.0424…
    expect(liquidationPrice({ terms, side: -1, quantity: 2, entryPrice: 50_000, collateral: 5_000 }).liquidationPrice).toBeCloseTo(51_954.4779812, 6);
    expect(liquidationPrice({ terms, side: 1, quantity: 2, entryPrice: 50_000, collateral: 5_000 }).liquidationPrice).toBeCloseTo(48_004.0424457, 6);
    // And freqtrade's form over a random set of inputs (relative 1e-9: two float evaluations of the same rational).
    fc.assert(
      fc.property(
        fc.constantFrom<Side>(1, -1),
        fc.double({ min: 0.001, max: 50, noNaN: true }),
        fc.double({ min: 1_000, max: 200_000, noNaN: true }),
        fc.double({ min: 0.01, max: 0.9, noNaN: true }),
        (side, quantity, entryPrice, leverageFraction) => {
          const wallet = quantity * entryPrice * leverageFraction;
          const freqtrade =
            side === -1 ? (entryPrice + wallet / quantity) / (1 + 0.01 + 0.0005) : (entryPrice - wallet / quantity) / (1 - (0.01 + 0.0005));
          const engine = liquidationPrice({ terms, side, quantity, entryPrice, collateral: wallet }).liquidationPrice;
          expect(engine).not.toBeNull();
          expect(Math.abs((engine ?? 0) - freqtrade) / freqtrade).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 200, seed: 7_301 },
    );
  });

  it("Hyperliquid BTC equals the doc form liq = P − side·avail/Q/(1 − l·side), l = 1/(2·40)", () => {
    const terms = perpetualTerms(loadVenue("hyperliquid.yaml"), "BTC");
    const l = 1 / (2 * 40);
    // Hand values (Q 2, P 60,000, margin 10,000): MM = 120,000·0.0125 = 1,500, avail = 8,500.
    // long 60,000 − 4,250/0.9875 = 55,696.2025…; short 60,000 + 4,250/1.0125 = 64,197.5308…
    expect(liquidationPrice({ terms, side: 1, quantity: 2, entryPrice: 60_000, collateral: 10_000 }).liquidationPrice).toBeCloseTo(55_696.2025316, 6);
    expect(liquidationPrice({ terms, side: -1, quantity: 2, entryPrice: 60_000, collateral: 10_000 }).liquidationPrice).toBeCloseTo(64_197.5308642, 6);
    fc.assert(
      fc.property(
        fc.constantFrom<Side>(1, -1),
        fc.double({ min: 0.001, max: 50, noNaN: true }),
        fc.double({ min: 1_000, max: 200_000, noNaN: true }),
        fc.double({ min: 0.02, max: 0.9, noNaN: true }),
        (side, quantity, price, marginFraction) => {
          const margin = quantity * price * marginFraction; // ≥ 2 % of notional: above the 1.25 % MM, so avail > 0
          const available = margin - quantity * price * l;
          const doc = price - (side * available) / quantity / (1 - l * side);
          const engine = liquidationPrice({ terms, side, quantity, entryPrice: price, collateral: margin }).liquidationPrice;
          if (doc <= 0) {
            expect(engine).toBeNull();
          } else {
            expect(Math.abs((engine ?? 0) - doc) / doc).toBeLessThan(1e-9);
          }
        },
      ),
      { numRuns: 200, seed: 4_040 },
    );
  });
});

describe("bankruptcy price and the no-liquidation case", () => {
  it("bankruptcyPrice = EP − C/(side·Q): short 1 @ 60,000 with 3,000 → 63,000; long 2 @ 50,000 with 5,000 → 47,500", () => {
    expect(liquidationPrice({ terms: binanceBtc, side: -1, quantity: 1, entryPrice: 60_000, collateral: 3_000 }).bankruptcyPrice).toBeCloseTo(63_000, 9);
    // 50,000 − 5,000/2 = 47,500
    expect(liquidationPrice({ terms: binanceBtc, side: 1, quantity: 2, entryPrice: 50_000, collateral: 5_000 }).bankruptcyPrice).toBeCloseTo(47_500, 9);
  });

  it("V5 inputs, isolated: bankruptcy = 1,456.84 − 1,535,443.01/3,683.979 = 1,040.05", () => {
    const terms = perpetualTerms(binance, "ETHUSDT", { maintenanceRate: 0.1, maintenanceAmount: 135_365 });
    const result = liquidationPrice({ terms, side: 1, quantity: 3_683.979, entryPrice: 1_456.84, collateral: 1_535_443.01 });
    expect(result.bankruptcyPrice).toBeCloseTo(1_040.0507051, 6);
  });

  it("V5 inputs, cross: bankruptcy is where equity WB + UPNL1 + side·Q·(P − EP) is zero → 1,055.35", () => {
    // Glossary (docs/domain.md): bankruptcy price = price at which the margin backing the position is exactly zero.
    // 1,456.84 − (1,535,443.01 − 56,354.57)/3,683.979 = 1,456.84 − 401.4921 = 1,055.3479. (The other positions'
    // maintenance is a requirement, not a loss: subtracting it gives 1,074.68, where equity is still 71,200.81.)
    const terms = perpetualTerms(binance, "ETHUSDT", { maintenanceRate: 0.1, maintenanceAmount: 135_365 });
    const result = liquidationPrice({
      terms,
      side: 1,
      quantity: 3_683.979,
      entryPrice: 1_456.84,
      collateral: 1_535_443.01,
      otherMaintenanceMargin: 71_200.81144,
      otherUnrealisedPnl: -56_354.57,
    });
    expect(result.bankruptcyPrice).toBeCloseTo(1_055.3479068, 6);
  });

  it("a long backed by more than its notional has no liquidation price (and no positive bankruptcy price)", () => {
    // long 1 @ 60,000 with 70,000: equity at P is 10,000 + P > MM(P) ≤ 0.5·P for every P > 0.
    const result = liquidationPrice({ terms: binanceBtc, side: 1, quantity: 1, entryPrice: 60_000, collateral: 70_000 });
    expect(result.liquidationPrice).toBeNull();
    expect(result.bankruptcyPrice).toBeNull(); // 60,000 − 70,000 = −10,000
  });
});

describe("bracket re-check (Binance FAQ: recompute with the bracket the notional at LP falls in)", () => {
  it("short 0.8 @ 60,000 (48k notional, tier 1) with 3,000 is liquidated in tier 2", () => {
    // Tier 1 candidate: (3,000 + 48,000)/(0.8·1.004) = 63,496.02 → notional 50,796.8 > 50,000: rejected.
    // Tier 2: (3,000 + 48,000 + 50)/(0.8·1.005) = 51,050/0.804 = 63,495.0248756…, notional 50,796.0 ∈ (50k, 600k].
    const result = liquidationPrice({ terms: binanceBtc, side: -1, quantity: 0.8, entryPrice: 60_000, collateral: 3_000 });
    expect(result.bracket.tier).toBe(2);
    const lp = result.liquidationPrice ?? Number.NaN;
    expect(lp).toBeCloseTo(63_495.0248756219, 8);
    // The trigger identity at the returned price: equity = MM (engine's maintenanceMargin, evaluated at LP).
    const equity = 3_000 - 0.8 * (lp - 60_000);
    const mm = maintenanceMargin(binanceBtc, 0.8, lp, 60_000);
    expect(mm.bracket.tier).toBe(2);
    expect(Math.abs(equity - mm.maintenanceMargin)).toBeLessThan(1e-6);
  });

  it("where MM steps at a tier edge (OKX, no deduction) the edge itself is the liquidation price", () => {
    // Two OKX-style tiers: 0–5M at 0.65 %, 5M–10M at 1.15 %, taker 0.05 %, no deduction (effective 0.7 % / 1.2 %).
    // Short 80 @ 60,000 (4.8M) with 250,000. Tier 1 root: 5,050,000/(80·1.007) = 62,686.2 → 5.015M > 5M: rejected.
    // Tier 2 root: 5,050,000/(80·1.012) = 62,376.5 → 4.99M ≤ 5M: rejected. At P = 62,500 (5M notional):
    // surplus with tier 1 = 250,000 − 200,000 − 35,000 = +15,000, with tier 2 = 250,000 − 200,000 − 60,000 = −10,000.
    const okxVenue = loadVenue("okx-swap.yaml");
    const okxSpec = okxVenue.symbols["BTC-USDT-SWAP"];
    if (okxSpec === undefined) throw new Error("okx-swap.yaml lists no BTC-USDT-SWAP");
    const venue: VenueProfile = {
      ...okxVenue,
      symbols: {
        "BTC-USDT-SWAP": {
          ...okxSpec,
          fees: { ...okxSpec.fees, taker: 0.0005 },
          brackets: {
            ...okxSpec.brackets,
            tiers: [
              { floor: 0, cap: 5_000_000, maxLeverage: 76.92, maintenanceRate: 0.0065 },
              { floor: 5_000_000, cap: 10_000_000, maxLeverage: 55.56, maintenanceRate: 0.0115 },
            ],
          },
        },
      },
    };
    const terms = perpetualTerms(venue, "BTC-USDT-SWAP");
    const result = liquidationPrice({ terms, side: -1, quantity: 80, entryPrice: 60_000, collateral: 250_000 });
    expect(result.liquidationPrice).toBeCloseTo(62_500, 6);
  });

  it("short 8 @ 70,000 with 42,950: the root is exactly the 600,000 edge, LP 75,000", () => {
    // At P = 75,000 the notional is 600,000 = cap of tier 2 (cap-inclusive): equity = 42,950 − 8·5,000 = 2,950,
    // MM = 0.005·600,000 − 50 = 2,950 (= 0.0065·600,000 − 950 = 2,950 with tier 3's piece). Equity falls by 8
    // per $ and MM rises with P, so this is the one root: LP = 75,000.
    const result = liquidationPrice({ terms: binanceBtc, side: -1, quantity: 8, entryPrice: 70_000, collateral: 42_950 });
    expect(result.liquidationPrice).toBeCloseTo(75_000, 6);
  });

  it("a short whose LP notional is beyond the last cap is still liquidated (last bracket extends, as in maintenanceMargin)", () => {
    // Two-tier table ending at 100,000: 0.4 % / 0 up to 50k, 0.5 % / 50 up to 100k. Short 1 @ 60,000 with 50,000:
    // 50,000 − (P − 60,000) = 0.005·P − 50 → P = 110,050/1.005 = 109,502.4876 (notional 109.5k > 100k cap).
    const terms = perpetualTerms(
      binanceWithTiers([
        { floor: 0, cap: 50_000, maxLeverage: 125, maintenanceRate: 0.004, maintenanceAmount: 0 },
        { floor: 50_000, cap: 100_000, maxLeverage: 100, maintenanceRate: 0.005, maintenanceAmount: 50 },
      ]),
      "BTCUSDT",
    );
    // The engine's own maintenanceMargin liquidates there: equity − MM at that price is 0.
    const expected = 109_502.487562189;
    expect(Math.abs(50_000 - (expected - 60_000) - maintenanceMargin(terms, 1, expected, 60_000).maintenanceMargin)).toBeLessThan(1e-6);
    const result = liquidationPrice({ terms, side: -1, quantity: 1, entryPrice: 60_000, collateral: 50_000 });
    expect(result.liquidationPrice).toBeCloseTo(expected, 6);
  });
});

describe("property: a root exactly on a bracket edge is found (every edge of Binance BTCUSDT)", () => {
  it("collateral chosen so that equity = MM exactly at notional = cap: LP = cap / Q", () => {
    // With MM(cap) = cap·r_b − a_b from the published table (docs/venues.md §1.3):
    // short: C − Q(P − EP) = MM(cap) at P = cap/Q  ⇔  C = MM(cap) + cap − Q·EP; EP = u·cap/Q, u ∈ [0.8, 1]   → C ≥ 0.
    // long:  C + Q(P − EP) = MM(cap) at P = cap/Q  ⇔  C = MM(cap) − cap + Q·EP; EP = u·cap/Q, u ∈ [1, 1.25] → C ≥ 0.
    // Surplus is strictly monotone in P (slope −Q − MM' or Q − MM'), so cap/Q is the only root. Relative 1e-9:
    // float evaluation of a rational whose exact value is cap/Q.
    const edges = binanceBtc.brackets.slice(0, -1);
    fc.assert(
      fc.property(
        fc.constantFrom(...edges),
        fc.constantFrom<Side>(1, -1),
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (edge, side, quantity, t) => {
          const maintenanceAtCap = edge.cap * edge.maintenanceRate - edge.maintenanceAmount;
          const price = edge.cap / quantity;
          const u = side === -1 ? 0.8 + 0.2 * t : 1 + 0.25 * t;
          const entryPrice = u * price;
          const collateral = side === -1 ? maintenanceAtCap + edge.cap - quantity * entryPrice : maintenanceAtCap - edge.cap + quantity * entryPrice;
          fc.pre(collateral >= 0);
          const lp = liquidationPrice({ terms: binanceBtc, side, quantity, entryPrice, collateral }).liquidationPrice;
          expect(lp).not.toBeNull();
          expect(Math.abs((lp ?? 0) - price) / price).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 200, seed: 11_235 },
    );
  });
});

describe("property: more isolated margin never brings the liquidation price closer to entry", () => {
  it("Binance BTCUSDT tiers, both sides, qty 0.001–50, entry 1,000–200,000, allocations a < b", () => {
    // Derivation: the surplus C + side·Q·(P − EP) − MM(P) is strictly monotone in P (slope side·Q − Q·r, r < 1)
    // and rises by (b − a) everywhere when C goes from a to b, so a short's root moves up and a long's down (or
    // disappears: null = never liquidated = farthest). Allocations up to 1.5× notional keep the short's LP
    // notional below the last cap (1.8e9).
    fc.assert(
      fc.property(
        fc.constantFrom<Side>(1, -1),
        fc.double({ min: 0.001, max: 50, noNaN: true }),
        fc.double({ min: 1_000, max: 200_000, noNaN: true }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        (side, quantity, entryPrice, x, y) => {
          fc.pre(x !== y);
          const notional = quantity * entryPrice;
          const [a, b] = x < y ? [x * notional, y * notional] : [y * notional, x * notional];
          const lpA = liquidationPrice({ terms: binanceBtc, side, quantity, entryPrice, collateral: a }).liquidationPrice;
          const lpB = liquidationPrice({ terms: binanceBtc, side, quantity, entryPrice, collateral: b }).liquidationPrice;
          if (side === -1) {
            expect(lpA).not.toBeNull();
            expect(lpB).not.toBeNull();
            expect(lpB ?? Number.NaN).toBeGreaterThanOrEqual(lpA ?? Number.NaN);
          } else if (lpB !== null) {
            // A long with more margin: lower (farther) LP; and if a smaller allocation had none, neither can b.
            expect(lpA).not.toBeNull();
            expect(lpB).toBeLessThanOrEqual(lpA ?? Number.NaN);
          }
        },
      ),
      { numRuns: 200, seed: 61_803 },
    );
  });
});

describe("liquidationPriceValue: the closed form the Monte Carlo's screens compare marks with", () => {
  // Every symbol of every shipped venue, both sides: the kernel skips a step, and decides a crossing, from this
  // price wherever a mark is more than a relative 1e-9 from it, so the position's own surplus (collateral plus
  // unrealised PnL less maintenance from the bracket table, as the risk checks compute it) must be positive that
  // far short of it and at or below zero that far past it; and it must be the float liquidationPrice gives.
  const venues = ["binance-usdm.yaml", "bybit-linear.yaml", "okx-swap.yaml", "hyperliquid.yaml", "dydx-v4.yaml"].map(loadVenue);
  const allTerms = venues.flatMap((venue) => Object.keys(venue.symbols).map((symbol) => perpetualTerms(venue, symbol)));
  const surplus = (terms: (typeof allTerms)[number], side: Side, quantity: number, entryPrice: number, collateral: number, mark: number): number =>
    collateral + side * quantity * (mark - entryPrice) - maintenanceMargin(terms, quantity, mark, entryPrice).maintenanceMargin;

  it("separates alive from liquidated within a relative 1e-9, and equals liquidationPrice's float (property, fixed seed)", () => {
    let liquidating = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...allTerms),
        fc.constantFrom<Side>(1, -1),
        fc.double({ min: 1e-3, max: 500, noNaN: true }),
        fc.double({ min: 0.01, max: 200_000, noNaN: true }),
        fc.double({ min: -0.2, max: 1.5, noNaN: true }),
        (terms, side, quantity, entryPrice, collateralShare) => {
          const collateral = collateralShare * quantity * entryPrice;
          const value = liquidationPriceValue(terms, side, quantity, entryPrice, collateral);
          expect(Object.is(value, liquidationPrice({ terms, side, quantity, entryPrice, collateral }).liquidationPrice ?? Number.NaN)).toBe(true);
          if (Number.isNaN(value)) return;
          liquidating++;
          // A short dies on the way up, a long on the way down.
          const short = value * (side === -1 ? 1 - 1e-9 : 1 + 1e-9);
          const past = value * (side === -1 ? 1 + 1e-9 : 1 - 1e-9);
          expect(surplus(terms, side, quantity, entryPrice, collateral, short)).toBeGreaterThan(0);
          expect(surplus(terms, side, quantity, entryPrice, collateral, past)).toBeLessThanOrEqual(0);
        },
      ),
      { seed: 20261203, numRuns: 4000 },
    );
    // Most draws have a liquidation price: the property is not vacuous.
    expect(liquidating).toBeGreaterThan(2000);
  });
});

describe("liquidationPriceAfter: the price after a funding payment, without the search", () => {
  const venues = ["binance-usdm.yaml", "bybit-linear.yaml", "okx-swap.yaml", "hyperliquid.yaml", "dydx-v4.yaml"].map(loadVenue);
  const allTerms = venues.flatMap((venue) => Object.keys(venue.symbols).map((symbol) => perpetualTerms(venue, symbol)));

  it("is the search's float whenever it answers, and answers for most small moves of a Binance short (property, fixed seed)", () => {
    let answered = 0;
    let binanceShorts = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...allTerms),
        fc.constantFrom<Side>(1, -1),
        fc.double({ min: 1e-3, max: 500, noNaN: true }),
        fc.double({ min: 0.01, max: 200_000, noNaN: true }),
        fc.double({ min: 0.01, max: 1.5, noNaN: true }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        (terms, side, quantity, entryPrice, collateralShare, move) => {
          const collateral = collateralShare * quantity * entryPrice;
          const candidate = liquidationCandidate(terms, side, quantity, entryPrice, collateral);
          const moved = collateral * (1 + move);
          const after = liquidationPriceAfter(terms, side, quantity, entryPrice, moved, candidate);
          if (terms.venue === "binance-usdm" && side === -1) binanceShorts++;
          if (Number.isNaN(after)) return;
          answered++;
          expect(Object.is(after, liquidationPriceValue(terms, side, quantity, entryPrice, moved))).toBe(true);
        },
      ),
      { seed: 20261203, numRuns: 4000 },
    );
    // Binance's tables are continuous, and a 1 % move mostly stays in the bracket: most of its shorts answer.
    expect(answered).toBeGreaterThan(binanceShorts / 2);
  });
});
