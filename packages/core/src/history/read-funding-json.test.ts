import { describe, expect, it } from "vitest";
import { readHistoryText } from "./read-history-file.js";

// Each venue's funding-history response, saved as the endpoint returns it. The shapes follow each venue's
// documentation page (named on each case); the rates and times are made up. 2024-01-01T00:00Z is 1,704,067,200 s.

function funding(text: string, origin: string) {
  const read = readHistoryText(text, origin);
  if (read.kind !== "funding") throw new Error(`${origin} was read as prices`);
  return read.file;
}

describe("funding history JSON as the venues return it", () => {
  it("Binance GET /fapi/v1/fundingRate: an array of { symbol, fundingRate, fundingTime, markPrice }", () => {
    // developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Get-Funding-Rate-History
    const body = [
      { symbol: "BTCUSDT", fundingRate: "0.00037409", fundingTime: 1704067200000, markPrice: "42313.90000000" },
      { symbol: "BTCUSDT", fundingRate: "-0.00002500", fundingTime: 1704096000000, markPrice: "42701.12000000" },
    ];
    const file = funding(JSON.stringify(body, null, 2), "binance.json");
    expect(file.format).toBe("binance-funding-json");
    expect(file.instrument).toBe("BTCUSDT");
    expect(file.timestampUnit).toBe("milliseconds");
    expect(file.rows.map((r) => [r.time, r.rate, r.intervalHours])).toEqual([[1_704_067_200, 0.00037409, null], [1_704_096_000, -0.000025, null]]);
  });

  it("Bybit GET /v5/market/funding/history: { retCode, retMsg, result: { category, list }, ... }, newest first", () => {
    // bybit-exchange.github.io/docs/v5/market/history-fund-rate
    const body = {
      retCode: 0,
      retMsg: "OK",
      result: { category: "linear", list: [
        { symbol: "BTCUSDT", fundingRate: "0.0001", fundingRateTimestamp: "1704096000000" },
        { symbol: "BTCUSDT", fundingRate: "0.00021", fundingRateTimestamp: "1704067200000" },
      ] },
      retExtInfo: {},
      time: 1704100000000,
    };
    const file = funding(JSON.stringify(body), "bybit.json");
    expect(file.format).toBe("bybit-funding-json");
    expect(file.rows.map((r) => [r.time, r.rate])).toEqual([[1_704_067_200, 0.00021], [1_704_096_000, 0.0001]]);
    expect(file.rows[0]?.origin).toEqual({ path: "$.result.list[1]" });
    expect(() => funding(JSON.stringify({ ...body, retCode: 10001, retMsg: "params error" }), "bybit.json")).toThrow('bybit.json: $.retCode: expected 0 (a successful response; retMsg says "params error"), got 10001');
  });

  it("OKX GET /api/v5/public/funding-rate-history: { code, msg, data: [...] }, realizedRate used", () => {
    // www.okx.com/docs-v5/en/#public-data-rest-api-get-funding-rate-history
    const body = {
      code: "0",
      msg: "",
      data: [
        { instType: "SWAP", instId: "BTC-USDT-SWAP", formulaType: "withRate", fundingRate: "0.0001000000000000", realizedRate: "0.0000987654321000", fundingTime: "1704096000000", method: "current_period" },
        { instType: "SWAP", instId: "BTC-USDT-SWAP", formulaType: "withRate", fundingRate: "0.0002000000000000", realizedRate: "", fundingTime: "1704067200000", method: "current_period" },
      ],
    };
    const file = funding(JSON.stringify(body), "okx.json");
    expect(file.format).toBe("okx-funding-json");
    expect(file.instrument).toBe("BTC-USDT-SWAP");
    // The settled (realized) rate where there is one; the fundingRate where realizedRate is empty.
    expect(file.rows.map((r) => [r.time, r.rate])).toEqual([[1_704_067_200, 0.0002], [1_704_096_000, 0.0000987654321]]);
    expect(() => funding(JSON.stringify({ code: "51001", msg: "Instrument ID does not exist", data: [] }), "okx.json")).toThrow('okx.json: $.code: expected "0"');
  });

  it("Hyperliquid info fundingHistory: an array of { coin, fundingRate, premium, time }, hourly", () => {
    // hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals (historical funding rates)
    const body = [
      { coin: "BTC", fundingRate: "0.0000125", premium: "-0.0003370796", time: 1704067200015 },
      { coin: "BTC", fundingRate: "0.0000110", premium: "-0.0004009853", time: 1704070800002 },
    ];
    const file = funding(JSON.stringify(body), "hl.json");
    expect(file.format).toBe("hyperliquid-funding-json");
    expect(file.instrument).toBe("BTC");
    expect(file.rows.map((r) => [r.time, r.rate, r.intervalHours])).toEqual([[1_704_067_200.015, 0.0000125, 1], [1_704_070_800.002, 0.000011, 1]]);
  });

  it("names the JSON path of a bad value, and the line and column of malformed JSON", () => {
    const bad = [{ symbol: "BTCUSDT", fundingRate: "abc", fundingTime: 1704067200000, markPrice: "1" }];
    expect(() => funding(JSON.stringify(bad), "b.json")).toThrow('b.json: $[0].fundingRate: expected a funding rate (a number, or a numeric string such as "0.0001"), got "abc"');
    const badTime = [{ symbol: "BTCUSDT", fundingRate: "0.0001", fundingTime: 1704067200000, markPrice: "1" }, { symbol: "BTCUSDT", fundingRate: "0.0001", fundingTime: "soon", markPrice: "1" }];
    expect(() => funding(JSON.stringify(badTime), "b.json")).toThrow("b.json: $[1].fundingTime: expected a timestamp in milliseconds like the file's first row");
    // Where the engine's message gives a position (Node 20 gives one for most errors), it is turned into a line and column.
    expect(() => funding('[\n  {"coin": "BTC",\n   }\n]', "m.json")).toThrow(/^m\.json: line 3, column 4: malformed JSON: Expected double-quoted property name/);
    expect(() => funding('{"hello": 1}', "x.json")).toThrow("x.json: $: expected a funding history as a venue returns it");
  });
});
