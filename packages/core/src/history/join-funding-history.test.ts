import { describe, expect, it } from "vitest";
import { joinFundingHistory } from "./join-funding-history.js";
import { readBinanceFundingCsv } from "./read-binance-funding-csv.js";
import { readHistoryText } from "./read-history-file.js";

const t0 = 1_704_067_200_000; // 2024-01-01T00:00Z in ms
const eight = 8 * 3600_000;

function dump(name: string, settlements: readonly number[]): ReturnType<typeof readBinanceFundingCsv> {
  return readBinanceFundingCsv(`calc_time,funding_interval_hours,last_funding_rate\n${settlements.map((k) => `${String(t0 + k * eight)},8,0.0001`).join("\n")}\n`, name);
}

describe("joinFundingHistory", () => {
  it("joins monthly dumps in time order, counts the duplicate and the gap, takes the interval from the file", () => {
    const history = joinFundingHistory([dump("feb.csv", [5, 6, 9]), dump("jan.csv", [0, 1, 2, 3, 4, 5])]);
    expect(history.settlements.map((s) => (s.time * 1000 - t0) / eight)).toEqual([0, 1, 2, 3, 4, 5, 6, 9]);
    expect(history.duplicates).toBe(1);
    expect(history.differingDuplicates).toBe(0);
    // 6 -> 9 is a 24 h spacing against 8 h settlements: one gap missing two settlements.
    expect(history.gaps).toEqual({ count: 1, missingSteps: 2, largestSeconds: 24 * 3600, largestAfter: (t0 + 6 * eight) / 1000 });
    expect(history.intervalHours).toBe(8);
    expect(history.intervalInferred).toBe(false);
  });

  it("infers the interval from the spacing when the venue's JSON does not state it", () => {
    const body = [0, 1, 2, 3].map((k) => ({ symbol: "BTCUSDT", fundingRate: "0.0001", fundingTime: t0 + k * eight + 2, markPrice: "1" }));
    const read = readHistoryText(JSON.stringify(body), "b.json");
    if (read.kind !== "funding") throw new Error("expected funding");
    const history = joinFundingHistory([read.file]);
    expect(history.intervalHours).toBe(8);
    expect(history.intervalInferred).toBe(true);
    expect(history.settlements.every((s) => s.intervalHours === 8)).toBe(true);
    expect(history.instrument).toBe("BTCUSDT");
  });
});
