import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Decimal } from "decimal.js";
import { unitsOf } from "./exact-tally.js";
import { Money } from "./money.js";

// unitsOf reads decimal.js's digits; unitsOfValue is the float route it replaced: exact units recovered from the
// nearest double below 10^7 with at most 8 decimal places. Both must give the same number for every decimal: the
// units, or NaN.
function unitsOfValue(amount: Decimal): number {
  const value = amount.toNumber();
  return Math.abs(value) < 1e7 && amount.decimalPlaces() <= 8 ? Math.round(value * 1e8) : Number.NaN;
}
const decimalOf = (digits: bigint, exponent: number, negative: boolean): InstanceType<typeof Money> => new Money(`${negative ? "-" : ""}${digits.toString()}e${String(exponent)}`);

describe("unitsOf", () => {
  it("equals the float route on random decimals: up to 22 digits, 1e-20 to 1e12, both signs (property, fixed seed)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 22n }), fc.integer({ min: -20, max: 12 }), fc.boolean(), (digits, exponent, negative) => {
        const amount = decimalOf(digits, exponent, negative);
        expect(Object.is(unitsOf(amount), unitsOfValue(amount)), amount.toString()).toBe(true);
      }),
      { seed: 20261204, numRuns: 50_000 },
    );
  });

  it("equals the float route on amounts as the ledger books them: settled to 1e-8, around the 1e7 limit", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 15) - 10, max: 10 ** 15 + 10 }), fc.integer({ min: 0, max: 8 }), (units, dropped) => {
        // A whole number of 1e-8 with `dropped` of its last digits zeroed, so every count of decimal places occurs.
        const scaled = Math.trunc(units / 10 ** dropped) * 10 ** dropped + 0; // + 0: no negative zero
        const amount = new Money(`${String(scaled)}e-8`);
        const expected = Math.abs(scaled) < 1e15 ? scaled : Number.NaN;
        expect(Object.is(unitsOf(amount), expected), amount.toString()).toBe(true);
        expect(Object.is(unitsOf(amount), unitsOfValue(amount)), amount.toString()).toBe(true);
      }),
      { seed: 20261205, numRuns: 50_000 },
    );
  });

  it("gives the edge cases the float route gives: zero of either sign, 9 places, 1e7, infinity and NaN", () => {
    const cases = ["0", "-0", "0.00000001", "-0.00000001", "0.000000001", "9999999.99999999", "10000000", "-10000000", "1e7", "123.456", "Infinity", "-Infinity", "NaN"];
    for (const text of cases) {
      const amount = new Money(text);
      expect(Object.is(unitsOf(amount), unitsOfValue(amount)), text).toBe(true);
    }
    expect(unitsOf(new Money("123.456"))).toBe(12_345_600_000);
    expect(unitsOf(new Money("-0.00000001"))).toBe(-1);
    expect(Object.is(unitsOf(new Money("-0")), -0)).toBe(true);
    expect(unitsOf(new Money("0.000000001"))).toBeNaN();
    expect(unitsOf(new Money("10000000"))).toBeNaN();
  });
});
