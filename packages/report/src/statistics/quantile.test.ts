import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quantileSorted, sortedCopy } from "./quantile.js";

describe("quantileSorted (Hyndman & Fan type 7)", () => {
  it("matches R's quantile(c(3, 1, 4, 1, 5), ...) worked by hand", () => {
    // Sorted: 1, 1, 3, 4, 5 (n = 5, h = 4p, 0-based).
    // p = 0: h = 0 → 1. p = 0.1: h = 0.4 → 1 + 0.4·(1 − 1) = 1. p = 0.25: h = 1 → 1.
    // p = 0.5: h = 2 → 3. p = 0.9: h = 3.6 → 4 + 0.6·(5 − 4) = 4.6. p = 1: h = 4 → 5.
    const sorted = sortedCopy(Float64Array.of(3, 1, 4, 1, 5));
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 0.1)).toBe(1);
    expect(quantileSorted(sorted, 0.25)).toBe(1);
    expect(quantileSorted(sorted, 0.5)).toBe(3);
    expect(quantileSorted(sorted, 0.9)).toBeCloseTo(4.6, 12);
    expect(quantileSorted(sorted, 1)).toBe(5);
  });

  it("interpolates linearly between two values and averages an even count at the median", () => {
    // [10, 20]: h = p, so p = 0.3 → 10 + 0.3·10 = 13; p = 0.5 → 15.
    const sorted = Float64Array.of(10, 20);
    expect(quantileSorted(sorted, 0.3)).toBeCloseTo(13, 12);
    expect(quantileSorted(sorted, 0.5)).toBe(15);
  });

  it("returns the only value of a one-element sample for every p", () => {
    const sorted = Float64Array.of(-7);
    for (const p of [0, 0.01, 0.5, 0.99, 1]) expect(quantileSorted(sorted, p)).toBe(-7);
  });

  it("rejects an empty sample, p outside [0, 1] and NaN values", () => {
    expect(() => quantileSorted(new Float64Array(0), 0.5)).toThrow(RangeError);
    expect(() => quantileSorted(Float64Array.of(1), -0.01)).toThrow(RangeError);
    expect(() => quantileSorted(Float64Array.of(1), 1.01)).toThrow(RangeError);
    expect(() => quantileSorted(Float64Array.of(1), Number.NaN)).toThrow(RangeError);
    expect(() => quantileSorted(sortedCopy(Float64Array.of(2, Number.NaN, 1)), 0.5)).toThrow(RangeError);
  });

  it("is the minimum at 0, the maximum at 1, and non-decreasing in p (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const sorted = sortedCopy(Float64Array.from(values));
          expect(quantileSorted(sorted, 0)).toBe(Math.min(...values));
          expect(quantileSorted(sorted, 1)).toBe(Math.max(...values));
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(quantileSorted(sorted, low)).toBeLessThanOrEqual(quantileSorted(sorted, high));
        },
      ),
      { numRuns: 300, seed: 7_301 },
    );
  });
});

describe("sortedCopy", () => {
  it("sorts a copy numerically, −0 before +0 and NaN last, leaving the input in path order", () => {
    const values = Float64Array.of(10, Number.NaN, 0, -0, -2, 9);
    const sorted = sortedCopy(values);
    expect(Array.from(sorted)).toEqual([-2, -0, 0, 9, 10, Number.NaN]);
    expect(Object.is(sorted[1], -0)).toBe(true);
    expect(Array.from(values)).toEqual([10, Number.NaN, 0, -0, -2, 9]);
  });
});
