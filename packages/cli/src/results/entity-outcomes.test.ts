import { describe, expect, it } from "vitest";
import { accountOutcomesCsv, readAccountRows, readRouteRows, routeOutcomesCsv } from "./entity-outcomes.js";

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

  const lines = (csv: string): string[] => csv.split("\n").filter((line) => line !== "");
  const layout = { firstPath: 7, paths: 2, modes: ["isolated", "cross"] as const, accounts: ["a", "b"] };

  it("reads back into the kernel layout to the bit, alone or at its paths' offset in a larger array", () => {
    expect(Array.from(readAccountRows(lines(text), "account-outcomes.csv", layout))).toEqual(Array.from(accountRows));
    const target = new Float64Array(accountRows.length * 2).fill(-1);
    readAccountRows(lines(text), "account-outcomes.csv", layout, { rows: target, firstPathOfRows: 5 });
    expect(Array.from(target.subarray(accountRows.length))).toEqual(Array.from(accountRows));
    expect(target[0]).toBe(-1);
  });

  it("rejects a wrong header, a bad cell, rows out of the expected order and a wrong count, naming the file and row", () => {
    expect(() => readAccountRows(lines(text.replace("loss", "losses")), "x.csv", layout)).toThrow(/x\.csv: expected the header path,mode,account,/);
    expect(() => readAccountRows(lines(text.replace("7,cross,a", "7,crossed,a")), "x.csv", layout)).toThrow(/x\.csv: row 4: expected path 7 mode cross account a/);
    expect(() => readAccountRows(lines(text.replace("3000.123456789", "NaN")), "x.csv", layout)).toThrow(/x\.csv: row 2: loss: expected a number or an empty cell/);
    expect(() => readAccountRows(lines(text), "x.csv", { ...layout, firstPath: 6 })).toThrow(/x\.csv: row 2: expected path 6 mode isolated account a/);
    expect(() => readAccountRows(lines(text), "x.csv", { ...layout, paths: 3 })).toThrow(/expected 12 rows .* got 8/);
    expect(() => readAccountRows([], "x.csv", layout)).toThrow(/got an empty file/);
  });
});

describe("route-outcomes.csv", () => {
  it("round-trips a route table", () => {
    const rows = Float64Array.from([1, 90000, 1, 90000, 0, Number.NaN, 0, Number.NaN]);
    const text = routeOutcomesCsv(rows, 0, ["portfolio"], ["pair", "long-spot"]);
    expect(text).toBe("path,mode,route,liquidated,liquidatedAt,hedgeBroken,hedgeBrokenAt\n0,portfolio,pair,1,90000,1,90000\n0,portfolio,long-spot,0,,0,\n");
    const read = readRouteRows(text.split("\n").filter((line) => line !== ""), "route-outcomes.csv", { firstPath: 0, paths: 1, modes: ["portfolio"], routes: ["pair", "long-spot"] });
    expect(Array.from(read)).toEqual(Array.from(rows));
  });
});
