import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Account } from "../account/account.js";
import { accountDistanceToLiquidation, marginSurplus } from "../account/account-risk.js";
import { snapshotOf, type MarketSnapshot } from "../account/market-snapshot.js";
import { Ledger } from "../ledger/ledger.js";
import { money } from "../ledger/money.js";
import { parseVenueProfile } from "../venue/parse-venue-profile.js";
import { perpetualTerms } from "../venue/perpetual-terms.js";
import type { LinearPerpetualSpec, VenueProfile } from "../venue/venue-profile.js";
import { liquidateDue } from "./liquidate-account.js";

function loadVenue(file: string): VenueProfile {
  return parseVenueProfile(readFileSync(new URL(`../../venues/${file}`, import.meta.url), "utf8"), file);
}

const binance = loadVenue("binance-usdm.yaml");

interface Variant {
  readonly taker?: number;
  readonly liquidationFee?: number;
  readonly cross?: VenueProfile["liquidation"]["cross"];
  readonly tiers?: LinearPerpetualSpec["brackets"]["tiers"];
}

/** A venue literal: the given profile with its fees, cross order or bracket table changed on every symbol. */
function variant(venue: VenueProfile, change: Variant): VenueProfile {
  const symbols: Record<string, LinearPerpetualSpec> = {};
  for (const [name, spec] of Object.entries(venue.symbols)) {
    symbols[name] = {
      ...spec,
      fees: { ...spec.fees, taker: change.taker ?? spec.fees.taker },
      liquidationFeeRate: { ...spec.liquidationFeeRate, value: change.liquidationFee ?? spec.liquidationFeeRate.value },
      brackets: { ...spec.brackets, tiers: change.tiers ?? spec.brackets.tiers },
    };
  }
  return { ...venue, symbols, liquidation: { ...venue.liquidation, cross: change.cross ?? venue.liquidation.cross } };
}

function btcAt(price: number): MarketSnapshot {
  return snapshotOf(new Map([["BTC", price]]));
}

function fundShare(ledger: Ledger): number {
  const totals = ledger.totals();
  return totals.liquidationFees.plus(totals.insuranceContributions).minus(totals.insuranceCover).toNumber();
}

/** The docs/domain.md isolated leg: short 1 BTC @ 60,000 with 3,000 allocated, on binance-usdm (shipped fees). */
function isolatedShort(venue = binance): Account {
  const account = new Account("iso", venue, "isolated", new Ledger());
  account.deposit(0, money(10_000));
  account.openPerpetual(
    0,
    { leg: "short", route: "carry", terms: perpetualTerms(venue, "BTCUSDT"), side: -1, quantity: money(1), isolatedMargin: money(3_000) },
    60_000,
  );
  return account;
}

