import { describe, expect, it } from "vitest";
import { wilsonInterval } from "./wilson-interval.js";

describe("wilsonInterval", () => {
  it("matches the hand-computed 95 % interval for 0 events in 2,000 trials", () => {
    // p = 0, z^2 = 3.841459; centre = (z^2/4000) / (1 + z^2/2000) = 0.000960365 / 1.00192073 = 0.000958524;
    // half = (z / 1.00192073) * sqrt(z^2 / (4 * 2000^2)) = 1.956205 * 0.000489990 = 0.000958521.
    const [low, high] = wilsonInterval(0, 2000);
    expect(low).toBe(0);
    expect(high).toBeCloseTo(0.001917, 6);
  });

  it("matches the hand-computed interval for 10 events in 100 trials", () => {
    // p = 0.1, n = 100: centre = (0.1 + 0.0192073) / 1.0384146 = 0.114797;
    // half = (1.959964 / 1.0384146) * sqrt(0.0009 + 0.0000960365) = 1.887458 * 0.0315600 = 0.0595681.
    const [low, high] = wilsonInterval(10, 100);
    expect(low).toBeCloseTo(0.055229, 5);
    expect(high).toBeCloseTo(0.174365, 5);
  });

  it("ends exactly at 1 when every trial is an event", () => {
    expect(wilsonInterval(2000, 2000)[1]).toBe(1);
    expect(wilsonInterval(2000, 2000)[0]).toBeCloseTo(1 - 0.001917, 6);
  });

  it("rejects impossible counts", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
  });
});
