import { describe, expect, it } from "vitest";
import { pathStream } from "./path-stream.js";
import { poissonCount } from "./poisson-count.js";

describe("poissonCount: Poisson by inversion, sequential search", () => {
  it("returns the least k with u <= F(k), exactly at the CDF's steps", () => {
    const mean = 0.3;
    // F(0) = exp(-m) and F(1) = exp(-m) (1 + m), formed with the same float operations as the search. Both lie in
    // [0.5, 1), where doubles are 2^-53 apart, so F + 2^-53 is the next double above F.
    const f0 = Math.exp(-mean);
    const f1 = f0 + f0 * (mean / 1);
    expect(poissonCount(f0 / 2, mean)).toBe(0);
    expect(poissonCount(f0, mean)).toBe(0);
    expect(poissonCount(f0 + 2 ** -53, mean)).toBe(1);
    expect(poissonCount(f1, mean)).toBe(1);
    expect(poissonCount(f1 + 2 ** -53, mean)).toBe(2);
  });

  it("gives 0 for mean 0 however close u is to 1", () => {
    expect(poissonCount(1 - 2 ** -53, 0)).toBe(0);
  });

  it("stops where the float CDF stops growing instead of running to the backstop", () => {
    // For m = 0.0182 the float sum of the terms settles at 1 - 2^-52, below the largest uniform 1 - 2^-53. The
    // term for k = 8 (e^-m m^8 / 8! = 3e-19) no longer changes the sum, so the search ends at 8; the exact quantile
    // is 7, since P(N > 7) = 2.9e-19 <= 2^-53 < P(N > 6) = 1.3e-16. Without the stop it would return 64.
    expect(poissonCount(1 - 2 ** -53, 0.0182)).toBe(8);
    expect(poissonCount(1 - 2 ** -53, 10)).toBeLessThan(64);
  });

  it("has P(N = 0) = exp(-m) and mean and variance m over 1e6 draws with m = 0.3", () => {
    const n = 1_000_000;
    const mean = 0.3;
    const stream = pathStream("poisson", 0);
    let sum = 0;
    let sumSquares = 0;
    let zeros = 0;
    for (let i = 0; i < n; i++) {
      const k = poissonCount(stream.next(), mean);
      sum += k;
      sumSquares += k * k;
      if (k === 0) zeros++;
    }
    const sampleMean = sum / n;
    const sampleVariance = (sumSquares - n * sampleMean * sampleMean) / (n - 1);
    const p0 = Math.exp(-mean);
    // Binomial standard error sqrt(p0 (1 - p0) / n) = 4.4e-4; 4 of them = 1.75e-3.
    expect(Math.abs(zeros / n - p0)).toBeLessThan(4 * Math.sqrt((p0 * (1 - p0)) / n));
    // Standard error of the mean sqrt(m / n) = 5.5e-4; 4 of them = 2.2e-3.
    expect(Math.abs(sampleMean - mean)).toBeLessThan(4 * Math.sqrt(mean / n));
    // Var(s^2) ~ (mu4 - sigma^4) / n with the Poisson central moment mu4 = m + 3 m^2, i.e. (m + 2 m^2) / n:
    // standard error 6.9e-4; 4 of them = 2.8e-3.
    expect(Math.abs(sampleVariance - mean)).toBeLessThan(4 * Math.sqrt((mean + 2 * mean * mean) / n));
  });

  it("keeps mean and variance m for a larger mean, m = 4, over 2e5 draws", () => {
    // Standard errors sqrt(m / n) = 4.5e-3 for the mean and sqrt((m + 2 m^2) / n) = 1.3e-2 for the variance.
    const n = 200_000;
    const mean = 4;
    const stream = pathStream("poisson", 1);
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const k = poissonCount(stream.next(), mean);
      sum += k;
      sumSquares += k * k;
    }
    const sampleMean = sum / n;
    expect(Math.abs(sampleMean - mean)).toBeLessThan(4 * Math.sqrt(mean / n));
    expect(Math.abs((sumSquares - n * sampleMean * sampleMean) / (n - 1) - mean)).toBeLessThan(4 * Math.sqrt((mean + 2 * mean * mean) / n));
  });

  it("rejects u outside (0, 1) and means outside [0, 10]", () => {
    for (const bad of [0, 1, -0.5, Number.NaN]) expect(() => poissonCount(bad, 0.3)).toThrow(RangeError);
    for (const bad of [-0.1, 10.5, Infinity, Number.NaN]) expect(() => poissonCount(0.5, bad)).toThrow(RangeError);
    expect(poissonCount(0.5, 10)).toBe(10);
  });
});
