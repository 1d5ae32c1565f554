import { describe, expect, it } from "vitest";
import { pathsToDecide } from "./paths-to-decide.js";
import { wilsonIntervalOf } from "./wilson-interval.js";

const z95 = 1.959963984540054;

// Whether `limit` lies outside the interval that `paths` paths with proportion p would give.
const clears = (p: number, limit: number, paths: number): boolean => {
  const [low, high] = wilsonIntervalOf(p, paths, z95);
  return limit > high || limit < low;
};

describe("pathsToDecide", () => {
  it("gives 3,838 paths to show p < 0.1 % at 95 % when no liquidation is seen", () => {
    // Upper end with 0 events: z²/(n + z²), z² = 3.841459. Below 0.001 ⇔ n > 3.841459·0.999/0.001 = 3837.62,
    // so n = 3838. By hand: 3.841459/(3838 + 3.841459) = 0.000999906 < 0.001, and
    // 3.841459/(3837 + 3.841459) = 0.001000166 > 0.001.
    expect(pathsToDecide(0, 0.001, z95)).toBe(3838);
    expect(wilsonIntervalOf(0, 3838, z95)[1]).toBeLessThan(0.001);
    expect(wilsonIntervalOf(0, 3837, z95)[1]).toBeGreaterThan(0.001);
  });

  it("gives 2,124 paths for an estimate of 0.2 % against a 0.5 % limit", () => {
    // z²·L(1 − L)/(p − L)² = 3.841459·0.005·0.995/0.003² = 0.019111259/0.000009 = 2123.47 → 2124.
    expect(pathsToDecide(0.002, 0.005, z95)).toBe(2124);
    expect(clears(0.002, 0.005, 2124)).toBe(true);
    expect(clears(0.002, 0.005, 2123)).toBe(false);
  });

  it("is the first n whose interval leaves the limit out, above or below the estimate", () => {
    const cases: [number, number][] = [[0.01, 0.005], [0.3, 0.25], [0.08, 0.1], [0.2, 0.1], [0.0001, 0.5], [0.97, 0.99]];
    for (const [p, limit] of cases) {
      const n = pathsToDecide(p, limit, z95) ?? Number.NaN;
      expect(clears(p, limit, n), `${p} vs ${limit} at ${n}`).toBe(true);
      expect(clears(p, limit, n - 1), `${p} vs ${limit} at ${n - 1}`).toBe(false);
    }
  });

  it("returns null when the estimate sits on the limit", () => {
    expect(pathsToDecide(0.01, 0.01, z95)).toBeNull();
    expect(pathsToDecide(0, 0, z95)).toBeNull();
  });
});
