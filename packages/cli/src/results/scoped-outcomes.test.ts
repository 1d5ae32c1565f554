import { outcomeFields, outcomeWidth } from "@mstress/sim";
import { describe, expect, it } from "vitest";
import { runSummary } from "./run-summary.js";
import { accountOutcomesOfRows, routeOutcomesOfRows } from "./scoped-outcomes.js";

const N = Number.NaN;
// Two paths, one mode, two accounts, in the kernel's layout: paths x modes x accounts x
// (liquidated, liquidatedAt, loss, minDistanceToLiquidation).
const accountRows = Float64Array.of(1, 3600, 900, 0, 0, N, 0, 0.2, 0, N, 0, 0.05, 1, 7200, 400, 0);

describe("account and route outcomes from the kernel's rows", () => {
  it("lays the rows out as columns keyed by path, mode and account", () => {
    const outcomes = accountOutcomesOfRows(accountRows, { firstPath: 10, modes: ["cross"], accounts: ["futures", "punt"] });
    expect(Array.from(outcomes.path)).toEqual([10, 10, 11, 11]);
    expect(outcomes.mode).toEqual(["cross", "cross", "cross", "cross"]);
    expect(outcomes.account).toEqual(["futures", "punt", "futures", "punt"]);
    expect(Array.from(outcomes.liquidatedAt)).toEqual([3600, N, N, 7200]);
    expect(Array.from(outcomes.loss)).toEqual([900, 0, 0, 400]);
    expect(Array.from(outcomes.minDistanceToLiquidation)).toEqual([0, 0.2, 0.05, 0]);
  });

  it("keys route rows by mode within a path", () => {
    // One path, two modes, one route: (liquidated, liquidatedAt, hedgeBroken, hedgeBrokenAt).
    const outcomes = routeOutcomesOfRows(Float64Array.of(0, N, 0, N, 1, 60, 1, 60), { firstPath: 0, modes: ["isolated", "cross"], routes: ["carry"] });
    expect(outcomes.mode).toEqual(["isolated", "cross"]);
    expect(Array.from(outcomes.hedgeBrokenAt)).toEqual([N, 60]);
  });
});

describe("runSummary", () => {
  it("adds per-account figures when given, and max drawdown from the rows that carry it", () => {
    // Two paths of one mode: path 0 liquidated at 3600 s losing 900, max drawdown 1000; path 1 quiet, drawdown 50.
    const row = (values: Partial<Record<string, number>>): number[] => outcomeFields.map((field) => values[field] ?? (field.endsWith("At") ? Number.NaN : 0));
    const rows = Float64Array.from([
      ...row({ liquidated: 1, liquidatedAt: 3600, loss: 900, pnl: -950, capitalEmployed: 1000, maxDrawdown: 1000, minDistanceToLiquidation: 0, liquidationFees: 10 }),
      ...row({ pnl: 20, capitalEmployed: 1000, maxDrawdown: 50, minDistanceToLiquidation: 0.1 }),
    ]);
    expect(rows.length).toBe(2 * outcomeWidth);
    const accounts = accountOutcomesOfRows(accountRows, { firstPath: 0, modes: ["cross"], accounts: ["futures", "futures2"] });
    const summary = runSummary({ scenario: "s", scenarioSha256: "c", seed: "1", horizonSeconds: 86_400, modes: ["cross"], rows, paths: 2, accountOutcomes: accounts });
    expect(summary.accounts?.["cross"]?.["futures"]?.liquidationProbability).toBe(0.5);
    expect(summary.accounts?.["cross"]?.["futures2"]?.lossGivenLiquidation?.mean).toBe(400);
    expect(summary).not.toHaveProperty("routes");
    // Drawdowns 1000, 50: mean 525, median 525, p95 (h = 0.95) 50 + 0.95·950 = 952.5.
    expect(summary.modes.cross?.maxDrawdown).toMatchObject({ mean: 525, median: 525, p95: 952.5, max: 1000 });
  });
});
