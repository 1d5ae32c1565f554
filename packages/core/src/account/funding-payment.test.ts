import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { settledFundingRate } from "../funding/funding-payment.js";
import { Ledger } from "../ledger/ledger.js";
import { money, priceAtTick } from "../ledger/money.js";
import { parseVenueProfile } from "../venue/parse-venue-profile.js";
import { perpetualTerms } from "../venue/perpetual-terms.js";
import { Account, fundingPayment, fundingPaymentReceived, fundingReceived, type PerpetualPosition } from "./account.js";

// fundingPayment takes an integer shortcut; it must give exactly fundingReceived's decimal, and units = amount x 1e8.
const binance = parseVenueProfile(readFileSync(new URL("../../venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");
const btc = perpetualTerms(binance, "BTCUSDT");

function position(quantity: string, side: 1 | -1, tickSize: number): PerpetualPosition {
  const q = money(quantity);
  return { leg: "perp", route: "r", terms: { ...btc, tickSize }, side, quantity: q, entryPrice: money(60_000), quantityValue: q.toNumber(), entryValue: 60_000 };
}

describe("fundingPayment", () => {
  it("equals fundingReceived to the last decimal, with units = amount x 1e8 where it gives them (property, fixed seed)", () => {
    let withUnits = 0;
    fc.assert(
      fc.property(
        // Quantities with up to 8 decimals (partial liquidations round to 8), prices over four decades, rates
        // across the caps, ticks of the shipped venues.
        fc.integer({ min: 1, max: 5_000_000_000 }),
        fc.integer({ min: 0, max: 8 }),
        fc.double({ min: 1, max: 500_000, noNaN: true }),
        fc.double({ min: -0.01, max: 0.01, noNaN: true }),
        fc.constantFrom<1 | -1>(1, -1),
        fc.constantFrom(0.1, 0.01, 1, 0.5),
        (mantissa, decimals, mark, rate, side, tick) => {
          const p = position(money(mantissa).div(money(10).pow(decimals)).toString(), side, tick);
          const settled = settledFundingRate(p.terms, rate);
          const expected = fundingReceived(p, mark, settled);
          const payment = fundingPayment(p, mark, settled);
          expect(fundingPaymentReceived(payment).toString()).toBe(expected.toString());
          if (!Number.isNaN(payment.units)) {
            withUnits++;
            expect(money(payment.units).div(1e8).toString()).toBe(expected.toString());
          }
        },
      ),
      { seed: 20261123, numRuns: 20_000 },
    );
    // The shortcut must actually be taken for ordinary sizes, or this test proves nothing about it.
    expect(withUnits).toBeGreaterThan(5_000);
  });

  it("rounds a half unit to even, as settle does, and pays a long when the rate is negative", () => {
    // 1 BTC x 60,000.1 x 1e-8 = 0.000600001 -> 0.00060000 (units 60000, even); 0.5 BTC x 60,001 x 1e-8 at tick 1
    // = 0.000300005, a half unit: to even 0.00030000; at 3e-8 it is 0.000900015 -> 0.00090002 (half to even).
    const small = fundingPayment(position("1", -1, 0.1), 60_000.1, 1e-8);
    expect(small).toEqual({ received: null, units: 60_000 });
    expect(fundingPaymentReceived(small).toString()).toBe("0.0006");
    expect(fundingPaymentReceived(fundingPayment(position("0.5", -1, 1), 60_001, 1e-8)).toString()).toBe(fundingReceived(position("0.5", -1, 1), 60_001, 1e-8).toString());
    expect(fundingPayment(position("0.5", -1, 1), 60_001, 1e-8).units).toBe(30_000);
    expect(fundingPayment(position("0.5", -1, 1), 60_001, 3e-8).units).toBe(90_002);
    const large = fundingPayment(position("1", 1, 0.1), 60_000, -0.0001);
    expect(large).toEqual({ received: null, units: 600_000_000 });
    expect(fundingPaymentReceived(large).toString()).toBe("6");
    expect(priceAtTick(60_000.1, 0.1).toString()).toBe("60000.1");
  });
});

describe("Account.bookFundingPayment", () => {
  // The Monte Carlo books payments by their units, making no decimal; the ledger must end exactly where booking
  // each payment's decimal with bookFunding leaves it: balances, totals, and every event's kind, leg, rate and amount.
  it("leaves the ledger exactly as bookFunding does, in isolated and cross (property, fixed seed)", () => {
    let byUnitsCount = 0;
    let payments = 0;
    fc.assert(
      fc.property(
        fc.constantFrom<"isolated" | "cross">("isolated", "cross"),
        fc.array(fc.tuple(fc.double({ min: 1_000, max: 200_000, noNaN: true }), fc.double({ min: -0.003, max: 0.003, noNaN: true })), { minLength: 1, maxLength: 40 }),
        fc.constantFrom<1 | -1>(1, -1),
        (mode, settlements, side) => {
          const p = position("0.37", side, 0.1);
          const [byDecimal, byUnits] = [new Account("a", binance, mode, new Ledger()), new Account("a", binance, mode, new Ledger())];
          for (const account of [byDecimal, byUnits]) account.deposit(0, money(10_000));
          settlements.forEach(([mark, rate], i) => {
            const settled = settledFundingRate(p.terms, rate);
            byDecimal.bookFunding(i, p, fundingReceived(p, mark, settled), settled);
            const payment = fundingPayment(p, mark, settled);
            payments++;
            if (!Number.isNaN(payment.units)) byUnitsCount++;
            byUnits.bookFundingPayment(i, p, payment, settled);
          });
          const view = (account: Account) => ({
            totals: Object.values(account.ledger.totals()).map(String),
            balances: account.ledger.accountBalances("a").map((b) => `${b.key}=${b.balance.toString()}`),
            events: account.ledger.events.map((e) => `${e.kind} ${String(e.t)} ${e.bucket.isolatedLeg ?? "wallet"} ${e.amount.toString()} ${"leg" in e ? e.leg : ""} ${"rate" in e ? String(e.rate) : ""}`),
            // What a reader that copies or serialises the events sees (a getter would vanish here).
            json: JSON.stringify(account.ledger.events),
            spread: account.ledger.events.map((e) => ({ ...e })),
            cloned: structuredClone(account.ledger.events.map((e) => ({ ...e, amount: e.amount.toString() }))),
            wallet: account.walletBalance(),
          });
          expect(view(byUnits)).toEqual(view(byDecimal));
        },
      ),
      { seed: 20261201, numRuns: 500 },
    );
    // Most payments must take the units route, or this compares bookFunding with itself.
    expect(byUnitsCount).toBeGreaterThan(0.9 * payments);
    expect(byUnitsCount).toBeGreaterThan(1_000);
  });

  it("books nothing for a zero payment, and refuses units that are not a non-negative whole number", () => {
    const account = new Account("a", binance, "cross", new Ledger());
    account.bookFundingPayment(0, position("1", -1, 0.1), fundingPayment(position("1", -1, 0.1), 60_000, 0), 0);
    expect(account.ledger.events).toHaveLength(0);
    for (const units of [1.5, -100_000_000]) {
      expect(() => {
        account.ledger.book({ kind: "deposit", t: 0, bucket: account.wallet, amount: money(1) }, units);
      }).toThrow("units must be a non-negative safe integer");
    }
  });
});
