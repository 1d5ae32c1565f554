import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Account } from "../account/account.js";
import { accountDistanceToLiquidation, marginSurplus } from "../account/account-risk.js";
import { scaledSnapshot, snapshotOf, type MarketSnapshot } from "../account/market-snapshot.js";
import { Ledger } from "../ledger/ledger.js";
import { money } from "../ledger/money.js";
import { parseVenueProfile } from "../venue/parse-venue-profile.js";
import { perpetualTerms } from "../venue/perpetual-terms.js";
import type { LinearPerpetualSpec, VenueProfile } from "../venue/venue-profile.js";
import { liquidationPrice } from "./liquidation-price.js";
import { liquidationFactors } from "./price-factor-solver.js";

const binance = parseVenueProfile(readFileSync(new URL("../../venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");

/** The Binance profile with a taker fee of 0 on every symbol, so that a deposit is exactly the wallet balance. */
function feeFree(venue: VenueProfile): VenueProfile {
  const symbols: Record<string, LinearPerpetualSpec> = {};
  for (const [name, spec] of Object.entries(venue.symbols)) symbols[name] = { ...spec, fees: { ...spec.fees, taker: 0 } };
  return { ...venue, symbols };
}

const freeVenue = feeFree(binance);
const btc = perpetualTerms(freeVenue, "BTCUSDT");
const eth = perpetualTerms(freeVenue, "ETHUSDT");

function rootsOf(account: Account, market: MarketSnapshot): ReturnType<typeof liquidationFactors> {
  return liquidationFactors((factor) => marginSurplus(account, scaledSnapshot(market, factor)));
}

describe("liquidationFactors on simple surplus functions", () => {
  it("finds the root of a linear surplus to ~1e-12 relative, and null where there is none", () => {
    // s(f) = 0.2 − (f − 1): zero at f = 1.2; positive for every f < 1 (no down root).
    const roots = liquidationFactors((f) => 0.2 - (f - 1));
    expect(roots.up).toBeCloseTo(1.2, 10); // bisection stops at 1e-12 relative
    expect(roots.down).toBeNull();
    // s(f) = (f − 0.75)·(1.5 − f) > 0 on (0.75, 1.5): roots 1.5 and 0.75.
    const both = liquidationFactors((f) => (f - 0.75) * (1.5 - f));
    expect(both.up).toBeCloseTo(1.5, 10);
    expect(both.down).toBeCloseTo(0.75, 10);
  });

  it("reports 1 both ways when already breached, and null beyond maxFactor", () => {
    expect(liquidationFactors(() => 0)).toEqual({ up: 1, down: 1 });
    // s(f) = 2,000 − f stays positive up to f = 1,000 = maxFactor.
    expect(liquidationFactors((f) => 2_000 - f).up).toBeNull();
  });
});

describe("solver vs closed form on a single-position cross account (Binance BTCUSDT tiers, taker fee 0)", () => {
  const market = snapshotOf(new Map([["BTC", 60_000]]));

  function crossAccount(deposit: number, side: 1 | -1, venue = freeVenue): Account {
    const account = new Account("a", venue, "cross", new Ledger());
    account.deposit(0, money(deposit));
    account.openPerpetual(0, { leg: "btc", route: "r", terms: perpetualTerms(venue, "BTCUSDT"), side, quantity: money(1) }, 60_000);
    return account;
  }

  it("short 1 @ 60,000 with 10,000: up factor × 60,000 = 70,050/1.005 = 69,701.49; no down root", () => {
    const account = crossAccount(10_000, -1);
    const roots = rootsOf(account, market);
    const closed = liquidationPrice({ terms: btc, side: -1, quantity: 1, entryPrice: 60_000, collateral: 10_000 }).liquidationPrice ?? Number.NaN;
    const up = roots.up ?? Number.NaN;
    expect(Math.abs(up * 60_000 - closed) / closed).toBeLessThan(1e-8);
    expect(up * 60_000).toBeCloseTo(69_701.4925373, 4); // hand value; 1e-4 ≫ bisection error (≈ 7e-8 $)
    expect(roots.down).toBeNull(); // a short only gains as the price falls
  });

  it("long 1 @ 60,000 with 10,000: down factor × 60,000 = 49,950/0.995 = 50,201.01 (tier 2); no up root", () => {
    // 10,000 + (P − 60,000) = 0.005·P − 50 → P = 49,950/0.995 = 50,201.005… (notional > 50k → tier 2).
    const account = crossAccount(10_000, 1);
    const roots = rootsOf(account, market);
    const closed = liquidationPrice({ terms: btc, side: 1, quantity: 1, entryPrice: 60_000, collateral: 10_000 }).liquidationPrice ?? Number.NaN;
    const down = roots.down ?? Number.NaN;
    expect(Math.abs(down * 60_000 - closed) / closed).toBeLessThan(1e-8);
    expect(down * 60_000).toBeCloseTo(50_201.0050251, 4);
    expect(roots.up).toBeNull();
  });

  it("with the shipped taker fee the wallet is 10,000 − 30 and the root follows it: (9,970 + 60,050)/1.005", () => {
    // openPerpetual charges 1 · 60,000 · 0.0005 = 30 from the wallet → 9,970; LP = 70,020/1.005 = 69,671.64…
    const account = crossAccount(10_000, -1, binance);
    expect(account.walletBalance()).toBe(9_970);
    const up = rootsOf(account, market).up ?? Number.NaN;
    expect(up * 60_000).toBeCloseTo(69_671.6417910, 4);
  });
});

describe("solver on a two-position cross account", () => {
  it("short 1 BTC @ 60,000 + short 10 ETH @ 3,000 with 20,000: up factor 110,050/90,420", () => {
    // At factor f: equity = 20,000 + 60,000(1 − f) + 30,000(1 − f) = 110,000 − 90,000 f.
    // MM: BTC notional 60,000 f (tier 2 for f > 0.833): 300 f − 50; ETH 30,000 f (tier 1 for f < 1.667): 120 f.
    // 110,000 − 90,000 f = 420 f − 50 → f = 110,050/90,420 = 1.2170979871…; BTC 73,026 ∈ tier 2, ETH 36,513 ∈ tier 1.
    const account = new Account("two", freeVenue, "cross", new Ledger());
    account.deposit(0, money(20_000));
    account.openPerpetual(0, { leg: "btc", route: "r", terms: btc, side: -1, quantity: money(1) }, 60_000);
    account.openPerpetual(0, { leg: "eth", route: "r", terms: eth, side: -1, quantity: money(10) }, 3_000);
    const market = snapshotOf(
      new Map([
        ["BTC", 60_000],
        ["ETH", 3_000],
      ]),
    );
    const roots = rootsOf(account, market);
    expect(roots.up).toBeCloseTo(1.2170979871, 9);
    expect(roots.down).toBeNull();
    expect(accountDistanceToLiquidation(account, market)).toBeCloseTo(0.2170979871, 9);
  });
});

describe("property: an unrelated losing position never moves a cross account's liquidation away", () => {
  // Under the one-factor move every price is scaled together, so "losing" has to mean losing on the same move:
  // the extra leg is on the base leg's side and its mark has already moved against it. Then for every factor on
  // the base's adverse side, surplus_with(f) = surplus_without(f) + uPnL_extra(f) − MM_extra(f) < surplus_without(f),
  // and both surpluses are monotone there, so the first zero is reached no later (the root is no farther).
  // (An extra leg on the opposite side is a hedge under a one-factor move and may legitimately push the root out.)
  it("short BTC + short ETH marked above its entry: up root with the extra ≤ without", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5_000, max: 50_000 }),
        fc.double({ min: 0.9, max: 1.1, noNaN: true }),
        fc.integer({ min: 10, max: 2_000 }),
        fc.integer({ min: 1_000, max: 4_000 }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        (deposit, btcMove, ethCentiQty, ethEntry, ethAdverse) => {
          const market = snapshotOf(
            new Map([
              ["BTC", 60_000 * btcMove],
              ["ETH", ethEntry * (1 + ethAdverse)],
            ]),
          );
          const base = new Account("base", freeVenue, "cross", new Ledger());
          base.deposit(0, money(deposit));
          base.openPerpetual(0, { leg: "btc", route: "r", terms: btc, side: -1, quantity: money(1) }, 60_000);
          const withExtra = new Account("extra", freeVenue, "cross", new Ledger());
          withExtra.deposit(0, money(deposit));
          withExtra.openPerpetual(0, { leg: "btc", route: "r", terms: btc, side: -1, quantity: money(1) }, 60_000);
          withExtra.openPerpetual(0, { leg: "eth", route: "other", terms: eth, side: -1, quantity: money(ethCentiQty).div(100) }, ethEntry);
          const without = rootsOf(base, market).up;
          const withIt = rootsOf(withExtra, market).up;
          expect(without).not.toBeNull(); // a short is always liquidated somewhere above
          expect(withIt).not.toBeNull();
          expect(withIt ?? Number.NaN).toBeLessThanOrEqual(without ?? Number.NaN);
        },
      ),
      { numRuns: 100, seed: 31_415 },
    );
  });

  it("long BTC + long ETH marked below its entry: down root with the extra ≥ without (closer to 1)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5_000, max: 70_000 }),
        fc.double({ min: 0.9, max: 1.1, noNaN: true }),
        fc.integer({ min: 10, max: 2_000 }),
        fc.integer({ min: 1_000, max: 4_000 }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        (deposit, btcMove, ethCentiQty, ethEntry, ethAdverse) => {
          const market = snapshotOf(
            new Map([
              ["BTC", 60_000 * btcMove],
              ["ETH", ethEntry * (1 - ethAdverse)],
            ]),
          );
          const base = new Account("base", freeVenue, "cross", new Ledger());
          base.deposit(0, money(deposit));
          base.openPerpetual(0, { leg: "btc", route: "r", terms: btc, side: 1, quantity: money(1) }, 60_000);
          const withExtra = new Account("extra", freeVenue, "cross", new Ledger());
          withExtra.deposit(0, money(deposit));
          withExtra.openPerpetual(0, { leg: "btc", route: "r", terms: btc, side: 1, quantity: money(1) }, 60_000);
          withExtra.openPerpetual(0, { leg: "eth", route: "other", terms: eth, side: 1, quantity: money(ethCentiQty).div(100) }, ethEntry);
          const without = rootsOf(base, market).down;
          const withIt = rootsOf(withExtra, market).down;
          // null = no liquidation on the way down (farthest). The extra may create one, never remove one.
          if (without !== null) {
            expect(withIt).not.toBeNull();
            expect(withIt ?? Number.NaN).toBeGreaterThanOrEqual(without);
          }
        },
      ),
      { numRuns: 100, seed: 27_182 },
    );
  });
});
