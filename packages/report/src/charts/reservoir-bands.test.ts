import { describe, expect, it } from "vitest";
import { reservoirBands } from "./reservoir-bands.js";

describe("reservoirBands", () => {
  it("gives per-(mode, time) quantiles across paths, skipping undefined values, in mode then time order", () => {
    // Five paths of mode "cross" at t = 60 and 120, two paths of "isolated" at t = 60, in file order (path-major).
    // cross t = 60: 10, 20, 30, 40, 50 (h = 4p): p05 h 0.2 → 12; median 30.
    // cross t = 120: 5, NaN, 1, 3, NaN → valid 1, 3, 5 (h = 2p): p05 h 0.1 → 1.2; median 3; 3 paths defined.
    // isolated t = 60: −1, −3 → sorted −3, −1 (h = p): p05 → −2.9; median −2.
    const N = Number.NaN;
    const rows: [string, number, number][] = [
      ["cross", 60, 10], ["cross", 120, 5], ["isolated", 60, -1],
      ["cross", 60, 20], ["cross", 120, N], ["isolated", 60, -3],
      ["cross", 60, 30], ["cross", 120, 1],
      ["cross", 60, 40], ["cross", 120, 3],
      ["cross", 60, 50], ["cross", 120, N],
    ];
    const values = Float64Array.from(rows, (r) => r[2]);
    const bands = reservoirBands(
      { mode: rows.map((r) => r[0]), t: Float64Array.from(rows, (r) => r[1]), pnl: values, distanceToLiquidation: null },
      values,
      { p05: 0.05, p50: 0.5 },
      ["isolated", "cross"],
    );
    expect(bands.map((b) => [b.mode, b.t, b.paths])).toEqual([["isolated", 60, 2], ["cross", 60, 5], ["cross", 120, 3]]);
    expect(bands[0]?.values["p05"]).toBeCloseTo(-2.9, 12);
    expect(bands[0]?.values["p50"]).toBe(-2);
    expect(bands[1]?.values["p05"]).toBeCloseTo(12, 12);
    expect(bands[1]?.values["p50"]).toBe(30);
    expect(bands[2]?.values["p05"]).toBeCloseTo(1.2, 12);
    expect(bands[2]?.values["p50"]).toBe(3);
  });

  it("thins a long horizon to at most 360 times, keeping the last", () => {
    // 1,000 steps of one path: stride ⌈1000/360⌉ = 3, so times 3, 6, ..., 999 (333 of them) and the last, 1000.
    const t = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    const bands = reservoirBands({ mode: Array.from(t, () => "cross"), t, pnl: t, distanceToLiquidation: null }, t, { p50: 0.5 }, ["cross"]);
    expect(bands).toHaveLength(334);
    expect(bands[0]?.t).toBe(3);
    expect(bands.at(-1)?.t).toBe(1000);
  });
});
