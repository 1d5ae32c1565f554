import { Decimal } from "decimal.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Money, priceAtTick } from "./money.js";

// priceAtTick takes a float shortcut away from half-tick ties; it must book exactly what the decimal route books.
const exactAtTick = (price: number, tick: number): Decimal => new Money(price).toNearest(new Money(tick), Decimal.ROUND_HALF_EVEN);

describe("priceAtTick", () => {
  it("equals the exact decimal rounding to the tick for any price (property, fixed seed)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.0001, max: 2_000_000, noNaN: true }), fc.constantFrom(0.1, 0.01, 1, 0.5, 0.001, 0.0001), (price, tick) => {
        expect(priceAtTick(price, tick).toString()).toBe(exactAtTick(price, tick).toString());
      }),
      { seed: 20261122, numRuns: 20_000 },
    );
  });

  it("rounds exact half ticks to even, as the decimal route does", () => {
    // 60000.05 and 60000.15 are not exact in binary; 0.25 and 0.75 ticks of 0.5 are.
    for (const price of [60000.25, 60000.75, 1.5, 2.5, 60000.05, 60000.15]) {
      expect(priceAtTick(price, 0.5).toString()).toBe(exactAtTick(price, 0.5).toString());
      expect(priceAtTick(price, 0.1).toString()).toBe(exactAtTick(price, 0.1).toString());
    }
    expect(priceAtTick(2.5, 1).toString()).toBe("2");
    expect(priceAtTick(3.5, 1).toString()).toBe("4");
  });
});
