import { describe, expect, it } from "vitest";
import type { RouteOutcomes } from "./scoped-outcomes.js";
import { summariseRoutes } from "./summarise-routes.js";

type Row = [path: number, mode: string, route: string, liquidated: number, liquidatedAt: number, hedgeBroken: number, hedgeBrokenAt: number];

function outcomesOf(rows: readonly Row[]): RouteOutcomes {
  return {
    path: Float64Array.from(rows, (r) => r[0]),
    mode: rows.map((r) => r[1]),
    route: rows.map((r) => r[2]),
    liquidated: Float64Array.from(rows, (r) => r[3]),
    liquidatedAt: Float64Array.from(rows, (r) => r[4]),
    hedgeBroken: Float64Array.from(rows, (r) => r[5]),
    hedgeBrokenAt: Float64Array.from(rows, (r) => r[6]),
  };
}

const N = Number.NaN;
// Four paths of one mode with two routes. carry: liquidated on paths 0, 1, 3 (at 100, 300, 200 s); its hedge
// broke on 0 and 3 (at 100 and 200 s). pump: liquidated on path 2 at 50 s, a one-leg route, so no hedge to break.
const rows: Row[] = [
  [0, "cross", "carry", 1, 100, 1, 100], [0, "cross", "pump", 0, N, 0, N],
  [1, "cross", "carry", 1, 300, 0, N], [1, "cross", "pump", 0, N, 0, N],
  [2, "cross", "carry", 0, N, 0, N], [2, "cross", "pump", 1, 50, 0, N],
  [3, "cross", "carry", 1, 200, 1, 200], [3, "cross", "pump", 0, N, 0, N],
];
const options = { modes: ["cross"], paths: 4, horizonSeconds: 3600 };

describe("summariseRoutes", () => {
  const summary = summariseRoutes(outcomesOf(rows), options);

  it("gives each route's liquidation and hedge-broken probabilities with Wilson intervals and median times", () => {
    const carry = summary["cross"]?.["carry"];
    // 3/4 liquidated: d = 1.960365, centre = (0.75 + 0.480182)/d = 0.627527; half = 0.999795·√(0.046875 + 0.060023)
    // = 0.999795·0.326953 = 0.326886 → [0.300641, 0.954413]. Times 100, 300, 200 → median 200.
    expect(carry?.liquidations).toBe(3);
    expect(carry?.liquidationProbability).toBe(0.75);
    expect(carry?.liquidationProbabilityCi[0]).toBeCloseTo(0.300641, 5);
    expect(carry?.liquidationProbabilityCi[1]).toBeCloseTo(0.954413, 5);
    expect(carry?.medianTimeToLiquidation).toBe(200);
    // 2/4 hedge breaks = 0.5 → [0.150039, 0.849961] (as in summarise-accounts.test.ts); times 100, 200 → 150.
    expect(carry?.hedgeBreaks).toBe(2);
    expect(carry?.hedgeBrokenProbabilityCi[0]).toBeCloseTo(0.150039, 5);
    expect(carry?.medianTimeToHedgeBreak).toBe(150);
    const pump = summary["cross"]?.["pump"];
    expect(pump?.liquidationProbability).toBe(0.25);
    expect(pump?.hedgeBreaks).toBe(0);
    expect(pump?.medianTimeToHedgeBreak).toBeNull();
  });

  it("counts a hedge broken on a route none of whose legs was liquidated (an auto-deleveraging closed one)", () => {
    const broken = rows.map((r, i): Row => (i === 1 ? [0, "cross", "pump", 0, N, 1, 10] : r));
    const summary = summariseRoutes(outcomesOf(broken), options);
    expect(summary.cross?.pump?.hedgeBreaks).toBe((summariseRoutes(outcomesOf(rows), options).cross?.pump?.hedgeBreaks ?? 0) + 1);
  });
});
