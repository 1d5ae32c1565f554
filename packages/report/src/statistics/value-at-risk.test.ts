import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectedShortfall, valueAtRisk } from "./value-at-risk.js";

describe("valueAtRisk and expectedShortfall", () => {
  // 20 paths, PnL −50, −40, ..., 140 (step 10), so x(1) = −50, x(2) = −40.
  const twenty = Float64Array.from({ length: 20 }, (_, i) => 140 - 10 * i);

  it("at 95 % over 20 paths: VaR interpolates, ES is the single worst path", () => {
    // VaR: α = 0.05, h = 19·0.05 = 0.95 → Q = −50 + 0.95·10 = −40.5 → VaR 40.5 (R: -quantile(x, 0.05)).
    // ES: nα = 1 exactly, so the mean of the 1 worst path: 50.
    expect(valueAtRisk(twenty, 0.95)).toBeCloseTo(40.5, 10);
    expect(expectedShortfall(twenty, 0.95)).toBe(50);
  });

  it("at 99 % over 20 paths: nα = 0.2 < 1, so ES is the worst path", () => {
    // VaR: h = 19·0.01 = 0.19 → −50 + 1.9 = −48.1 → 48.1. ES: k = 0, −(0.2·(−50))/0.2 = 50.
    expect(valueAtRisk(twenty, 0.99)).toBeCloseTo(48.1, 10);
    expect(expectedShortfall(twenty, 0.99)).toBe(50);
  });

  it("weights the boundary path by its fraction of the tail (Acerbi & Tasche on the empirical distribution)", () => {
    // Sorted: −100, −40, −10, 0, 5, 10, 20, 30, 50, 80 (n = 10), given shuffled.
    // level 0.85: α = 0.15, nα = 1.5, k = 1 → ES = −(−100 + 0.5·(−40)) / 1.5 = 120 / 1.5 = 80.
    //   VaR: h = 9·0.15 = 1.35 → −40 + 0.35·(−10 − (−40)) = −40 + 10.5 = −29.5 → 29.5.
    // level 0.8: α = 0.2, nα = 2 (snapped: 10·(1 − 0.8) = 1.9999999999999996) → ES = (100 + 40)/2 = 70.
    //   VaR: h = 9·0.2 = 1.8 → −40 + 0.8·30 = −16 → 16.
    const pnl = Float64Array.of(20, -10, 80, -100, 5, 50, 0, -40, 30, 10);
    expect(expectedShortfall(pnl, 0.85)).toBeCloseTo(80, 10);
    expect(valueAtRisk(pnl, 0.85)).toBeCloseTo(29.5, 10);
    expect(expectedShortfall(pnl, 0.8)).toBe(70);
    expect(valueAtRisk(pnl, 0.8)).toBeCloseTo(16, 10);
    expect(Array.from(pnl)).toEqual([20, -10, 80, -100, 5, 50, 0, -40, 30, 10]);
  });

  it("is negative when even the tail is a profit", () => {
    // [10, 20, 30] at 50 %: VaR = −Q(0.5) = −20; ES: nα = 1.5 → −(10 + 0.5·20)/1.5 = −13.33...
    const pnl = Float64Array.of(30, 10, 20);
    expect(valueAtRisk(pnl, 0.5)).toBe(-20);
    expect(expectedShortfall(pnl, 0.5)).toBeCloseTo(-40 / 3, 12);
  });

  it("reports 0, not −0, for a flat zero PnL", () => {
    const flat = new Float64Array(8);
    expect(Object.is(valueAtRisk(flat, 0.95), 0)).toBe(true);
    expect(Object.is(expectedShortfall(flat, 0.95), 0)).toBe(true);
  });

  it("rejects levels outside (0, 1), empty samples and NaN", () => {
    expect(() => valueAtRisk(twenty, 1)).toThrow(RangeError);
    expect(() => valueAtRisk(twenty, 0)).toThrow(RangeError);
    expect(() => expectedShortfall(twenty, Number.NaN)).toThrow(RangeError);
    expect(() => expectedShortfall(new Float64Array(0), 0.95)).toThrow(RangeError);
    expect(() => valueAtRisk(new Float64Array(0), 0.95)).toThrow(RangeError);
    expect(() => expectedShortfall(Float64Array.of(1, Number.NaN), 0.95)).toThrow(RangeError);
  });

  it("ES >= VaR, and ES grows with the level (property)", () => {
    // ES averages a tail mass α that lies at or below the type-7 quantile, so it cannot be the smaller loss;
    // the slack covers float rounding of sums of values up to 1e6.
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        fc.double({ min: 0.5, max: 0.999, noNaN: true }),
        (values, a, b) => {
          const pnl = Float64Array.from(values);
          const [low, high] = a <= b ? [a, b] : [b, a];
          const slack = 1e-6;
          expect(expectedShortfall(pnl, low)).toBeGreaterThanOrEqual(valueAtRisk(pnl, low) - slack);
          expect(expectedShortfall(pnl, high)).toBeGreaterThanOrEqual(expectedShortfall(pnl, low) - slack);
        },
      ),
      { numRuns: 300, seed: 9_599 },
    );
  });
});
