import { describe, expect, it } from "vitest";
import { standardNormalQuantile } from "./standard-normal-quantile.js";

// Reference quantiles solved to 25 digits with mpmath (findroot on log ncdf(z) = log u, 60-digit working
// precision), written as the nearest double. They cover all three of AS 241's regions: |u - 0.5| <= 0.425,
// r = sqrt(-log min(u, 1 - u)) <= 5, and r > 5 (u < 1.4e-11), down to the smallest uniform the stream emits.
const quantiles: readonly (readonly [u: number, z: number])[] = [
  [0.5, 0],
  [0.9, 1.2815515655446006], // 1.281551565544600593487448
  [0.975, 1.959963984540054], // 1.959963984540053855604431
  [0.001, -3.0902323061678136], // -3.090232306167813535358005
  [1e-10, -6.361340902404056], // -6.361340902404056199100397
  [1e-12, -7.034483825301132], // -7.034483825301131932614176
  [2 ** -54, -8.292361075813595], // -8.292361075813595538234152
  [1e-300, -37.0470962993612], // -37.04709629936119923654704
];

describe("standardNormalQuantile: Wichura's AS 241 (PPND16)", () => {
  it("matches quantiles computed to 25 digits within a few ulps", () => {
    // AS 241 claims about 1e-16 relative accuracy; in float64 arithmetic we measured at most 7.3e-16 against
    // mpmath over u = 10^-300..10^-1 and k/1000, so 2e-15 (about 9 ulps) leaves room without hiding a wrong digit.
    for (const [u, z] of quantiles) {
      expect(Math.abs(standardNormalQuantile(u) - z)).toBeLessThanOrEqual(2e-15 * Math.abs(z));
    }
  });

  it("is antisymmetric: standardNormalQuantile(1 - u) = -standardNormalQuantile(u)", () => {
    // For u = 2^-k, 1 - u is exact and both sides run the same arithmetic on min(u, 1 - u), so equality is exact.
    for (let k = 2; k <= 53; k++) {
      const u = 2 ** -k;
      expect(standardNormalQuantile(1 - u)).toBe(-standardNormalQuantile(u));
    }
    // For u = k/1000, rounding 1 - u moves it by at most 2^-54 and dz/du = 1/phi(z) <= 1/phi(3.09) = 297 there,
    // so the two sides may differ by up to 3.3e-14; 1e-12 is a safe bound that still catches a wrong branch.
    for (let k = 1; k < 1000; k++) {
      const u = k / 1000;
      expect(Math.abs(standardNormalQuantile(1 - u) + standardNormalQuantile(u))).toBeLessThan(1e-12);
    }
  });

  it("is non-decreasing across the branch boundaries and finite at the stream's extremes", () => {
    // The three rational approximations meet at |u - 0.5| = 0.425 and at u = exp(-25); a wrong coefficient
    // usually shows as a step there. A fine grid with extra points packed around both joins checks order.
    const grid: number[] = [];
    for (let i = 1; i < 100_000; i++) grid.push(i / 100_000);
    for (const join of [0.075, Math.exp(-25)]) {
      for (let i = -1000; i <= 1000; i++) {
        const u = join * (1 + i * 1e-12);
        grid.push(u, 1 - u);
      }
    }
    grid.sort((a, b) => a - b);
    let previous = -Infinity;
    const descents: number[] = [];
    for (const u of grid) {
      const z = standardNormalQuantile(u);
      if (z < previous) descents.push(u);
      previous = z;
    }
    expect(descents).toEqual([]);
    expect(standardNormalQuantile(2 ** -54)).toBeCloseTo(-8.292361075813595, 12);
    expect(standardNormalQuantile(1 - 2 ** -53)).toBeCloseTo(8.209536151601387, 12);
  });

  it("rejects u outside the open interval (0, 1)", () => {
    for (const bad of [0, 1, -0.1, 1.1, Number.NaN]) {
      expect(() => standardNormalQuantile(bad)).toThrow(RangeError);
    }
  });
});
