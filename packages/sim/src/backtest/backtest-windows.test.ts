import { describe, expect, it } from "vitest";
import { basisAtRows, fundingAtRows, windowLayout, type HistoryBars } from "./backtest-windows.js";

/** Hourly rows closing at the given hours (hours after a start), flat at 100. */
function hourly(closeHours: readonly number[]): HistoryBars {
  const n = closeHours.length;
  return {
    closeTime: Float64Array.from(closeHours, (h) => 1_700_000_000 + 3600 * h),
    high: new Float64Array(n).fill(100),
    low: new Float64Array(n).fill(100),
    close: new Float64Array(n).fill(100),
    step: 3600,
  };
}

describe("windowLayout: which rows each window takes", () => {
  it("counts the windows that fit wholly: k = 0 .. floor((R - 1 - H / step) / every)", () => {
    // R = 10 rows, a 2 h horizon (2 rows), one window every 3 h (3 rows): windows open at rows 0, 3, 6 and need
    // rows up to 2, 5, 8; a window at row 9 would need rows 10 and 11. floor((10 - 1 - 2) / 3) + 1 = 3.
    const layout = windowLayout(hourly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 7200, 3 * 3600);
    expect(layout).toMatchObject({ stepsPerWindow: 2, everyRows: 3, count: 3 });
    expect([...layout.kept]).toEqual([0, 1, 2]);
  });

  it("leaves out a window whose rows span a gap, and keeps the others", () => {
    // Hour 4 is missing: row 4 closes at hour 5. Windows every 2 rows over 2 rows: k = 0 (rows 0-2, hours 0-2),
    // k = 1 (rows 2-4, hours 2-5: 3 h, spans the gap), k = 2 (rows 4-6, hours 5-7), k = 3 (rows 6-8, hours 7-9).
    const layout = windowLayout(hourly([0, 1, 2, 3, 5, 6, 7, 8, 9]), 7200, 7200);
    expect(layout.count).toBe(4);
    expect([...layout.kept]).toEqual([0, 2, 3]);
  });

  it("refuses a horizon or an interval that is not a whole number of the history's steps, naming the field", () => {
    const bars = hourly([0, 1, 2, 3, 4, 5]);
    expect(() => windowLayout(bars, 5400, 3600)).toThrow(/^market\.horizon: expected a whole number/);
    expect(() => windowLayout(bars, 3600, 1800)).toThrow(/^--every: expected a whole number/);
    expect(() => windowLayout(bars, 6 * 3600, 3600)).toThrow(/^--history: expected more than 6 rows/);
  });
});

describe("fundingAtRows: the rate in force at each row's close", () => {
  it("takes the latest settlement at or before the close, NaN before the first", () => {
    const bars = hourly([0, 1, 2, 3, 4]);
    const start = 1_700_000_000;
    // Settlements at hour 1 (a few ms late, as venues stamp them) and hour 3.
    const rates = fundingAtRows(bars, { time: Float64Array.of(start + 3600.004, start + 3 * 3600), perEightHours: Float64Array.of(0.0001, -0.0002) });
    expect([...rates]).toEqual([Number.NaN, 0.0001, 0.0001, -0.0002, -0.0002]);
  });
});

describe("basisAtRows: the basis in force at each row's close", () => {
  it("takes the latest value at or before the close (a value between two closes holds from the next), NaN before the first", () => {
    const bars = hourly([0, 1, 2, 3, 4]);
    const start = 1_700_000_000;
    // Values at hour 0.5 (in force from the close at hour 1), exactly at hour 2, and at hour 2.5 (from hour 3),
    // none after: the last holds at hour 4.
    const basis = basisAtRows(bars, { time: Float64Array.of(start + 1800, start + 2 * 3600, start + 2.5 * 3600), basis: Float64Array.of(0.0002, -0.001, 0.003) });
    expect([...basis]).toEqual([Number.NaN, 0.0002, -0.001, 0.003, 0.003]);
  });
});

