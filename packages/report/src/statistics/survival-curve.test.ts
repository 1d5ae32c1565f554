import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { survivalCurve } from "./survival-curve.js";

describe("survivalCurve", () => {
  it("counts the paths still alive at each grid time, hand-counted", () => {
    // 6 paths liquidated at NaN (survived), 30, 10, NaN, 10, 60 s. Liquidated by t (T <= t):
    // t = 0: 0 → 6/6; 5: 0 → 1; 10: 2 (both at 10) → 4/6; 20: 2 → 4/6; 30: 3 → 3/6; 59.9: 3 → 3/6;
    // 60: 4 → 2/6; 100: 4 → 2/6 (the two NaN paths survive to the horizon).
    const liquidatedAt = Float64Array.of(Number.NaN, 30, 10, Number.NaN, 10, 60);
    const curve = survivalCurve(liquidatedAt, [0, 5, 10, 20, 30, 59.9, 60, 100]);
    expect(curve).toEqual([
      { t: 0, survival: 1 },
      { t: 5, survival: 1 },
      { t: 10, survival: 4 / 6 },
      { t: 20, survival: 4 / 6 },
      { t: 30, survival: 3 / 6 },
      { t: 59.9, survival: 3 / 6 },
      { t: 60, survival: 2 / 6 },
      { t: 100, survival: 2 / 6 },
    ]);
  });

  it("does not count a path closed at the open as surviving t = 0", () => {
    // 4 paths, one liquidated at 0: S(0) = 3/4.
    expect(survivalCurve(Float64Array.of(0, Number.NaN, Number.NaN, Number.NaN), [0])).toEqual([{ t: 0, survival: 0.75 }]);
  });

  it("is 1 everywhere when no path is liquidated, and follows the grid's order", () => {
    const none = new Float64Array(3).fill(Number.NaN);
    expect(survivalCurve(none, [0, 50, 100]).map((point) => point.survival)).toEqual([1, 1, 1]);
    const times = Float64Array.of(5, Number.NaN);
    expect(survivalCurve(times, [10, 0])).toEqual([{ t: 10, survival: 0.5 }, { t: 0, survival: 1 }]);
  });

  it("rejects no paths, negative or infinite times and non-finite grid times", () => {
    expect(() => survivalCurve(new Float64Array(0), [0])).toThrow(RangeError);
    expect(() => survivalCurve(Float64Array.of(-1), [0])).toThrow(RangeError);
    expect(() => survivalCurve(Float64Array.of(Number.POSITIVE_INFINITY), [0])).toThrow(RangeError);
    expect(() => survivalCurve(Float64Array.of(1), [Number.NaN])).toThrow(RangeError);
  });

  it("equals a direct count at every grid time and never rises along an ascending grid (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.double({ min: 0, max: 1_000, noNaN: true }), { nil: Number.NaN }), { minLength: 1, maxLength: 80 }),
        fc.array(fc.double({ min: 0, max: 1_000, noNaN: true }), { maxLength: 20 }),
        (times, grid) => {
          const ascending = [...grid].sort((a, b) => a - b);
          const curve = survivalCurve(Float64Array.from(times), ascending);
          let previous = 1;
          for (const { t, survival } of curve) {
            const alive = times.filter((time) => Number.isNaN(time) || time > t).length;
            expect(survival).toBe(alive / times.length);
            expect(survival).toBeLessThanOrEqual(previous);
            previous = survival;
          }
        },
      ),
      { numRuns: 300, seed: 1_958 },
    );
  });
});
