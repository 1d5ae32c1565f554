import { describe, expect, it } from "vitest";
import { kolmogorovSmirnovUniform, kolmogorovSurvival, movesBeyond, normalQuantilePoints, squaredReturnAutocorrelation } from "./goodness-of-fit.js";

describe("goodness-of-fit statistics", () => {
  it("Kolmogorov's limit law at its published critical values", () => {
    // Tabulated asymptotic critical values of sqrt(n) D (e.g. Massey 1951, Table 1, n > 35): 1.36 at 5 %, 1.63 at
    // 1 %, 1.22 at 10 %. Q is continuous and steep there, so the tabulated two decimals give p to about 1e-3.
    expect(kolmogorovSurvival(1.358)).toBeCloseTo(0.05, 3);
    expect(kolmogorovSurvival(1.628)).toBeCloseTo(0.01, 3);
    expect(kolmogorovSurvival(1.224)).toBeCloseTo(0.1, 3);
    expect(kolmogorovSurvival(0.1)).toBe(1);
  });

  it("D of a small sample by hand, and uniform PITs are not rejected", () => {
    // Sorted u = 0.1, 0.4, 0.8: max(1/3 - 0.1, 2/3 - 0.4, 1 - 0.8, 0.1 - 0, 0.4 - 1/3, 0.8 - 2/3)
    // = max(0.2333, 0.2667, 0.2, 0.1, 0.0667, 0.1333) = 2/3 - 0.4 = 0.26667.
    expect(kolmogorovSmirnovUniform(Float64Array.from([0.8, Number.NaN, 0.1, 0.4])).statistic).toBeCloseTo(0.26666667, 8);
    // Evenly spread PITs (i + 0.5) / n have D = 0.5 / n: p is 1.
    const even = Float64Array.from({ length: 1000 }, (_, i) => (i + 0.5) / 1000);
    const ks = kolmogorovSmirnovUniform(even);
    expect(ks.statistic).toBeCloseTo(0.0005, 10);
    expect(ks.pValue).toBe(1);
    // All PITs squeezed into [0, 0.5): D = 0.5, an unmistakable misfit.
    expect(kolmogorovSmirnovUniform(Float64Array.from({ length: 1000 }, (_, i) => i / 2000)).pValue).toBeLessThan(1e-100);
  });

  it("counts moves beyond a simple-return threshold, both ways", () => {
    // ln(1.05) = 0.04879, ln(0.95) = -0.05129: 0.049 and -0.052 count, 0.048 and -0.051 do not.
    expect(movesBeyond(Float64Array.from([0.049, -0.052, 0.048, -0.051, Number.NaN]), 0.05)).toBe(2);
  });

  it("autocorrelation of squared returns: -1 half a period apart, +1 a whole period apart", () => {
    // Squares of (1, -1, 3, -3, 1, -1, 3, -3, ...) after demeaning: 1, 1, 9, 9, ...: lag 2 is -1 (1 <-> 9), lag 4 is +1 (less the end effect).
    const returns = Float64Array.from({ length: 4000 }, (_, i) => [1, -1, 3, -3][i % 4] ?? 0);
    const acf = squaredReturnAutocorrelation(returns, 4);
    expect(acf[1]).toBeCloseTo(-1, 2);
    expect(acf[3]).toBeCloseTo(1, 2);
  });

  it("QQ points keep both tails in full and are the identity for evenly spread PITs", () => {
    const even = Float64Array.from({ length: 5000 }, (_, i) => (i + 0.5) / 5000);
    const points = normalQuantilePoints(even, 100, 20);
    expect(points.length).toBeGreaterThanOrEqual(100);
    for (const p of points) expect(p.observed).toBeCloseTo(p.theoretical, 10);
  });
});
