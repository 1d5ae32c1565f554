import { accountOutcomeFields, routeOutcomeFields } from "@mstress/sim";
import { describe, expect, it } from "vitest";
import { accountOutcomesCsv, entityRows, parseAccountOutcomesCsv, parseRouteOutcomesCsv, routeOutcomesCsv } from "./entity-outcomes.js";

// Two paths (from path 7) x two modes x two accounts, fields liquidated, liquidatedAt, loss, minDistance; NaN
// where a field does not apply. Values with long expansions check the shortest round-trip form.
const accountRows = Float64Array.from([
  // path 7, isolated: a (liquidated at 3600), b
  1, 3600, 3000.123456789, 0, 0, Number.NaN, 0, 0.1 + 0.2,
  // path 7, cross
  0, Number.NaN, 0, 0.25, 0, Number.NaN, 0, Number.NaN,
  // path 8, isolated
  0, Number.NaN, 0, 1 / 3, 1, 7200, 12.5, 0,
  // path 8, cross
  0, Number.NaN, 0, 0.5, 0, Number.NaN, 0, 0.75,
]);

describe("account-outcomes.csv", () => {
  const text = accountOutcomesCsv(accountRows, 7, ["isolated", "cross"], ["a", "b"]);

  it("writes one row per path, mode and account, in that order, with empty cells for NaN", () => {
    expect(text.split("\n").slice(0, 4)).toEqual([
      "path,mode,account,liquidated,liquidatedAt,loss,minDistanceToLiquidation",
      "7,isolated,a,1,3600,3000.123456789,0",
      "7,isolated,b,0,,0,0.30000000000000004",
      "7,cross,a,0,,0,0.25",
    ]);
    expect(text.endsWith("8,cross,b,0,,0,0.75\n")).toBe(true);
  });

  it("reads back typed columns, the entity names and modes, and the kernel layout to the bit", () => {
    const table = parseAccountOutcomesCsv(text, "account-outcomes.csv");
    expect(table.names).toEqual(["a", "b"]);
    expect(table.modes).toEqual(["isolated", "cross"]);
    expect(table.rows).toBe(8);
    expect(Array.from(table.path)).toEqual([7, 7, 7, 7, 8, 8, 8, 8]);
    expect(Array.from(table.entity)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(Array.from(table.columns.liquidatedAt)).toEqual([3600, Number.NaN, Number.NaN, Number.NaN, Number.NaN, 7200, Number.NaN, Number.NaN]);
    expect(table.columns.minDistanceToLiquidation[5]).toBe(0);
    expect(Object.is(table.columns.minDistanceToLiquidation[1], 0.1 + 0.2)).toBe(true);
    const rows = entityRows(table, "account-outcomes.csv", 7, 2, ["isolated", "cross"], ["a", "b"], accountOutcomeFields);
    expect(Array.from(rows)).toEqual(Array.from(accountRows));
  });

  it("rejects a wrong header, a bad mode, and rows out of the expected order, naming the file and row", () => {
    expect(() => parseAccountOutcomesCsv(text.replace("loss", "losses"), "x.csv")).toThrow(/x\.csv: expected the header path,mode,account,/);
    expect(() => parseAccountOutcomesCsv(text.replace("7,cross,a", "7,crossed,a"), "x.csv")).toThrow(/x\.csv: row 4: mode: expected isolated, cross or portfolio/);
    const table = parseAccountOutcomesCsv(text, "x.csv");
    expect(() => entityRows(table, "x.csv", 6, 2, ["isolated", "cross"], ["a", "b"], accountOutcomeFields)).toThrow(/x\.csv: row 2: expected path 6 mode isolated a/);
    expect(() => entityRows(table, "x.csv", 7, 3, ["isolated", "cross"], ["a", "b"], accountOutcomeFields)).toThrow(/expected 12 rows/);
  });
});

describe("route-outcomes.csv", () => {
  it("round-trips a route table", () => {
    const rows = Float64Array.from([1, 90000, 1, 90000, 0, Number.NaN, 0, Number.NaN]);
    const text = routeOutcomesCsv(rows, 0, ["portfolio"], ["pair", "long-spot"]);
    expect(text).toBe("path,mode,route,liquidated,liquidatedAt,hedgeBroken,hedgeBrokenAt\n0,portfolio,pair,1,90000,1,90000\n0,portfolio,long-spot,0,,0,\n");
    const table = parseRouteOutcomesCsv(text, "route-outcomes.csv");
    expect(table.names).toEqual(["pair", "long-spot"]);
    expect(Array.from(table.columns.hedgeBroken)).toEqual([1, 0]);
    expect(Array.from(entityRows(table, "route-outcomes.csv", 0, 1, ["portfolio"], ["pair", "long-spot"], routeOutcomeFields))).toEqual(Array.from(rows));
  });
});
