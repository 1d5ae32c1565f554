// The venue profiles shipped in packages/core/venues/*.yaml: each validates, is named after its file, has sane
// bracket tables (contiguous, monotone, continuous maintenance margin), sane funding bounds, and a few figures
// checked by hand against docs/venues.md.
// The rule keeping core free of file-system access is for domain code; this test reads the shipped data files.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  venueProfileSchema,
  type LinearPerpetualSpec,
  type MaintenanceBracketInput,
  type MaintenanceConvention,
  type VenueProfile,
} from "./venue-profile.js";

const venuesDir = new URL("../../venues/", import.meta.url);
const files = readdirSync(venuesDir)
  .filter((file) => file.endsWith(".yaml"))
  .sort();

const SHIPPED = ["binance-usdm", "bybit-linear", "dydx-v4", "hyperliquid", "okx-swap"];

function readRaw(file: string): unknown {
  const raw: unknown = parse(readFileSync(new URL(file, venuesDir), "utf8"));
  return raw;
}

function profileOf(file: string): VenueProfile {
  const result = venueProfileSchema.safeParse(readRaw(file));
  if (!result.success) {
    throw new Error(`${file} does not validate:\n${JSON.stringify(result.error.issues, null, 2)}`);
  }
  return result.data;
}

function profileNamed(name: string): VenueProfile {
  return profileOf(`${name}.yaml`);
}

function symbolOf(profile: VenueProfile, symbol: string): LinearPerpetualSpec {
  const spec = profile.symbols[symbol];
  if (spec === undefined) throw new Error(`${profile.name} has no symbol ${symbol}`);
  return spec;
}

function tierOf(spec: LinearPerpetualSpec, tierNumber: number): MaintenanceBracketInput {
  // Tier numbers as docs/venues.md counts them: 1-based.
  const tier = spec.brackets.tiers[tierNumber - 1];
  if (tier === undefined) throw new Error(`no tier ${tierNumber} (table has ${spec.brackets.tiers.length})`);
  return tier;
}

/** The rate the engine will charge: given, or 1 / (2 · maxLeverage) under the Hyperliquid convention. */
function effectiveRate(tier: MaintenanceBracketInput, convention: MaintenanceConvention): number | undefined {
  if (convention === "half-initial-at-max-leverage") return tier.maintenanceRate ?? 1 / (2 * tier.maxLeverage);
  return tier.maintenanceRate;
}

function closeTo(actual: number, expected: number, relative = 1e-6): boolean {
  return Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected));
}

/**
 * The maintenance amount each tier must have for MM = notional · rate − amount to be continuous at every bracket
 * edge: amount_1 = floor_1 · rate_1 (0, as the first floor is 0), amount_n = amount_{n−1} + floor_n · (rate_n −
 * rate_{n−1}). Where a tier gives its amount, the step to the next tier starts from the given value, so one wrong
 * row fails one check rather than every row after it.
 */
function continuityAmounts(tiers: readonly MaintenanceBracketInput[], convention: MaintenanceConvention): number[] {
  const amounts: number[] = [];
  let previousAmount = 0;
  let previousRate: number | undefined;
  tiers.forEach((tier, index) => {
    const rate = effectiveRate(tier, convention);
    if (rate === undefined) throw new Error(`tier ${index + 1} has no maintenance rate`);
    const expected = previousRate === undefined ? tier.floor * rate : previousAmount + tier.floor * (rate - previousRate);
    amounts.push(expected);
    previousAmount = tier.maintenanceAmount ?? expected;
    previousRate = rate;
  });
  return amounts;
}

interface AmountCheck {
  tier: number;
  given: number;
  expected: number;
}

/** One check per tier that gives its maintenance amount. */
function amountChecks(tiers: readonly MaintenanceBracketInput[], convention: MaintenanceConvention): AmountCheck[] {
  const expected = continuityAmounts(tiers, convention);
  return tiers.flatMap((tier, index) => {
    const amount = expected[index];
    return tier.maintenanceAmount === undefined || amount === undefined
      ? []
      : [{ tier: index + 1, given: tier.maintenanceAmount, expected: amount }];
  });
}