describe("isolated: docs/domain.md worked example, short 1 BTC @ 60,000 with 3,000 (binance-usdm)", () => {
  it("opening books the allocation and the taker fee (from the wallet): 10,000 − 3,000 − 30", () => {
    // Taker 0.05 % · 60,000 = 30, charged to the wallet, so the isolated allocation stays exactly 3,000.
    const account = isolatedShort();
    expect(account.isolatedMargin("short")).toBe(3_000);
    expect(account.walletBalance()).toBe(6_970);
  });

  it("is not liquidated below its LP 62,736.32 (mark 62,700)", () => {
    // equity 3,000 − 2,700 = 300 > MM 0.005·62,700 − 50 = 263.5
    const account = isolatedShort();
    expect(liquidateDue(account, 1, btcAt(62_700))).toEqual([]);
    expect(account.positions).toHaveLength(1);
  });

  it("mark 63,000 (= bankruptcy): one record closing the leg, the trader loses exactly the 3,000", () => {
    // Realised loss 1·(63,000 − 60,000) = 3,000 empties the allocation; the 1.25 % liquidation fee is capped at what
    // is left (0) and nothing remains to seize, so loss = 3,000 + 0 + 0 and the fund's share is 0 + 0 − 0 = 0.
    const account = isolatedShort();
    const records = liquidateDue(account, 1, btcAt(63_000));
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?.leg).toBe("short");
    expect(record?.closesLeg).toBe(true);
    expect(record?.quantity).toBe(1);
    expect(record?.loss).toBe(3_000);
    expect(record?.liquidationFee).toBe(0);
    expect(record?.insuranceCover).toBe(0);
    expect(account.positions).toHaveLength(0);
    expect(account.isolatedMargin("short")).toBe(0);
    expect(account.walletBalance()).toBe(6_970); // the rest of the balance is untouched
    expect(fundShare(account.ledger)).toBe(0);
  });

  it("mark 62,800 (between LP and bankruptcy): loss is still 3,000 and the fund receives the 200 that was left", () => {
    // equity 3,000 − 2,800 = 200 ≤ MM 0.005·62,800 − 50 = 264 → liquidated. Realised loss 2,800; fee
    // min(62,800·1.25 % = 785, 200 left) = 200; nothing left to seize: loss 2,800 + 200 = 3,000, fund share 200 > 0.
    const account = isolatedShort();
    const [record, ...rest] = liquidateDue(account, 1, btcAt(62_800));
    expect(rest).toEqual([]);
    expect(record?.closesLeg).toBe(true);
    expect(record?.loss).toBe(3_000);
    expect(record?.liquidationFee).toBe(200);
    expect(fundShare(account.ledger)).toBe(200);
    expect(account.isolatedMargin("short")).toBe(0);
  });

  it("bankruptcy settlement seizes the remainder: liquidation fee 0.1 % at 62,800 → fee 62.8 + seized 137.2", () => {
    // Realised loss 2,800 leaves 200; fee 62,800·0.001 = 62.8; the remaining 137.2 goes to the insurance fund
    // (settlement: bankruptcy, docs/venues.md §1.1). Loss 2,800 + 62.8 + 137.2 = 3,000; fund share 200.
    const venue = variant(binance, { liquidationFee: 0.001 });
    const account = isolatedShort(venue);
    const [record] = liquidateDue(account, 1, btcAt(62_800));
    expect(record?.loss).toBe(3_000);
    expect(record?.liquidationFee).toBe(62.8);
    expect(account.ledger.totals().insuranceContributions.toNumber()).toBe(137.2);
    expect(fundShare(account.ledger)).toBe(200);
    expect(account.isolatedMargin("short")).toBe(0);
    expect(account.walletBalance()).toBe(6_970);
  });

  it("a gap through bankruptcy (mark 64,000): the trader loses exactly 3,000, the fund covers the 1,000 deficit", () => {
    // Realised loss 4,000 takes the allocation to −1,000; no fee can be charged (nothing left); the fund books an
    // insurance-cover of 1,000 so the trader's loss is 4,000 − 1,000 = 3,000 and no balance is below zero.
    const account = isolatedShort();
    const [record, ...rest] = liquidateDue(account, 1, btcAt(64_000));
    expect(rest).toEqual([]);
    expect(record?.closesLeg).toBe(true);
    expect(record?.loss).toBe(3_000);
    expect(record?.liquidationFee).toBe(0);
    expect(record?.insuranceCover).toBe(1_000);
    const totals = account.ledger.totals();
    expect(totals.insuranceCover.toNumber()).toBe(1_000);
    expect(totals.realisedPnl.toNumber()).toBe(-4_000);
    for (const { balance } of account.ledger.accountBalances("iso")) expect(balance.isNegative()).toBe(false);
    expect(account.walletBalance()).toBe(6_970);
  });
});

describe("cross: docs/domain.md worked example, short 1 BTC @ 60,000 with the whole 10,000 (taker fee 0)", () => {
  const venue = variant(binance, { taker: 0 });

  function crossShort(): Account {
    const account = new Account("cross", venue, "cross", new Ledger());
    account.deposit(0, money(10_000));
    account.openPerpetual(0, { leg: "short", route: "carry", terms: perpetualTerms(venue, "BTCUSDT"), side: -1, quantity: money(1) }, 60_000);
    return account;
  }

  it("a +12 % pump to 67,200: not liquidated, ≈ 3.7 % (\"about 4 points\") from liquidation at 69,701.49", () => {
    // equity 10,000 − 7,200 = 2,800 > MM 0.005·67,200 − 50 = 286. LP = 70,050/1.005 = 69,701.4925;
    // distance (69,701.4925 − 67,200)/67,200 = 0.0372246.
    const account = crossShort();
    const market = btcAt(67_200);
    expect(liquidateDue(account, 1, market)).toEqual([]);
    expect(account.positions).toHaveLength(1);
    expect(accountDistanceToLiquidation(account, market)).toBeCloseTo(0.0372246, 6);
  });

  it("alive at 69,701, liquidated at 69,702 (either side of the LP), losing the whole 10,000", () => {
    // 69,701: equity 299 > MM 298.505. 69,702: equity 298 ≤ MM 298.51 → close; realised −9,702 leaves 298, the
    // fee min(69,702·1.25 % = 871.275, 298) = 298 takes it to 0: loss 9,702 + 298 = 10,000.
    const account = crossShort();
    expect(liquidateDue(account, 1, btcAt(69_701))).toEqual([]);
    const records = liquidateDue(account, 2, btcAt(69_702));
    expect(records).toHaveLength(1);
    expect(records[0]?.loss).toBe(10_000);
    expect(records[0]?.liquidationFee).toBe(298);
    expect(account.walletBalance()).toBe(0);
  });
});

