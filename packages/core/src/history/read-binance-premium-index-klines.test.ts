import { describe, expect, it } from "vitest";
import { readBasisText } from "./read-basis-text.js";
import { readBinancePremiumIndexKlines } from "./read-binance-premium-index-klines.js";

// Fixture in the layout of Binance's USD-M futures "Premium index Kline Data" (GET /fapi/v1/premiumIndexKlines,
// developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Premium-Index-Kline-Data):
// open time, open, high, low, close, ignore, close time, ignore, count, ignore, ignore, ignore; the values are the
// premium as a fraction of the index, negative in the page's own example. The data site dumps it per month as
// futures/um/monthly/premiumIndexKlines/<SYMBOL>/<interval>/<SYMBOL>-<interval>-<YYYY>-<MM>.zip (the path
// binance/binance-public-data's download-futures-premiumIndexKlines.py builds), a CSV of these rows with the klines'
// header row. The values below are made up; the shape is the documented one. A 1 h bar opening at
// 1,704,067,200,000 ms (2024-01-01T00:00Z) closes at 1,704,070,799,999 ms, 1 ms before its end at 01:00.
const header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore";
const rows = [
  "1704067200000,-0.00012000,0.00031000,-0.00040000,0.00021000,0,1704070799999,0,720,0,0,0",
  "1704070800000,0.00021000,0.00052000,-0.00008000,-0.00035000,0,1704074399999,0,720,0,0,0",
];
const t0 = 1_704_067_200;

describe("readBinancePremiumIndexKlines", () => {
  it("reads a headerless dump, detected by a kline's 12 columns, each bar's close in force from its end", () => {
    const file = readBasisText(`${rows.join("\n")}\n`, "BTCUSDT-1h-2024-01.csv");
    expect(file.format).toBe("binance-premium-index-klines");
    expect(file.timestampUnit).toBe("milliseconds");
    // Bar ends: open + round(close - open) = t0 + round(3,599.999) = t0 + 3,600 s, and t0 + 7,200 s.
    expect(file.rows.map((r) => [r.time, r.basis])).toEqual([[t0 + 3600, 0.00021], [t0 + 7200, -0.00035]]);
  });

  it("reads the dump with its header row", () => {
    const file = readBasisText(`${header}\n${rows.join("\n")}\n`, "h.csv");
    expect(file.format).toBe("binance-premium-index-klines");
    expect(file.rows.map((r) => r.origin)).toEqual([{ line: 2 }, { line: 3 }]);
  });

  it("names the line and column of a short row, a value out of range and a close time before the open", () => {
    expect(() => readBinancePremiumIndexKlines("1704067200000,0,0,0,0,0,1704070799999,0,0,0,0\n", "k.csv")).toThrow(
      "k.csv: line 1, column 12 (ignore): expected the 12 columns of a binance-premium-index-klines row, the row ends after column 11",
    );
    // A price kline given to --basis: its open 42,283.58 is not a fraction of the index.
    expect(() => readBinancePremiumIndexKlines("1704067200000,42283.58,42554.57,42261.02,42475.23,1271.68,1704070799999,53957248.97,47134,682.57,28957416.82,0\n", "p.csv")).toThrow(
      'p.csv: line 1, column 2 (open): expected a basis as a fraction of the index (mark / index - 1) between -1 and 1, got "42283.58"',
    );
    expect(() => readBinancePremiumIndexKlines(`${header}\n1704067200000,0,0,0,0,0,1704067199999,0,0,0,0,0\n`, "c.csv")).toThrow('c.csv: line 2, column 7 (close_time): expected a close time at least a second after the open time, got "1704067199999"');
  });
});
