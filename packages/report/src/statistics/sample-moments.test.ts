import { describe, expect, it } from "vitest";
import { sampleMoments } from "./sample-moments.js";

describe("sampleMoments (Welford)", () => {
  it("matches the hand-computed mean and sample variance", () => {
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32; variance 32/7.
    const moments = sampleMoments(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9));
    expect(moments.count).toBe(8);
    expect(moments.mean).toBe(5);
    expect(moments.variance).toBeCloseTo(32 / 7, 12);
    expect(moments.stdDev).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it("keeps the spread of values sitting on a large offset", () => {
    // 1e9 + (4, 7, 13, 16): deviations −6, −3, 3, 6 from 1e9 + 10; variance (36+9+9+36)/3 = 30. The textbook
    // Σx² − n·mean² loses it to cancellation (Σx² ≈ 4e18, beyond 2^53).
    const moments = sampleMoments(Float64Array.of(1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16));
    expect(moments.mean).toBe(1e9 + 10);
    expect(moments.variance).toBeCloseTo(30, 9);
  });

  it("has no variance for one value and rejects empty or non-finite input", () => {
    expect(sampleMoments(Float64Array.of(3))).toEqual({ count: 1, mean: 3, variance: null, stdDev: null });
    expect(() => sampleMoments(new Float64Array(0))).toThrow(RangeError);
    expect(() => sampleMoments(Float64Array.of(1, Number.NaN))).toThrow(RangeError);
    expect(() => sampleMoments(Float64Array.of(Number.POSITIVE_INFINITY))).toThrow(RangeError);
  });
});
