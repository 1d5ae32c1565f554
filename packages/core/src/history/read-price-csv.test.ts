import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readPriceCsv } from "./read-price-csv.js";

const hour = 3600;

describe("readPriceCsv: generic timestamp,price and OHLC files", () => {
  it("reads timestamp,price in seconds, with and without a header, and says so", () => {
    for (const text of ["timestamp,price\n1700000000,100\n1700003600,101.5\n", "1700000000,100\n1700003600,101.5\n"]) {
      const file = readPriceCsv(text, "p.csv");
      expect(file.format).toBe("price-csv");
      expect(file.rowKind).toBe("point");
      expect(file.timestampUnit).toBe("seconds");
      expect(file.rows.map((r) => [r.time, r.close])).toEqual([[1_700_000_000, 100], [1_700_000_000 + hour, 101.5]]);
    }
  });

  it("detects milliseconds and ISO-8601 per file (an ISO time without an offset is UTC)", () => {
    const ms = readPriceCsv("time,price\n1700000000000,100\n1700003600000,101\n", "ms.csv");
    expect(ms.timestampUnit).toBe("milliseconds");
    expect(ms.rows[1]?.time).toBe(1_700_003_600);
    const iso = readPriceCsv("time,price\n2023-11-14T22:13:20Z,100\n2023-11-14 23:13:20,101\n2023-11-15T00:13:20+00:00,102\n", "iso.csv");
    expect(iso.timestampUnit).toBe("iso-8601");
    // 1,700,000,000 s is 2023-11-14T22:13:20Z (date -u -d @1700000000).
    expect(iso.rows.map((r) => r.time)).toEqual([1_700_000_000, 1_700_003_600, 1_700_007_200]);
  });

  it("reads bars by header name in any order, ignoring other columns, and counts bars whose range misses open or close", () => {
    const text = "timestamp,close,open,volume,low,high\n1700000000,101,100,5,99,102\n1700003600,100,101,6,100.5,101.5\n";
    const file = readPriceCsv(text, "bars.csv");
    expect(file.format).toBe("ohlc-csv");
    expect(file.rowKind).toBe("bar");
    expect(file.rows[0]).toMatchObject({ open: 100, high: 102, low: 99, close: 101 });
    // The second bar's low 100.5 is above its close 100: kept as the source has it, counted.
    expect(file.unbracketedBars).toEqual({ count: 1, first: { line: 3 } });
  });

  it("reads the shipped BTC history: 48,024 hourly bars in seconds, one bar whose high is below its open", () => {
    const text = readFileSync(new URL("../../../../scenarios/data/btc-usd-1h-2019-2025.csv", import.meta.url), "utf8");
    const file = readPriceCsv(text, "btc.csv");
    expect(file.format).toBe("ohlc-csv");
    expect(file.timestampUnit).toBe("seconds");
    expect(file.rows).toHaveLength(48_024);
    expect(file.rows[0]).toMatchObject({ time: 1_574_247_600, open: 8073.27, high: 8109.55, low: 8064.8, close: 8098.82 });
    expect(file.rows[48_023]?.time).toBe(1_747_130_400);
    // 2021-01-04 05:00 UTC (1609736400): open 33287.7 above its high 33128.82, on line 9,860 (header + 9,858 rows before).
    expect(file.unbracketedBars).toEqual({ count: 1, first: { line: 9860 } });
    expect(file.duplicates).toBe(0);
  });

  it("drops and counts a repeated time; skips comments and blank lines", () => {
    const file = readPriceCsv("# a comment\ntimestamp,price\n\n1700000000,100\n1700000000,100\n1700003600,101\n", "d.csv");
    expect(file.rows).toHaveLength(2);
    expect(file.duplicates).toBe(1);
  });

  it.each([
    ["timestamp,price\n1700000000,100\n1700003600,abc\n", "d.csv: line 3, column 2 (price): expected a positive price, got \"abc\""],
    ["timestamp,price\n1700000000,100\n1700003600,0\n", "d.csv: line 3, column 2 (price): expected a positive price, got \"0\""],
    ["timestamp,price\n1700000000,100\n1700003600,-5\n", "d.csv: line 3, column 2 (price): expected a positive price, got \"-5\""],
    ["timestamp,price\n1700003600,100\n1700000000,101\n", "d.csv: line 3, column 1 (timestamp): expected rows in time order, after the previous row's 2023-11-14T23:13:20Z (this is 2023-11-14T22:13:20Z), got \"1700000000\""],
    ["timestamp,price\n1700000000,100\n1700003600000,101\n", "d.csv: line 3, column 1 (timestamp): expected a timestamp in seconds like the file's first row, got \"1700003600000\""],
    ["timestamp,price\n2023-11-14T22:13:20Z,100\nyesterday,101\n", "d.csv: line 3, column 1 (timestamp): expected an ISO-8601 date-time like the file's first row, got \"yesterday\""],
    ["timestamp,open,high,low,close\n1700000000,100,99,101,100\n", "d.csv: line 2, column 3 (high): expected a high at least the row's low (101), got \"99\""],
    ["timestamp,open,high,low,close\n1700000000,100,101,99\n", "d.csv: line 2, column 5 (close): expected a value, the row ends after column 4"],
    ["", "d.csv: line 1: expected rows of timestamp,price, found no data rows (an empty file)"],
    ["timestamp,price\n", "d.csv: line 1: expected rows of timestamp,price, found no data rows (an empty file)"],
    ["time,value\n1700000000,100\n", "d.csv: line 1, column 2 (value): expected a header naming a price column (price or close) or the bar columns open, high, low and close, got \"time,value\""],
    // A path pointed at the wrong file: its content is described, never quoted into a log.
    ["root:x:0:0:root:/root:/bin/bash\n", "d.csv: line 1, column 2 (): expected a header naming a price column (price or close) or the bar columns open, high, low and close, got a line that is not a CSV header of numbers, times or names (not shown)"],
    ["timestamp,price\n1700000000,/bin/sh\n", "d.csv: line 2, column 2 (price): expected a positive price, got a 7-character cell that is not a number, time or name (not shown)"],
  ])("bad data is one line naming file, line and column: %j", (text, message) => {
    expect(() => readPriceCsv(text, "d.csv")).toThrow(message);
  });
});
