import { outcomeFields, outcomeWidth } from "@mstress/sim";
import { describe, expect, it } from "vitest";
import { runSummary, runSummaryReleasingRows } from "./run-summary.js";
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

  it("takes one mode's rows when asked, in path order", () => {
    // Two paths, two modes, one route: path 0 (isolated quiet, cross broken at 60 s), path 1 (isolated liquidated
    // at 30 s, cross quiet). The cross rows are the second and fourth of the layout.
    const rows = Float64Array.of(0, N, 0, N, 1, 60, 1, 60, 1, 30, 1, 30, 0, N, 0, N);
    const cross = routeOutcomesOfRows(rows, { firstPath: 5, modes: ["isolated", "cross"], mode: 1, routes: ["carry"] });
    expect(Array.from(cross.path)).toEqual([5, 6]);
    expect(cross.mode).toEqual(["cross", "cross"]);
    expect(Array.from(cross.liquidated)).toEqual([1, 0]);
    expect(Array.from(cross.hedgeBrokenAt)).toEqual([60, N]);
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

  it("gives the same summary, in the same order, whether the scoped outcomes come all at once or mode by mode", () => {
    // Three paths, two modes, two accounts and one route, with liquidations spread over modes and accounts.
    const modes = ["isolated", "cross"];
    const names = { accounts: ["futures", "spot"], routes: ["carry"] };
    const flat = (values: number[][]): Float64Array => Float64Array.from(values.flat());
    const accountRows = flat([
      [1, 3600, 900, 0], [0, N, 0, 0.3], [0, N, 0, 0.1], [0, N, 0, 0.4],
      [0, N, 0, 0.2], [0, N, 0, 0.5], [1, 60, 100, 0], [1, 120, 50, 0],
      [1, 7200, 400, 0], [0, N, 0, 0.6], [0, N, 0, 0.05], [0, N, 0, 0.7],
    ]);
    const routeRows = flat([[1, 3600, 1, 3600], [0, N, 0, N], [0, N, 0, N], [1, 60, 0, N], [1, 7200, 1, 7200], [0, N, 0, N]]);
    // Quiet outcome rows (not liquidated, so no times): the modes' own figures are not what is compared here.
    const quiet = outcomeFields.map((field) => (field.endsWith("At") || field === "hedgeBrokenByAdl" ? N : field === "capitalEmployed" ? 1000 : 0));
    const rows = Float64Array.from(Array.from({ length: 3 * modes.length }, () => quiet).flat());
    const input = { scenario: "s", scenarioSha256: "c", seed: "1", horizonSeconds: 86_400, modes, rows, paths: 3 };
    const whole = runSummary({
      ...input,
      accountOutcomes: accountOutcomesOfRows(accountRows, { firstPath: 0, modes, accounts: names.accounts }),
      routeOutcomes: routeOutcomesOfRows(routeRows, { firstPath: 0, modes, routes: names.routes }),
    });
    const byMode = runSummary({
      ...input,
      accountOutcomes: (mode) => accountOutcomesOfRows(accountRows, { firstPath: 0, modes, mode, accounts: names.accounts }),
      routeOutcomes: (mode) => routeOutcomesOfRows(routeRows, { firstPath: 0, modes, mode, routes: names.routes }),
    });
    expect(JSON.stringify(byMode)).toBe(JSON.stringify(whole));
    // The figures themselves, by hand: isolated futures liquidated on paths 0 and 2 (losses 900, 400), cross
    // futures on path 1 only; the route liquidated on every path in isolated's rows but path 1.
    expect(whole.accounts?.["isolated"]?.["futures"]).toMatchObject({ liquidations: 2, lossGivenLiquidation: { mean: 650 } });
    expect(whole.accounts?.["cross"]?.["futures"]).toMatchObject({ liquidations: 1, lossGivenLiquidation: { mean: 100 } });
    expect(whole.routes?.["isolated"]?.["carry"]).toMatchObject({ liquidations: 2, hedgeBreaks: 2 });
    expect(Object.keys(whole.accounts ?? {})).toEqual(modes);
  });

  it("gives the same summary when it lets the rows go, with each mode's PnL in path order", () => {
    // Four paths of two modes with liquidations, losses, drawdowns and a negative zero PnL (the CSV gives +0 back).
    const modes = ["isolated", "cross"];
    const row = (values: Partial<Record<string, number>>): number[] => outcomeFields.map((field) => values[field] ?? (field.endsWith("At") || field === "hedgeBrokenByAdl" ? N : 0));
    const rows = Float64Array.from([
      ...row({ liquidated: 1, liquidatedAt: 3600, hedgeBroken: 1, hedgeBrokenAt: 3600, loss: 900, pnl: -950, capitalEmployed: 1000, maxDrawdown: 1000, liquidationFees: 10 }),
      ...row({ pnl: 20, capitalEmployed: 1000, maxDrawdown: 50, minDistanceToLiquidation: 0.1 }),
      ...row({ pnl: -0, capitalEmployed: 1000, maxDrawdown: 5, minDistanceToLiquidation: 0.3 }),
      ...row({ liquidated: 1, liquidatedAt: 60, hedgeBroken: 1, hedgeBrokenAt: 60, loss: 400, pnl: -420, capitalEmployed: 1000, maxDrawdown: 420 }),
      ...row({ pnl: 35, capitalEmployed: 1000, maxDrawdown: 12, minDistanceToLiquidation: 0.2 }),
      ...row({ pnl: 41, capitalEmployed: 1000, maxDrawdown: 7, minDistanceToLiquidation: 0.25 }),
      ...row({ pnl: 3, capitalEmployed: 1000, maxDrawdown: 30, minDistanceToLiquidation: 0.05 }),
      ...row({ pnl: 8, capitalEmployed: 1000, maxDrawdown: 2, minDistanceToLiquidation: 0.4 }),
    ]);
    const input = { scenario: "s", scenarioSha256: "c", seed: "1", horizonSeconds: 86_400, modes, paths: 4 };
    const fromRows = runSummary({ ...input, rows });
    const held = { rows: rows.slice() };
    const { summary, pnlByMode } = runSummaryReleasingRows(input, held);
    expect(JSON.stringify(summary)).toBe(JSON.stringify(fromRows));
    expect(held.rows.length).toBe(0);
    // Rows alternate isolated, cross: each mode is liquidated on one of its four paths.
    expect(fromRows.modes.isolated?.liquidationProbability).toBe(0.25);
    expect(fromRows.modes.cross?.liquidationProbability).toBe(0.25);
    // The PnL columns in path order: isolated's are rows 0, 2, 4 and 6 above, cross's rows 1, 3, 5 and 7; −0 is +0.
    expect(Array.from(pnlByMode.get("isolated") ?? [])).toEqual([-950, 0, 35, 3]);
    expect(Array.from(pnlByMode.get("cross") ?? [])).toEqual([20, -420, 41, 8]);
    expect(Object.is(pnlByMode.get("isolated")?.[1], 0)).toBe(true);
  });
});
