import { standardNormalQuantile } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { pathStream } from "./path-stream.js";

describe("normal draws from a path stream", () => {
  it("turns 1e6 stream uniforms into draws with mean 0 and variance 1", () => {
    const n = 1_000_000;
    const stream = pathStream("normal-moments", 0);
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const z = standardNormalQuantile(stream.next());
      sum += z;
      sumSquares += z * z;
    }
    const mean = sum / n;
    const variance = (sumSquares - n * mean * mean) / (n - 1);
    // Standard error of the mean: 1/sqrt(n) = 1e-3, so 4 of them = 4e-3.
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    // Var(s^2) ~ (mu4 - sigma^4) / n = (3 - 1) / n for a normal: standard error sqrt(2e-6) = 1.41e-3, 4 of them 5.7e-3.
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
});