describe("shipped venue profiles", () => {
  it("include the five documented venues", () => {
    expect(files.map((file) => file.replace(/\.yaml$/, ""))).toEqual(expect.arrayContaining(SHIPPED));
  });

  describe.each(files)("%s", (file) => {
    it("validates against venueProfileSchema and is named after its file", () => {
      const result = venueProfileSchema.safeParse(readRaw(file));
      // On failure this prints every zod issue (path, code, message).
      expect(result.error?.issues ?? []).toEqual([]);
      expect(result.data?.name).toBe(file.replace(/\.yaml$/, ""));
    });

    it("has contiguous bracket tables with non-decreasing rate and non-increasing max leverage", () => {
      const profile = profileOf(file);
      for (const [symbol, spec] of Object.entries(profile.symbols)) {
        const tiers = spec.brackets.tiers;
        tiers.forEach((tier, index) => {
          const where = `${symbol} tier ${index + 1}`;
          expect(tier.cap, `${where}: cap above floor`).toBeGreaterThan(tier.floor);
          const rate = effectiveRate(tier, profile.maintenanceConvention);
          expect(rate, `${where}: maintenance rate given or derivable`).toBeDefined();
          const previous = tiers[index - 1];
          if (previous === undefined) {
            expect(tier.floor, `${where}: first floor`).toBe(0);
            return;
          }
          expect(tier.floor, `${where}: floor equals previous cap`).toBe(previous.cap);
          const previousRate = effectiveRate(previous, profile.maintenanceConvention);
          if (rate !== undefined && previousRate !== undefined) {
            expect(rate, `${where}: rate non-decreasing`).toBeGreaterThanOrEqual(previousRate);
          }
          expect(tier.maxLeverage, `${where}: max leverage non-increasing`).toBeLessThanOrEqual(previous.maxLeverage);
        });
      }
    });

    it("keeps maintenance margin continuous across bracket edges where amounts are given", () => {
      const profile = profileOf(file);
      for (const [symbol, spec] of Object.entries(profile.symbols)) {
        const tiers = spec.brackets.tiers;
        switch (profile.maintenanceConvention) {
          case "mark-notional":
          case "entry-value":
            for (const check of amountChecks(tiers, profile.maintenanceConvention)) {
              expect(
                closeTo(check.given, check.expected),
                `${symbol} tier ${check.tier}: amount ${check.given}, continuity requires ${check.expected}`,
              ).toBe(true);
            }
            break;
          case "mark-plus-taker-fee":
            // OKX charges the tier rate on the whole position: no deduction.
            tiers.forEach((tier, index) => {
              expect(tier.maintenanceAmount ?? 0, `${symbol} tier ${index + 1}: no deduction`).toBe(0);
            });
            break;
          case "half-initial-at-max-leverage":
            // A given rate must be the one the convention defines.
            tiers.forEach((tier, index) => {
              if (tier.maintenanceRate !== undefined) {
                expect(
                  closeTo(tier.maintenanceRate, 1 / (2 * tier.maxLeverage)),
                  `${symbol} tier ${index + 1}: rate is 1 / (2 · maxLeverage)`,
                ).toBe(true);
              }
            });
            break;
        }
      }
    });

    it("bounds funding with floor < 0 < cap", () => {
      const profile = profileOf(file);
      for (const [symbol, spec] of Object.entries(profile.symbols)) {
        expect(spec.funding.floor, `${symbol} funding floor`).toBeLessThan(0);
        expect(spec.funding.cap, `${symbol} funding cap`).toBeGreaterThan(0);
      }
    });
  });
});