describe("cross with two losing positions (taker 0, liquidation fee 0.1 %)", () => {
  // Deposit 6,600; short 1 BTC @ 60,000 and short 10 ETH @ 3,000; marks BTC 66,000, ETH 3,030.
  // Equity 6,600 − 6,000 − 300 = 300; MM BTC 0.005·66,000 − 50 = 280, ETH 0.004·30,300 = 121.2 → 401.2 ≥ 300: breached.
  const market = snapshotOf(
    new Map([
      ["BTC", 66_000],
      ["ETH", 3_030],
    ]),
  );

  function twoShorts(cross: VenueProfile["liquidation"]["cross"]): Account {
    const venue = variant(binance, { taker: 0, liquidationFee: 0.001, cross });
    const account = new Account("x", venue, "cross", new Ledger());
    account.deposit(0, money(6_600));
    account.openPerpetual(0, { leg: "btc", route: "r1", terms: perpetualTerms(venue, "BTCUSDT"), side: -1, quantity: money(1) }, 60_000);
    account.openPerpetual(0, { leg: "eth", route: "r2", terms: perpetualTerms(venue, "ETHUSDT"), side: -1, quantity: money(10) }, 3_000);
    return account;
  }

  it("largest-loss-first closes only BTC when that restores the account", () => {
    // Close BTC: realised −6,000 → wallet 600; fee 66,000·0.001 = 66 (≤ equity 300) → wallet 534.
    // Then equity 534 − 300 = 234 > ETH MM 121.2: stop. One record, loss 6,066.
    const account = twoShorts("largest-loss-first");
    expect(marginSurplus(account, market)).toBeCloseTo(300 - 401.2, 9);
    const records = liquidateDue(account, 1, market);
    expect(records).toHaveLength(1);
    expect(records[0]?.leg).toBe("btc");
    expect(records[0]?.closesLeg).toBe(true);
    expect(records[0]?.loss).toBe(6_066);
    expect(records[0]?.liquidationFee).toBe(66);
    expect(account.positions.map((p) => p.leg)).toEqual(["eth"]);
    expect(account.walletBalance()).toBe(534);
    expect(marginSurplus(account, market)).toBeCloseTo(234 - 121.2, 9);
  });

  it("all-at-once closes both", () => {
    // BTC as above (loss 6,066, wallet 534); ETH: realised −300 → 234, fee 30,300·0.001 = 30.3 → 203.7.
    const account = twoShorts("all-at-once");
    const records = liquidateDue(account, 1, market);
    expect(records.map((r) => [r.leg, r.loss, r.liquidationFee])).toEqual([
      ["btc", 6_066, 66],
      ["eth", 330.3, 30.3],
    ]);
    expect(account.positions).toHaveLength(0);
    expect(account.walletBalance()).toBe(203.7);
  });
});

describe("partial to-lower-tier (Bybit-like two-tier table, entry-value convention)", () => {
  // Tiers: 0–100,000 at 0.5 %, 100,000–1,000,000 at 1 % with deduction 100,000·(1 % − 0.5 %) = 500.
  const venue = variant(loadVenue("bybit-linear.yaml"), {
    taker: 0,
    liquidationFee: 0.0005,
    tiers: [
      { floor: 0, cap: 100_000, maxLeverage: 100, maintenanceRate: 0.005, maintenanceAmount: 0 },
      { floor: 100_000, cap: 1_000_000, maxLeverage: 50, maintenanceRate: 0.01, maintenanceAmount: 500 },
    ],
  });

  it("reduces a tier-2 position to the lower tier's cap first, then closes the rest when it breaches again", () => {
    const account = new Account("bybit", venue, "isolated", new Ledger());
    account.deposit(0, money(10_000));
    const position = account.openPerpetual(
      0,
      { leg: "long", route: "r", terms: perpetualTerms(venue, "BTCUSDT"), side: 1, quantity: money(3), isolatedMargin: money(5_000) },
      50_000,
    );
    // Entry value 150,000 → tier 2: MM = 1,500 − 500 = 1,000; LP = 50,000 − (5,000 − 1,000)/3 = 48,666.67.
    // Mark 48,600: equity 5,000 − 3·1,400 = 800 ≤ 1,000. Keep 100,000/50,000 = 2 BTC, close 1: realised −1,400,
    // fee 48,600·0.0005 = 24.3 → allocation 3,575.7. Now 2 BTC: MM 100,000·0.5 % = 500 < equity 3,575.7 − 2,800 = 775.7.
    const first = liquidateDue(account, 1, btcAt(48_600));
    expect(first).toHaveLength(1);
    expect(first[0]?.quantity).toBe(1);
    expect(first[0]?.closesLeg).toBe(false);
    expect(first[0]?.loss).toBe(1_424.3);
    expect(position.quantity.toNumber()).toBe(2);
    expect(account.isolatedMargin("long")).toBe(3_575.7);

    // Mark 48,000: equity 3,575.7 − 2·2,000 = −424.3 ≤ 500; tier 1 has no lower tier → close all 2 BTC.
    // Realised −4,000 → −424.3; no fee possible; the fund covers 424.3: loss 4,000 − 424.3 = 3,575.7.
    // Over both steps the trader lost 1,424.3 + 3,575.7 = 5,000, exactly the allocation.
    const second = liquidateDue(account, 2, btcAt(48_000));
    expect(second).toHaveLength(1);
    expect(second[0]?.quantity).toBe(2);
    expect(second[0]?.closesLeg).toBe(true);
    expect(second[0]?.loss).toBe(3_575.7);
    expect(second[0]?.insuranceCover).toBe(424.3);
    expect(account.isolatedMargin("long")).toBe(0);
    expect(account.positions).toHaveLength(0);
  });
});
