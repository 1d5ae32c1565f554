import { describe, expect, it } from "vitest";
import { readBinanceKlines } from "./read-binance-klines.js";
import { readHistoryText } from "./read-history-file.js";

// Rows in the shape of Binance's public data dumps (binance/binance-public-data README, "Klines": open time, open,
// high, low, close, volume, close time, quote asset volume, number of trades, taker buy base asset volume, taker buy
// quote asset volume, ignore). The values are made up; the shape is the documented one. 2024-01-01T00:00Z is
// 1,704,067,200 s; a 1 h bar closes 3,599,999 ms after it opens.
const header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";
const msRows = [
  "1704067200000,42283.58,42554.57,42261.02,42475.23,1271.68,1704070799999,53957248.97,47134,682.57,28957416.82,0",
  "1704070800000,42475.23,42775.00,42431.65,42613.56,1196.37,1704074399999,50984325.77,44484,638.73,27219824.22,0",
];
// The spot dumps from 2025 on give open and close times in microseconds.
const usRows = ["1735689600000000,93576.00,94509.42,93489.03,94401.14,1042.66,1735693199999999,98066541.45,154126,529.13,49761549.84,0"];

describe("readBinanceKlines", () => {
  it("reads a headerless dump (milliseconds) and detects it by its 12 columns", () => {
    const text = `${msRows.join("\n")}\n`;
    const read = readHistoryText(text, "BTCUSDT-1h-2024-01.csv");
    expect(read.kind).toBe("price");
    if (read.kind !== "price") return;
    expect(read.file.format).toBe("binance-klines");
    expect(read.file.timestampUnit).toBe("milliseconds");
    expect(read.file.rowKind).toBe("bar");
    expect(read.file.rows.map((r) => [r.time, r.open, r.high, r.low, r.close])).toEqual([
      [1_704_067_200, 42283.58, 42554.57, 42261.02, 42475.23],
      [1_704_070_800, 42475.23, 42775, 42431.65, 42613.56],
    ]);
  });

  it("reads a dump with its header row, and microsecond open times", () => {
    const withHeader = readBinanceKlines(`${header}\n${msRows.join("\n")}\n`, "h.csv");
    expect(withHeader.rows).toHaveLength(2);
    const micro = readHistoryText(`${usRows.join("\n")}\n`, "BTCUSDT-1h-2025-01.csv");
    expect(micro.kind === "price" && micro.file.timestampUnit).toBe("microseconds");
    // 2025-01-01T00:00Z is 1,735,689,600 s.
    expect(micro.kind === "price" && micro.file.rows[0]?.time).toBe(1_735_689_600);
  });

  it("names the line and column of a short row, an unparsable price and a step back in time", () => {
    expect(() => readBinanceKlines("1704067200000,1,2,0.5,1.5,10,1704070799999,0,0,0,0\n", "k.csv")).toThrow(
      "k.csv: line 1, column 12 (ignore): expected the 12 columns of a binance-klines row, the row ends after column 11",
    );
    expect(() => readBinanceKlines(`${header}\n${msRows[0] ?? ""}\n1704070800000,1,2,0.5,x,10,1704074399999,0,0,0,0,0\n`, "k.csv")).toThrow('k.csv: line 3, column 5 (close): expected a positive price, got "x"');
    expect(() => readBinanceKlines(`${msRows[1] ?? ""}\n${msRows[0] ?? ""}\n`, "k.csv")).toThrow("k.csv: line 2, column 1 (open_time): expected rows in time order");
  });
});