describe("shipped figures match docs/venues.md", () => {
  it("Binance BTCUSDT / ETHUSDT brackets (docs/venues.md §1.3, freqtrade snapshot 2024-10-24)", () => {
    const binance = profileNamed("binance-usdm");
    const btc = symbolOf(binance, "BTCUSDT");
    expect(btc.brackets.asOf).toBe("2024-10-24");
    expect(btc.brackets.tiers).toHaveLength(12);
    expect(tierOf(btc, 2)).toMatchObject({ floor: 50_000, cap: 600_000, maxLeverage: 100 });
    expect(tierOf(btc, 2).maintenanceRate).toBe(0.005);
    expect(tierOf(btc, 2).maintenanceAmount).toBe(50);
    expect(tierOf(btc, 4).maintenanceAmount).toBe(11_450);
    expect(tierOf(btc, 12)).toMatchObject({ cap: 1_800_000_000, maxLeverage: 1, maintenanceAmount: 421_481_450 });
    const eth = symbolOf(binance, "ETHUSDT");
    expect(eth.brackets.tiers).toHaveLength(12);
    expect(tierOf(eth, 7)).toMatchObject({ floor: 65_000_000, maintenanceRate: 0.05, maintenanceAmount: 2_006_450 });
    // Every tier carries its cum, so the continuity test above covers the whole table.
    for (const spec of [btc, eth]) {
      expect(amountChecks(spec.brackets.tiers, binance.maintenanceConvention)).toHaveLength(12);
    }
  });

  it("Binance fees, funding and portfolio figures (docs/venues.md §1.4, §1.5, §6.1)", () => {
    const binance = profileNamed("binance-usdm");
    const btc = symbolOf(binance, "BTCUSDT");
    expect(btc.liquidationFeeRate.value).toBe(0.0125); // §1.4, capture of 2024-03-28
    expect(btc.funding).toMatchObject({ intervalHours: 8, cap: 0.003, floor: -0.003 }); // §1.5: 0.75 × 0.40 %
    expect(binance.portfolio?.liquidationThreshold).toBe(1.05); // §6.1 PM Pro table: liquidation at ≤ 105 %
    expect(binance.portfolio?.maintenanceOn).toBe("gross");
    expect(binance.portfolio?.collateral["USDT"]?.ratio).toBe(1);
  });

  it("Bybit BTCUSDT risk-limit tiers (docs/venues.md §2.2)", () => {
    const bybit = profileNamed("bybit-linear");
    const btc = symbolOf(bybit, "BTCUSDT");
    expect(btc.brackets.tiers).toHaveLength(20);
    expect(tierOf(btc, 1)).toMatchObject({ floor: 0, cap: 2_000_000, maxLeverage: 100, maintenanceRate: 0.005 });
    expect(tierOf(btc, 2)).toMatchObject({ floor: 2_000_000, cap: 2_600_000, maintenanceAmount: 1_200 });
    expect(tierOf(btc, 3).maintenanceAmount).toBe(3_020);
    expect(tierOf(btc, 20)).toMatchObject({ cap: 80_000_000, maxLeverage: 14, maintenanceAmount: 1_482_000 });
    expect(amountChecks(btc.brackets.tiers, bybit.maintenanceConvention)).toHaveLength(20);
  });

  it("OKX BTC-USDT-SWAP funding cap (docs/venues.md §3.3)", () => {
    const btc = symbolOf(profileNamed("okx-swap"), "BTC-USDT-SWAP");
    expect(btc.funding).toMatchObject({ intervalHours: 8, cap: 0.00375, floor: -0.00375 });
  });

  it("Hyperliquid BTC margin tiers and their implied deduction (docs/venues.md §4)", () => {
    const hyperliquid = profileNamed("hyperliquid");
    const btc = symbolOf(hyperliquid, "BTC");
    expect(tierOf(btc, 1)).toMatchObject({ floor: 0, cap: 150_000_000, maxLeverage: 40 });
    expect(tierOf(btc, 2)).toMatchObject({ floor: 150_000_000, maxLeverage: 20 });
    // §4 [derived]: MMR 1.25 % up to 150M, above it 2.5 % with deduction 150M × 1.25 % = 1,875,000.
    const rates = btc.brackets.tiers.map((tier) => effectiveRate(tier, hyperliquid.maintenanceConvention));
    expect(rates).toEqual([0.0125, 0.025]);
    const deductions = continuityAmounts(btc.brackets.tiers, hyperliquid.maintenanceConvention);
    expect(deductions[0]).toBe(0);
    expect(deductions[1]).toBeCloseTo(1_875_000, 6);
    expect(btc.funding).toMatchObject({ intervalHours: 1, cap: 0.04, floor: -0.04 }); // 4 %/hour
    expect(btc.liquidationFeeRate.value).toBe(0); // "no clearance fee"
    expect(hyperliquid.liquidation.partial).toEqual({ kind: "fraction", fraction: 0.2, minNotional: 100_000 });
  });

  it("dYdX v4 large-cap liquidity tier (docs/venues.md §5)", () => {
    const btc = symbolOf(profileNamed("dydx-v4"), "BTC-USD");
    expect(btc.brackets.tiers).toHaveLength(1);
    expect(tierOf(btc, 1)).toMatchObject({ maxLeverage: 50, maintenanceRate: 0.012 }); // IMF 2 %, MMF 2 % × 0.6
    expect(btc.liquidationFeeRate.value).toBe(0.015); // maximum liquidation penalty 1.5 %
  });
});
