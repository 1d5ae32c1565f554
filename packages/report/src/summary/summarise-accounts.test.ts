import { describe, expect, it } from "vitest";
import type { AccountOutcomes } from "./scoped-outcomes.js";
import { summariseAccounts } from "./summarise-accounts.js";

type Row = [path: number, mode: string, account: string, liquidated: number, liquidatedAt: number, loss: number, distance: number];

function outcomesOf(rows: readonly Row[]): AccountOutcomes {
  return {
    path: Float64Array.from(rows, (r) => r[0]),
    mode: rows.map((r) => r[1]),
    account: rows.map((r) => r[2]),
    liquidated: Float64Array.from(rows, (r) => r[3]),
    liquidatedAt: Float64Array.from(rows, (r) => r[4]),
    loss: Float64Array.from(rows, (r) => r[5]),
    minDistanceToLiquidation: Float64Array.from(rows, (r) => r[6]),
  };
}

const N = Number.NaN;
// Four paths, two modes, two accounts, in path order as account-outcomes.csv holds them.
// cross/a: liquidated on paths 0 (3600 s, loss 1000) and 2 (7200 s, loss 3000). cross/b: never.
// isolated/a: liquidated on path 3 (100 s, loss 500). isolated/b: never, and never had a liquidation price.
const rows: Row[] = [
  [0, "cross", "a", 1, 3600, 1000, 0], [0, "cross", "b", 0, N, 0, 0.2], [0, "isolated", "a", 0, N, 0, N], [0, "isolated", "b", 0, N, 0, N],
  [1, "cross", "a", 0, N, 0, 0.1], [1, "cross", "b", 0, N, 0, 0.3], [1, "isolated", "a", 0, N, 0, N], [1, "isolated", "b", 0, N, 0, N],
  [2, "cross", "a", 1, 7200, 3000, 0], [2, "cross", "b", 0, N, 0, 0.4], [2, "isolated", "a", 0, N, 0, N], [2, "isolated", "b", 0, N, 0, N],
  [3, "cross", "a", 0, N, 0, N], [3, "cross", "b", 0, N, 0, 0.5], [3, "isolated", "a", 1, 100, 500, N], [3, "isolated", "b", 0, N, 0, N],
];
const options = { modes: ["isolated", "cross"], paths: 4, horizonSeconds: 86_400 };

describe("summariseAccounts", () => {
  const summary = summariseAccounts(outcomesOf(rows), options);

  it("orders modes as the run lists them and accounts by first appearance", () => {
    expect(Object.keys(summary)).toEqual(["isolated", "cross"]);
    expect(Object.keys(summary["cross"] ?? {})).toEqual(["a", "b"]);
  });

  it("gives each account's liquidation probability with its Wilson interval", () => {
    // cross/a: 2/4 = 0.5. z² = 3.841459, d = 1 + z²/4 = 1.960365, centre = (0.5 + z²/8)/d = 0.5;
    // half = (z/d)·√(0.25/4 + z²/64) = 0.999795·√(0.0625 + 0.060023) = 0.349961 → [0.150039, 0.849961].
    const a = summary["cross"]?.["a"];
    expect(a?.paths).toBe(4);
    expect(a?.liquidations).toBe(2);
    expect(a?.liquidationProbability).toBe(0.5);
    expect(a?.liquidationProbabilityCi[0]).toBeCloseTo(0.150039, 5);
    expect(a?.liquidationProbabilityCi[1]).toBeCloseTo(0.849961, 5);
    // cross/b: 0/4: upper end z²/(4 + z²) = 3.841459/7.841459 = 0.489891.
    expect(summary["cross"]?.["b"]?.liquidationProbabilityCi[1]).toBeCloseTo(0.489891, 5);
    // isolated/a: 1/4.
    expect(summary["isolated"]?.["a"]?.liquidationProbability).toBe(0.25);
  });

  it("takes loss given liquidation and the time over the liquidated paths only", () => {
    // cross/a losses 1000, 3000: mean 2000, median 2000, p95 (type 7, h = 0.95) 1000 + 0.95·2000 = 2900.
    // Times 3600, 7200 → median 5400 s.
    const a = summary["cross"]?.["a"];
    expect(a?.lossGivenLiquidation).toEqual({ mean: 2000, median: 2000, p95: 2900 });
    expect(a?.medianTimeToLiquidation).toBe(5400);
    expect(summary["isolated"]?.["a"]?.lossGivenLiquidation).toEqual({ mean: 500, median: 500, p95: 500 });
    expect(summary["cross"]?.["b"]?.lossGivenLiquidation).toBeNull();
    expect(summary["cross"]?.["b"]?.medianTimeToLiquidation).toBeNull();
  });

  it("takes the worst distance over the paths with a liquidation price", () => {
    // cross/a: 0, 0.1, 0 → sorted 0, 0, 0.1 (h = 2p): p05 h 0.1 → 0; median h 1 → 0.
    // cross/b: 0.2, 0.3, 0.4, 0.5 (h = 3p): p05 h 0.15 → 0.215; median h 1.5 → 0.35.
    expect(summary["cross"]?.["a"]?.minDistanceToLiquidation).toEqual({ p05: 0, median: 0 });
    expect(summary["cross"]?.["b"]?.minDistanceToLiquidation?.p05).toBeCloseTo(0.215, 12);
    expect(summary["cross"]?.["b"]?.minDistanceToLiquidation?.median).toBeCloseTo(0.35, 12);
    expect(summary["isolated"]?.["b"]?.minDistanceToLiquidation).toBeNull();
  });

  it("refuses a missing row, a loss without a liquidation and an unknown mode, naming them", () => {
    expect(() => summariseAccounts(outcomesOf(rows.slice(1)), options)).toThrow(/cross \/ a: expected one row per path \(4\), got 3/);
    const lossWithout = rows.map((r, i): Row => (i === 1 ? [0, "cross", "b", 0, N, 5, 0.2] : r));
    expect(() => summariseAccounts(outcomesOf(lossWithout), options)).toThrow(/account outcomes\.loss: .* first row 1/);
    expect(() => summariseAccounts(outcomesOf(rows), { ...options, modes: ["cross"] })).toThrow(/account outcomes\.mode/);
  });
});
