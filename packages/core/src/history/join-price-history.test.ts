import { describe, expect, it } from "vitest";
import { joinPriceHistory } from "./join-price-history.js";
import { readPriceCsv } from "./read-price-csv.js";

const t0 = 1_704_067_200; // 2024-01-01T00:00Z
const hour = 3600;

/** A price file with a row at each of these hours after t0, priced 100 + the hour (or as given). */
function file(name: string, hours: readonly number[], price: (h: number) => number = (h) => 100 + h): ReturnType<typeof readPriceCsv> {
  return readPriceCsv(`timestamp,price\n${hours.map((h) => `${String(t0 + h * hour)},${String(price(h))}`).join("\n")}\n`, name);
}

describe("joinPriceHistory: several files of one series", () => {
  it("joins in time order, drops and counts duplicates (the first file's row kept), infers the step", () => {
    const history = joinPriceHistory([file("b.csv", [3, 4, 5]), file("a.csv", [0, 1, 2, 3], (h) => (h === 3 ? 999 : 100 + h))]);
    expect(history.rows.map((r) => r.time)).toEqual([0, 1, 2, 3, 4, 5].map((h) => t0 + h * hour));
    // Hour 3 is in both files; b.csv was given first, so its 103 is kept and a.csv's 999 is a differing duplicate.
    expect(history.rows[3]?.close).toBe(103);
    expect(history.rowFiles[3]).toBe("b.csv");
    expect(history.duplicates).toBe(1);
    expect(history.differingDuplicates).toBe(1);
    expect(history.step).toBe(hour);
    expect(history.stepInferred).toBe(true);
    expect(history.gaps).toEqual({ count: 0, missingSteps: 0, largestSeconds: 0, largestAfter: null });
  });

  it("reports gaps (count, missing steps, the largest) and fills them only with --fill previous", () => {
    // Rows at hours 0, 1, 4, 5, 6, 9: gaps after hour 1 (2 missing steps) and after hour 6 (2 missing): the largest
    // is 3 h, the first of the two equal ones kept.
    const hours = [0, 1, 4, 5, 6, 9];
    const reported = joinPriceHistory([file("g.csv", hours)]);
    expect(reported.rows).toHaveLength(6);
    expect(reported.gaps).toEqual({ count: 2, missingSteps: 4, largestSeconds: 3 * hour, largestAfter: t0 + hour });
    expect(reported.filled).toBe(0);
    const filled = joinPriceHistory([file("g.csv", hours)], { fill: "previous" });
    expect(filled.rows.map((r) => r.time)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((h) => t0 + h * hour));
    expect(filled.filled).toBe(4);
    // A filled row is flat at the last close before the gap (hour 1: 101).
    expect(filled.rows[2]).toMatchObject({ open: 101, high: 101, low: 101, close: 101, origin: { path: "filled" } });
    expect(filled.gaps.count).toBe(2);
  });

  it("cuts the range to [from, to)", () => {
    const history = joinPriceHistory([file("r.csv", [0, 1, 2, 3, 4])], { from: t0 + hour, to: t0 + 4 * hour });
    expect(history.rows.map((r) => r.close)).toEqual([101, 102, 103]);
    expect(() => joinPriceHistory([file("r.csv", [0, 1, 2])], { from: t0 + 10 * hour })).toThrow("--from/--to: expected rows in the range, the files cover 2024-01-01T00:00:00Z to 2024-01-01T02:00:00Z");
  });

  it("names the file and line of a row that is not a whole number of steps after the one before", () => {
    // Hourly rows, then one 30 minutes later: line 4 of h.csv (header on line 1).
    const text = `timestamp,price\n${String(t0)},100\n${String(t0 + hour)},101\n${String(t0 + 1.5 * hour)},102\n${String(t0 + 2.5 * hour)},103\n${String(t0 + 3.5 * hour)},104\n`;
    expect(() => joinPriceHistory([readPriceCsv(text, "h.csv")], { step: hour })).toThrow(
      'h.csv: line 4, column 1 (timestamp): expected rows a whole number of steps of 3600 s apart (--step), this row is 1800 s after the previous (2024-01-01T01:00:00Z), got "2024-01-01T01:30:00Z"',
    );
  });

  it("refuses to join bars with prices at points", () => {
    const bars = readPriceCsv(`timestamp,open,high,low,close\n${String(t0)},1,1,1,1\n`, "bars.csv");
    expect(() => joinPriceHistory([file("p.csv", [0, 1]), bars])).toThrow("bars.csv: expected the same kind of rows as p.csv (timestamp,price), got bars");
  });
});
