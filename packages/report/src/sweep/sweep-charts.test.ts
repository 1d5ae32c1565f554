import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import { modeSummaryWith, pnlWithMean } from "../summary/mode-summary-filler.test-support.js";
import type { ModeSummary } from "../summary/summarise-mode.js";
import { frontierChart, liquidationGridChart } from "./sweep-charts.js";
import { leastCapital, type LiquidationLevel } from "./least-capital.js";
import { isMarketParameter, sweepRows, type SweepPointSummary } from "./sweep-table.js";

// Only the fields the sweep table reads are meaningful; the rest of a ModeSummary is filler.
function summary(liquidationProbability: number, aprOnCapital: number | null, capital = 3_000): ModeSummary {
  return modeSummaryWith({
    paths: 100,
    liquidations: Math.round(liquidationProbability * 100),
    liquidationProbability,
    liquidationProbabilityCi: [Math.max(0, liquidationProbability - 0.05), Math.min(1, liquidationProbability + 0.05)],
    hedgeBrokenProbabilityCi: [0, 0.037],
    pnl: pnlWithMean(10),
    capitalEmployed: { mean: capital, max: capital },
    aprOnCapital,
  });
}

// Isolated at four points: (liquidation probability, APR) = (0.9, 0.5) and (0.5, 0.2) at vol 0.4, (0.5, 0.3) and
// (0.2, 0.1) at vol 0.8. vol is a market parameter, so each vol has its own frontier. By hand: at vol 0.4,
// (0.9, 0.5) and (0.5, 0.2) trade safety for return, both on it; at vol 0.8 likewise (0.5, 0.3) and (0.2, 0.1).
// Pooled across vols, (0.5, 0.3) would wrongly beat (0.5, 0.2): a calmer market is not a better choice. Cross:
// (0.3, 0.2) is alone at vol 0.4; (0.1, null) has no APR and is never on it.
const points: SweepPointSummary[] = [
  { point: 0, values: [{ name: "isolatedMargin", value: 1_000 }, { name: "vol", value: 0.4 }], modes: { isolated: summary(0.9, 0.5), cross: summary(0.3, 0.2) } },
  { point: 1, values: [{ name: "isolatedMargin", value: 1_000 }, { name: "vol", value: 0.8 }], modes: { isolated: summary(0.5, 0.3), cross: summary(0.1, null, 0) } },
  { point: 2, values: [{ name: "isolatedMargin", value: 3_000 }, { name: "vol", value: 0.4 }], modes: { isolated: summary(0.5, 0.2) } },
  { point: 3, values: [{ name: "isolatedMargin", value: 3_000 }, { name: "vol", value: 0.8 }], modes: { isolated: summary(0.2, 0.1) } },
];

describe("sweepRows", () => {
  it("marks each mode's capital-efficiency frontier: the points no other point beats on both safety and return", () => {
    const rows = sweepRows(points);
    const frontier = rows.filter((r) => r.onFrontier).map((r) => `${r.mode}:${String(r.point)}`);
    expect(frontier).toEqual(["isolated:0", "cross:0", "isolated:1", "isolated:2", "isolated:3"]);
    expect(rows.find((r) => r.point === 2 && r.mode === "isolated")?.market).toBe("vol=0.4");
    expect(rows.find((r) => r.point === 0 && r.mode === "isolated")?.label).toBe("isolatedMargin=1000, vol=0.4");
  });
});

describe("sweepRows on figures equal but for their last bits", () => {
  it("keeps every copy of an efficient point on the frontier: an ulp of PnL does not pick one", () => {
    // The same isolated route at three deposits: APR 0.087 give or take an ulp (equity minus a larger deposit).
    const apr = 0.08701129625782518;
    const copies: SweepPointSummary[] = [apr, apr + 4e-17, apr + 1e-16].map((value, point) => ({ point, values: [{ name: "deposit", value: 20_000 * 2 ** point }], modes: { isolated: summary(0.07, value) } }));
    expect(sweepRows(copies).map((r) => r.onFrontier)).toEqual([true, true, true]);
  });
});

