import { describe, expect, it } from "vitest";
import { pathStream } from "./path-stream.js";
import { standardisedStudentT } from "./student-t.js";

// P(|T| > x) for Student's t with 5 degrees of freedom, by the closed form for odd nu (Abramowitz & Stegun
// 26.7.3): P(|T| <= x) = (2/pi) [theta + sin(theta) (cos(theta) + (2/3) cos^3(theta))], theta = atan(x / sqrt(5)).
// Independent of the sampler: no gamma or normal variates, only trigonometry.
function studentT5TwoSidedTail(x: number): number {
  const theta = Math.atan(x / Math.sqrt(5));
  const cos = Math.cos(theta);
  return 1 - (2 / Math.PI) * (theta + Math.sin(theta) * (cos + (2 / 3) * cos ** 3));
}

// The sampler's T is scaled by sqrt((nu - 2) / nu) = sqrt(3/5), so |T| > x means |t5| > x / sqrt(3/5).
const unitScale5 = Math.sqrt(3 / 5);

describe("standardisedStudentT: Z / sqrt(chi2 / nu) with Marsaglia-Tsang gamma, unit variance", () => {
  it("has the exact t5 tail used below (cross-check of the closed form against mpmath)", () => {
    // mpmath: betainc(5/2, 1/2, 0, 5/(5 + 15), regularized) = 0.0117248110039546377850595... for x = 3 / sqrt(3/5).
    expect(studentT5TwoSidedTail(3 / unitScale5)).toBeCloseTo(0.011724811003954639, 14);
  });

  it("gives mean 0, variance 1 and the exact tail probabilities over 1e6 draws with nu = 5", () => {
    const n = 1_000_000;
    const stream = pathStream("student-t", 0);
    let sum = 0;
    let sumSquares = 0;
    let beyond1 = 0;
    let beyond3 = 0;
    let beyond5 = 0;
    for (let i = 0; i < n; i++) {
      const t = standardisedStudentT(stream, 5);
      sum += t;
      sumSquares += t * t;
      const size = Math.abs(t);
      if (size > 1) beyond1++;
      if (size > 3) beyond3++;
      if (size > 5) beyond5++;
    }
    const mean = sum / n;
    const variance = (sumSquares - n * mean * mean) / (n - 1);
    // Standard error of the mean: sqrt(1 / n) = 1e-3 (unit variance by construction), so 4 of them = 4e-3.
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    // Var(s^2) ~ (mu4 - sigma^4) / n. For t_nu the kurtosis is 3 + 6 / (nu - 4) = 9 at nu = 5, so with sigma = 1,
    // mu4 = 9 and the standard error is sqrt(8 / n) = 2.83e-3; 4 of them = 1.13e-2. (s^2 is slow to look normal here:
    // its own variance needs the 8th moment, which t5 lacks, so this is a 4-sigma check, not a calibrated test.)
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(8 / n));
    // A frequency with probability p has standard error sqrt(p (1 - p) / n): at |T| > 3, p = 0.01172 and the
    // standard error 1.08e-4 (0.9% of p); at |T| > 5, p = 1.33e-3 and 3.6e-5. Allow 4 of them each.
    for (const [threshold, count] of [[1, beyond1], [3, beyond3], [5, beyond5]] as const) {
      const p = studentT5TwoSidedTail(threshold / unitScale5);
      expect(Math.abs(count / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it("keeps unit variance at a non-integer, near-normal nu = 30.5 over 2e5 draws", () => {
    // Kurtosis 3 + 6 / 26.5 = 3.23, so Var(s^2) ~ 2.23 / n: standard error 3.3e-3 at n = 2e5, 4 of them 1.3e-2.
    const n = 200_000;
    const stream = pathStream("student-t", 1);
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const t = standardisedStudentT(stream, 30.5);
      sum += t;
      sumSquares += t * t;
    }
    const mean = sum / n;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs((sumSquares - n * mean * mean) / (n - 1) - 1)).toBeLessThan(4 * Math.sqrt((2 + 6 / 26.5) / n));
  });

  it("is reproducible from the path stream", () => {
    const a = pathStream("student-t", 7);
    const b = pathStream("student-t", 7);
    for (let i = 0; i < 1000; i++) expect(standardisedStudentT(a, 5)).toBe(standardisedStudentT(b, 5));
  });

  it("rejects degrees of freedom that give no finite unit-variance scaling", () => {
    const stream = pathStream("student-t", 0);
    for (const bad of [2, 1.5, 0, -3, Infinity, Number.NaN]) {
      expect(() => standardisedStudentT(stream, bad)).toThrow(RangeError);
    }
  });
});
