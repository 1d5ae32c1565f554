import seedrandom from "seedrandom";
import { standardNormalQuantile } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { expectedShortfallInterval } from "./expected-shortfall-interval.js";
import { meanInterval } from "./mean-interval.js";
import { quantileInterval } from "./quantile-interval.js";
import { ratioOfMeansInterval } from "./ratio-of-means-interval.js";
import { sortedCopy } from "./quantile.js";
import { expectedShortfall, valueAtRisk } from "./value-at-risk.js";

// Hand-computed examples of each interval, then its coverage on samples from a known distribution (fixed seed):
// over R replications a 95 % interval should cover the truth in 95 % of them, within 4 binomial standard errors
// sqrt(0.95 x 0.05 / R) (a false failure about once in 30,000 seeds), less any small-sample bias stated per test.

const z95 = standardNormalQuantile(0.975);

/** `count` samples of `size` values from the distribution with inverse CDF `inverse`, from one fixed seed. */
function samples(count: number, size: number, inverse: (u: number) => number, seed: number): Float64Array[] {
  const random = seedrandom.alea(`intervals:${seed}`);
  // double() lies in [0, 1); 0 (probability 2^-53) is moved inside so every inverse is finite.
  const uniform = (): number => random.double() || 2 ** -54;
  return Array.from({ length: count }, () => Float64Array.from({ length: size }, () => inverse(uniform())));
}

function coverage(intervals: readonly (readonly [number, number] | null)[], truth: number): number {
  return intervals.filter((i) => i !== null && i[0] <= truth && truth <= i[1]).length / intervals.length;
}

describe("meanInterval", () => {
  it("is x̄ ± z s / √n: [1, 2, 3, 4, 5] gives 3 ± 1.96 x 1.58114 / 2.23607 = 3 ± 1.38593", () => {
    const [low, high] = meanInterval(Float64Array.of(1, 2, 3, 4, 5), 1.96) ?? [Number.NaN, Number.NaN];
    expect(low).toBeCloseTo(1.614071, 5);
    expect(high).toBeCloseTo(4.385929, 5);
    expect(meanInterval(Float64Array.of(7), 1.96)).toBeNull();
  });

  it("covers the mean of an exponential(1) in 95 % of 2,000 samples of 400 (tolerance 4 SE = 0.0195)", () => {
    const intervals = samples(2000, 400, (u) => -Math.log(1 - u), 11).map((s) => meanInterval(s, z95));
    expect(Math.abs(coverage(intervals, 1) - 0.95)).toBeLessThan(0.0195);
  });
});

describe("quantileInterval (order statistics)", () => {
  it("brackets the median of 1..100 by ranks ⌊50 - 1.96 x 5⌋ = 40 and ⌈50 + 9.8⌉ = 60", () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantileInterval(sorted, 0.5, 1.96)).toEqual([40, 60]);
    // The 5 % quantile: 5 ± 1.96 x √4.75 = 5 ± 4.27, ranks 1 and 10.
    expect(quantileInterval(sorted, 0.05, 1.96)).toEqual([1, 10]);
  });

  it("covers the 5 % quantile of a normal in at least 95 % of 2,000 samples of 400, and not much more (the ranks are rounded outwards)", () => {
    const intervals = samples(2000, 400, standardNormalQuantile, 12).map((s) => quantileInterval(sortedCopy(s), 0.05, z95));
    const covered = coverage(intervals, standardNormalQuantile(0.05));
    expect(covered).toBeGreaterThan(0.95 - 0.0195);
    expect(covered).toBeLessThan(0.985);
  });
});

describe("expectedShortfallInterval", () => {
  it("on PnL -100..-1 at 95 %: ES 98, VaR 95.05, tail variance 2.5, Var = (2.5 + 0.95 x 2.95²) / 5 = 2.153475", () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i - 100);
    const es = expectedShortfall(sorted, 0.95);
    const vaR = valueAtRisk(sorted, 0.95);
    expect(es).toBeCloseTo(98, 9);
    expect(vaR).toBeCloseTo(95.05, 9);
    const [low, high] = expectedShortfallInterval(sorted, 0.95, vaR, es, 1.96) ?? [Number.NaN, Number.NaN];
    expect(high - es).toBeCloseTo(1.96 * Math.sqrt(2.153475), 6);
    expect(es - low).toBeCloseTo(1.96 * Math.sqrt(2.153475), 6);
  });

  it("is null when the tail holds a single path", () => {
    expect(expectedShortfallInterval(Float64Array.of(-5, 1, 2), 0.95, 5, 5, 1.96)).toBeNull();
  });

  it("covers a normal's 95 % ES (phi(1.645) / 0.05 = 2.0627) in about 95 % of 1,000 samples of 2,000 (4 SE = 0.028, and the asymptotic interval is a little short at 100 tail paths)", () => {
    const truth = Math.exp(-0.5 * standardNormalQuantile(0.95) ** 2) / Math.sqrt(2 * Math.PI) / 0.05;
    const intervals = samples(1000, 2000, standardNormalQuantile, 13).map((s) => {
      const sorted = sortedCopy(s);
      return expectedShortfallInterval(sorted, 0.95, valueAtRisk(sorted, 0.95), expectedShortfall(sorted, 0.95), z95);
    });
    const covered = coverage(intervals, truth);
    expect(covered).toBeGreaterThan(0.95 - 0.028 - 0.02);
    expect(covered).toBeLessThan(0.95 + 0.028);
  });
});

describe("ratioOfMeansInterval (delta method)", () => {
  it("with a constant denominator is the numerator's mean interval divided by it: x = 1..4 over 2, z = 2: 1.25 ± 0.6455", () => {
    const [low, high] = ratioOfMeansInterval(Float64Array.of(1, 2, 3, 4), Float64Array.of(2, 2, 2, 2), 2) ?? [Number.NaN, Number.NaN];
    expect(low).toBeCloseTo(1.25 - Math.sqrt(5 / 3) / 2, 9);
    expect(high).toBeCloseTo(1.25 + Math.sqrt(5 / 3) / 2, 9);
  });

  it("covers E[x] / E[y] for y correlated with x in about 95 % of 2,000 samples of 500", () => {
    // x ~ exponential(1), y = 2 + x / 2: E[x] / E[y] = 1 / 2.5 = 0.4.
    const intervals = samples(2000, 500, (u) => -Math.log(1 - u), 14).map((x) => ratioOfMeansInterval(x, x.map((v) => 2 + v / 2), z95));
    expect(Math.abs(coverage(intervals, 0.4) - 0.95)).toBeLessThan(0.0195);
  });
});
