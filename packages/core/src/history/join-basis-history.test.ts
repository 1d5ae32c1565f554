import { describe, expect, it } from "vitest";
import { joinBasisHistory } from "./join-basis-history.js";
import { readBasisCsv } from "./read-basis-csv.js";

const t0 = 1_704_067_200; // 2024-01-01T00:00Z
const hour = 3600;

function file(name: string, hours: readonly number[], basis: (h: number) => number): ReturnType<typeof readBasisCsv> {
  return readBasisCsv(`timestamp,basis\n${hours.map((h) => `${String(t0 + h * hour)},${String(basis(h))}`).join("\n")}\n`, name);
}

describe("joinBasisHistory", () => {
  it("joins files in time order, counts duplicates (and those that differ) and the gap, never fills", () => {
    const january = file("jan.csv", [0, 1, 2, 3], (h) => h / 10_000);
    // February repeats hour 3 with another value and hour 2 with the same; hours 4 and 5 are missing.
    const february = file("feb.csv", [2, 3, 6, 7], (h) => (h === 3 ? -0.0003 : h / 10_000));
    const history = joinBasisHistory([january, february]);
    expect(history.values.map((v) => [(v.time - t0) / hour, v.basis, v.file])).toEqual([
      [0, 0, "jan.csv"],
      [1, 0.0001, "jan.csv"],
      [2, 0.0002, "jan.csv"],
      [3, 0.0003, "jan.csv"],
      [6, 0.0006, "feb.csv"],
      [7, 0.0007, "feb.csv"],
    ]);
    expect(history.duplicates).toBe(2);
    expect(history.differingDuplicates).toBe(1);
    expect(history.stepSeconds).toBe(hour);
    // 3 -> 6 is 3 h against a 1 h step: one gap, missing two values.
    expect(history.gaps).toEqual({ count: 1, missingSteps: 2, largestSeconds: 3 * hour, largestAfter: t0 + 3 * hour });
  });

  it("cuts to [from, to) and needs two values", () => {
    const one = file("one.csv", [0, 1, 2, 3], () => 0.0001);
    expect(joinBasisHistory([one], { to: t0 + 2 * hour }).values).toHaveLength(2);
    expect(() => joinBasisHistory([one], { from: t0 + 3 * hour })).toThrow("--basis: expected at least 2 basis values in the range --from/--to, got 1");
  });
});
