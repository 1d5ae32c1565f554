import { describe, expect, it } from "vitest";
import { readBasisCsv } from "./read-basis-csv.js";
import { readBasisText } from "./read-basis-text.js";

// 1,704,067,200 s is 2024-01-01T00:00:00Z (date -u -d @1704067200).
const t0 = 1_704_067_200;

describe("readBasisCsv: timestamp,basis", () => {
  it("reads a header's basis column by name, in seconds, negative values included", () => {
    const file = readBasisText("timestamp,mark,basis\n1704067200,60012,0.0002\n1704070800,59988,-0.0002\n", "b.csv");
    expect(file.format).toBe("basis-csv");
    expect(file.timestampUnit).toBe("seconds");
    expect(file.rows.map((r) => [r.time, r.basis])).toEqual([[t0, 0.0002], [t0 + 3600, -0.0002]]);
  });

  it("reads a headerless file by its second column, timestamps in milliseconds or ISO-8601 (UTC without an offset)", () => {
    expect(readBasisCsv("1704067200000,0.0001\n1704070800000,0.0003\n", "ms.csv").rows.map((r) => r.time)).toEqual([t0, t0 + 3600]);
    const iso = readBasisCsv("2024-01-01T00:00:00Z,0.0001\n2024-01-01 01:00:00,-0.5\n", "iso.csv");
    expect(iso.timestampUnit).toBe("iso-8601");
    expect(iso.rows.map((r) => [r.time, r.basis])).toEqual([[t0, 0.0001], [t0 + 3600, -0.5]]);
  });

  it("drops and counts a repeated time", () => {
    const file = readBasisCsv("timestamp,basis\n1704067200,0.0001\n1704067200,0.0009\n1704070800,0.0002\n", "dup.csv");
    expect(file.rows.map((r) => r.basis)).toEqual([0.0001, 0.0002]);
    expect(file.duplicates).toBe(1);
  });

  it("refuses a price given as a basis, a cell that is not a number, a missing basis column and rows out of order, naming line and column", () => {
    // A timestamp,price file given to --basis: 42,000 is not a fraction of the index.
    expect(() => readBasisCsv("timestamp,basis\n1704067200,42000\n", "p.csv")).toThrow('p.csv: line 2, column 2 (basis): expected a basis as a fraction of the index (mark / index - 1) between -1 and 1, got "42000"');
    expect(() => readBasisCsv("1704067200,0.0001\n1704070800,-1\n", "m.csv")).toThrow('m.csv: line 2, column 2 (basis): expected a basis as a fraction of the index (mark / index - 1) between -1 and 1, got "-1"');
    expect(() => readBasisCsv("timestamp,basis\n1704067200,abc\n", "x.csv")).toThrow('x.csv: line 2, column 2 (basis): expected a basis');
    expect(() => readBasisCsv("timestamp,price\n1704067200,0.1\n", "h.csv")).toThrow('h.csv: line 1, column 2 (price): expected a header naming a basis column (timestamp,basis), got "timestamp,price"');
    expect(() => readBasisCsv("1704070800,0.0001\n1704067200,0.0002\n", "o.csv")).toThrow("o.csv: line 2, column 1 (timestamp): expected rows in time order");
    expect(() => readBasisCsv("timestamp,basis\n", "e.csv")).toThrow("e.csv: line 1: expected rows of timestamp,basis, found no data rows (an empty file)");
    expect(() => readBasisText('[{"basis":0.1}]', "j.json")).toThrow("j.json: line 1: expected a basis CSV");
  });
});
