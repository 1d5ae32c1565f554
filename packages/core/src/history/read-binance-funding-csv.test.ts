import { describe, expect, it } from "vitest";
import { readHistoryText } from "./read-history-file.js";
import { readBinanceFundingCsv } from "./read-binance-funding-csv.js";

// Binance's public-data funding dump (`<SYMBOL>-fundingRate-<YYYY>-<MM>.zip`): a header row
// `calc_time,funding_interval_hours,last_funding_rate`, then one row per settlement, calc_time in milliseconds.
// Made-up rates in that shape; 2024-01-01T00:00Z is 1,704,067,200 s, settlements every 8 h, a few ms late as the
// venue stamps them.
const text = "calc_time,funding_interval_hours,last_funding_rate\n1704067200000,8,0.00037409\n1704096000003,8,0.00027807\n1704124800000,8,-0.00001250\n";

describe("readBinanceFundingCsv", () => {
  it("reads the dump's three columns and is detected by its header", () => {
    const read = readHistoryText(text, "BTCUSDT-fundingRate-2024-01.csv");
    expect(read.kind).toBe("funding");
    if (read.kind !== "funding") return;
    expect(read.file.format).toBe("binance-funding-csv");
    expect(read.file.timestampUnit).toBe("milliseconds");
    expect(read.file.rows.map((r) => [r.time, r.intervalHours, r.rate])).toEqual([
      [1_704_067_200, 8, 0.00037409],
      [1_704_096_000.003, 8, 0.00027807],
      [1_704_124_800, 8, -0.0000125],
    ]);
  });

  it("names file, line and column of a bad cell", () => {
    expect(() => readBinanceFundingCsv("calc_time,funding_interval_hours,last_funding_rate\n1704067200000,8,0.0001\n1704096000000,0,0.0001\n", "f.csv")).toThrow(
      'f.csv: line 3, column 2 (funding_interval_hours): expected a positive number of hours, got "0"',
    );
    expect(() => readBinanceFundingCsv("calc_time,funding_interval_hours,last_funding_rate\n1704067200000,8,n/a\n", "f.csv")).toThrow(
      'f.csv: line 2, column 3 (last_funding_rate): expected a rate (a number such as 0.0001), got a 3-character cell that is not a number, time or name (not shown)',
    );
    expect(() => readBinanceFundingCsv("calc_time,funding_interval_hours,last_funding_rate\n", "f.csv")).toThrow("f.csv: line 1: expected rows of calc_time,funding_interval_hours,last_funding_rate, found no data rows");
  });
});