describe("leastCapital", () => {
  // Isolated at four allocations (capital 1,000 .. 4,000): liquidation probability 0.4, 0.1, 0.004, 0.002, upper
  // ends +0.05 (as `summary` sets them), so under 0.06 only the last two are shown; the least capital of those is
  // 3,000. Cross is under at none.
  const grid: SweepPointSummary[] = [
    [0.4, 1_000],
    [0.1, 2_000],
    [0.004, 3_000],
    [0.002, 4_000],
  ].map(([p, capital], point) => ({ point, values: [{ name: "isolatedMargin", value: capital ?? 0 }], modes: { isolated: summary(p ?? 0, 0.05, capital), cross: summary(0.3, 0.05, 10_000) } }));
  const levels = (mode: string): LiquidationLevel => (mode === "isolated" ? { level: 0.06, source: "limit" } : { level: 0.01, source: "default" });

  it("picks, per mode, the least capital whose interval's upper end is under the level, or says none is", () => {
    const least = leastCapital(sweepRows(grid), levels, 100);
    expect(least.map((l) => [l.mode, l.point, l.capitalEmployed, l.levelSource])).toEqual([
      ["isolated", 2, 3_000, "limit"],
      ["cross", null, null, "default"],
    ]);
  });

  it("judges the level on the interval, not the estimate: an estimate under it whose interval is not is refused", () => {
    // At level 0.05, point 2's estimate 0.004 is under but its upper end 0.054 is not; so is point 3's (0.052).
    const least = leastCapital(sweepRows(grid), () => ({ level: 0.05, source: "default" }), 100);
    expect(least.find((l) => l.mode === "isolated")?.point).toBeNull();
    // 100 paths are enough for a point without a liquidation to be shown under 5 % (Wilson upper 3.7 %), so the
    // answer is to widen the grid, not to run more paths.
    expect(least.find((l) => l.mode === "isolated")?.pathsNeeded).toBeNull();
  });

  it("says how many paths per point a level needs when even no liquidation could not be shown under it", () => {
    // Under 1 % with no liquidation seen: ⌊3.841459 × 0.99 / 0.01⌋ + 1 = 381 paths (Wilson upper at 380: 1.0007 %).
    const least = leastCapital(sweepRows(grid), () => ({ level: 0.01, source: "default" }), 100);
    expect(least.map((l) => l.pathsNeeded)).toEqual([381, 381]);
  });
});

describe("isMarketParameter", () => {
  it("tells the market's assumptions from the desk's choices", () => {
    for (const name of ["vol", "volatility", "market.assets.BTC.model.jumps.up.intensity", "market.step"]) expect(isMarketParameter(name), name).toBe(true);
    for (const name of ["isolatedMargin", "deposit", "qty", "horizon", "market.horizon", "legs.short-perp.isolatedMargin", "accounts.0.deposit"]) expect(isMarketParameter(name), name).toBe(false);
  });
});

describe("sweep charts", () => {
  const rows = sweepRows(points);
  it("compile to Vega for one, two and three swept parameters", () => {
    expect(() => compile(frontierChart(rows).spec)).not.toThrow();
    expect(() => compile(liquidationGridChart(rows, ["isolatedMargin"]).spec)).not.toThrow();
    expect(() => compile(liquidationGridChart(rows, ["isolatedMargin", "vol"]).spec)).not.toThrow();
    expect(liquidationGridChart(rows, ["isolatedMargin", "vol"]).title).toBe("Liquidation probability over isolatedMargin and vol");
  });

  it("reads a dotted parameter name as one field, not a nested path", () => {
    const dotted = sweepRows([{ point: 0, values: [{ name: "legs.short-perp.isolatedMargin", value: 1_000 }], modes: { isolated: summary(0.5, 0.1) } }]);
    const chart = liquidationGridChart(dotted, ["legs.short-perp.isolatedMargin"]);
    expect(JSON.stringify(chart.spec)).toContain(String.raw`legs\\.short-perp\\.isolatedMargin`);
    expect(chart.records[0]?.["legs.short-perp.isolatedMargin"]).toBe(1_000);
    expect(() => compile(chart.spec)).not.toThrow();
  });
});
