import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalQuantile } from "./normal-quantile.js";

describe("normalQuantile (AS 241)", () => {
  it("matches R's qnorm to ~1e-15 across the three approximation regions", () => {
    // qnorm(p) in R; the two tail values also checked by bisecting Φ(x) = erfc(−x/√2)/2 in double precision.
    const cases: readonly (readonly [number, number])[] = [
      [0.5, 0],
      [0.9, 1.2815515655446004], // central region, |p − 0.5| <= 0.425
      [0.975, 1.959963984540054], // intermediate, sqrt(−log(1 − p)) <= 5
      [0.995, 2.5758293035489004],
      [0.025, -1.959963984540054],
      [1e-10, -6.361340902404056], // intermediate
      [1e-300, -37.0470962993612], // far tail, r > 5
    ];
    for (const [p, z] of cases) expect(normalQuantile(p)).toBeCloseTo(z, 13);
  });

  it("is antisymmetric about 1/2 (property)", () => {
    fc.assert(
      // For q in [0.5, 1), 1 − q is exact (Sterbenz), so both sides see the same tail mass.
      fc.property(fc.double({ min: 0.5, max: 1 - 1e-12, noNaN: true }), (q) => {
        expect(normalQuantile(q)).toBeCloseTo(-normalQuantile(1 - q), 12);
      }),
      { numRuns: 200, seed: 241 },
    );
  });

  it("rejects p outside (0, 1)", () => {
    for (const p of [0, 1, -0.1, 1.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
  });
});
