import { describe, expect, it } from "vitest";
import { wilsonIntervalOf } from "../statistics/wilson-interval.js";
import { effectiveWindowCount, summariseBacktestMode, worstWindows } from "./backtest-summary.js";
import type { BacktestRow } from "./backtest-table.js";

const day = 86_400;

/** Window k opening k days after 2020-01-01, 30 days long, with the given PnL and liquidation. */
function row(k: number, pnl: number, liquidatedAfter: number | null = null, loss = 0): BacktestRow {
  const openedAt = 1_577_836_800 + k * day;
  return {
    window: k,
    mode: "cross",
    openedAt,
    closesAt: openedAt + 30 * day,
    openPrice: 7000,
    closePrice: 7000,
    quantityScale: 60000 / 7000,
    liquidated: liquidatedAfter !== null,
    liquidatedAt: liquidatedAfter === null ? null : openedAt + liquidatedAfter,
    liquidationPrice: liquidatedAfter === null ? null : 8100,
    hedgeBroken: liquidatedAfter !== null,
    hedgeBrokenAt: liquidatedAfter === null ? null : openedAt + liquidatedAfter,
    loss,
    pnl,
    fundingReceived: 0,
    tradingFees: 0,
    liquidationFees: 0,
    capitalEmployed: 10_000,
    minDistanceToLiquidation: null,
    actions: 0,
  };
}

describe("effectiveWindowCount: what overlapping windows are worth", () => {
  it("is the number of non-overlapping windows: 1 + (N - 1) x every / horizon, at most N", () => {
    // 1,971 daily windows of 30 days: 1 + 1,970 / 30 = 66.67 (the shipped history's count).
    expect(effectiveWindowCount(1971, day, 30 * day)).toBeCloseTo(66.6667, 4);
    // Windows a horizon apart do not overlap: all of them count.
    expect(effectiveWindowCount(4, 7200, 7200)).toBe(4);
    // Windows further apart than a horizon: still N, never more.
    expect(effectiveWindowCount(10, 60 * day, 30 * day)).toBe(10);
    expect(effectiveWindowCount(1, day, 30 * day)).toBe(1);
  });
});

describe("worstWindows: distinct episodes, worst first", () => {
  it("skips a window that overlaps one already listed", () => {
    // Daily 30-day windows: 0 (-100), 1 (-500), 2 (-400), 40 (-300), 45 (-200), 80 (+50). Worst is 1; 2 and 0
    // overlap it; 40 does not; 45 overlaps 40 (opens 5 days after it); 80 overlaps neither.
    const rows = [row(0, -100), row(1, -500), row(2, -400), row(40, -300), row(45, -200), row(80, 50)];
    expect(worstWindows(rows).map((w) => w.window)).toEqual([1, 40, 80]);
  });

  it("keeps windows that only touch (one closes as the next opens) and breaks ties by the earlier window", () => {
    const rows = [row(60, -10), row(0, -10), row(30, -20)];
    expect(worstWindows(rows).map((w) => w.window)).toEqual([30, 0, 60]);
  });
});

describe("summariseBacktestMode", () => {
  it("gives the frequencies on the effective count, the PnL and the APR as a run defines them", () => {
    // Four daily 30-day windows, one liquidated after 2 days losing 10,000 (PnL -9,000); PnLs -9,000, 100, 200,
    // 300: mean -2,100. n_eff = 1 + 3 / 30 = 1.1. APR on the 10,000 reserved: -2,100 / 10,000 x 365 / 30 = -2.555.
    const rows = [row(0, -9000, 2 * day, 10_000), row(1, 100), row(2, 200), row(3, 300)];
    const summary = summariseBacktestMode(rows, { everySeconds: day, horizonSeconds: 30 * day });
    expect(summary.windows).toBe(4);
    expect(summary.liquidatedWindows).toBe(1);
    expect(summary.liquidationFrequency).toBe(0.25);
    expect(summary.effectiveWindows).toBeCloseTo(1.1, 12);
    expect(summary.liquidationFrequencyCi).toEqual(wilsonIntervalOf(0.25, 1 + 3 / 30));
    expect(summary.hedgeBrokenFrequency).toBe(0.25);
    expect(summary.pnl.mean).toBe(-2100);
    expect(summary.pnl.min).toBe(-9000);
    // Hyndman-Fan 7: the median of 4 sorted values is halfway between the 2nd and 3rd, (100 + 200) / 2.
    expect(summary.pnl.p50).toBe(150);
    expect(summary.aprOnCapital).toBeCloseTo(-2.555, 12);
    expect(summary.lossGivenLiquidation).toEqual({ mean: 10_000, max: 10_000 });
    expect(summary.medianTimeToLiquidation).toBe(2 * day);
    expect(summary.worstWindows[0]).toMatchObject({ window: 0, liquidated: true, liquidatedAt: "2020-01-03T00:00:00Z", liquidationPrice: 8100, loss: 10_000, pnl: -9000 });
    expect(summary.modelCheck).toBeNull();
  });
});
