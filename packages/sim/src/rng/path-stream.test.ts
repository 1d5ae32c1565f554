import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { AleaStream, pathStream, type UniformStream } from "./path-stream.js";

function take(stream: UniformStream, count: number): number[] {
  const draws: number[] = [];
  for (let i = 0; i < count; i++) draws.push(stream.next());
  return draws;
}

describe("pathStream: one alea generator per path", () => {
  it("gives the identical sequence for the same seed and path index", () => {
    expect(take(pathStream("run-42", 17), 1000)).toEqual(take(pathStream("run-42", 17), 1000));
  });

  it("is alea keyed `mstress:${seed}:${pathIndex}` read through double(), pinned to literal first draws", () => {
    // The literals were printed once from seedrandom 3.0.5; if they change, every stored result changes with them.
    expect(take(pathStream("golden", 0), 3)).toEqual([0.18969808208568517, 0.8466798343943476, 0.1936388126486024]);
    expect(take(pathStream("golden", 1), 3)).toEqual([0.5840560446203061, 0.023308684211505892, 0.7562785144786045]);
    const reference = seedrandom.alea("mstress:golden:123456");
    expect(take(pathStream("golden", 123456), 100)).toEqual(Array.from({ length: 100 }, () => reference.double()));
  });

  it("differs between path indices and between seeds", () => {
    const base = take(pathStream("run-42", 0), 100);
    expect(take(pathStream("run-42", 1), 100)).not.toEqual(base);
    expect(take(pathStream("run-43", 0), 100)).not.toEqual(base);
    // Keys that share a prefix must not collide: the index is always the digits after the last colon.
    expect(take(pathStream("run-4", 20), 100)).not.toEqual(take(pathStream("run-42", 0), 100));
  });

  it("draws in the open interval (0, 1) with mean 1/2 and variance 1/12 over 1e6 draws", () => {
    const n = 1_000_000;
    const stream = pathStream("moments", 0);
    let sum = 0;
    let sumSquares = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = stream.next();
      if (!(u > 0 && u < 1 && Number.isFinite(Math.log(u)))) outside++;
      sum += u;
      sumSquares += u * u;
    }
    const mean = sum / n;
    const variance = (sumSquares - n * mean * mean) / (n - 1);
    expect(outside).toBe(0);
    // Standard error of the mean: sqrt(sigma^2 / n) = sqrt(1/12 / 1e6) = 2.89e-4; 4 of them = 1.15e-3.
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    // Var(s^2) ~ (mu4 - sigma^4) / n with mu4 = 1/80 for U(0, 1): (1/80 - 1/144) / n = 1/(180 n),
    // so the standard error is 7.45e-5 and 4 of them 2.98e-4.
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n));
  });

  it("gives uncorrelated first draws on neighbouring path indices", () => {
    // The per-path design relies on nearby keys giving unrelated streams. Sample correlation of independent
    // pairs has standard error 1/sqrt(n) = 3.2e-3 for n = 1e5; allow 4 of them.
    const n = 100_000;
    let previous = pathStream("neighbours", 0).next();
    let sumX = 0;
    let sumY = 0;
    let sumXX = 0;
    let sumYY = 0;
    let sumXY = 0;
    for (let i = 1; i <= n; i++) {
      const current = pathStream("neighbours", i).next();
      sumX += previous;
      sumY += current;
      sumXX += previous * previous;
      sumYY += current * current;
      sumXY += previous * current;
      previous = current;
    }
    const covariance = sumXY / n - (sumX / n) * (sumY / n);
    const correlation = covariance / Math.sqrt((sumXX / n - (sumX / n) ** 2) * (sumYY / n - (sumY / n) ** 2));
    expect(Math.abs(correlation)).toBeLessThan(4 / Math.sqrt(n));
  });

  it("rejects a path index that is not a non-negative safe integer", () => {
    for (const bad of [-1, 1.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(() => pathStream("s", bad)).toThrow(RangeError);
    }
    expect(() => pathStream("s", -1)).toThrow(/pathIndex must be a non-negative safe integer, got -1/);
    expect(() => pathStream("s", Number.MAX_SAFE_INTEGER)).not.toThrow();
  });

  it("maps an exact 0 from alea, which a real seed shows with probability 2^-53, to 2^-54", () => {
    // The stream is our own alea now, so the zero is forced through its state: with s0 = s1 = 0 and no carry both
    // outputs of the next double() are exactly 0 (2091639 x 0 + 0), which must come out as 2^-54. `at` at the
    // batch's end (256) makes next() refill from that state.
    const stream = new AleaStream().reseed("any");
    Object.assign(stream, { s0: 0, s1: 0, s2: 0, c: 0, at: 256 });
    expect(stream.next()).toBe(2 ** -54);
  });
});
