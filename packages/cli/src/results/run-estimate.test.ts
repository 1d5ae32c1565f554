import { marginModes, parseScenario, type VenueProfile } from "@mstress/core";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RouteKernel, outcomeWidth, planSimulation, simulateChunk } from "@mstress/sim";
import { describe, expect, it } from "vitest";
import { loadVenue } from "../venues/load-venue.js";
import { carryLegs, carryMarket } from "../commands/small-carry.test-support.js";
import { writeParquetTablesOfRows } from "./parquet-tables.js";
import { checkRunFits, estimateRun, longRunSeconds, parquetBytesOfChunk } from "./run-estimate.js";
import { runRowTables } from "./run-row-tables.js";

const scenario = parseScenario(`name: carry\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\nlegs:\n${carryLegs(3000)}\nmarket:\n${carryMarket}\n`, "carry.yaml");
const venues = new Map<string, VenueProfile>([["binance-usdm", loadVenue("binance-usdm", "venue")]]);
const plan = planSimulation({ scenario, venues, bootstrap: new Map(), modes: [...marginModes], seed: "1", reservoirPaths: 100 });
const gib = 1024 ** 3;

// The carry with a reserve account and a delayed top-up from it: each mode is evaluated twice (with its policy and
// passive), and the reserve holds no position, so its rows are not written.
const managed = parseScenario(
  `name: managed\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\n  - { name: reserve, venue: binance-usdm, deposit: 4000 }\nlegs:\n${carryLegs(3000)}\npolicies:\n  - { kind: topUp, name: top-up, leg: short-perp, when: { distanceBelow: 0.04 }, add: { toDistance: 0.07 }, from: "account:reserve", delay: 20m }\nmarket:\n${carryMarket}\n`,
  "managed.yaml",
);
const managedPlan = planSimulation({ scenario: managed, venues, bootstrap: new Map(), modes: [...marginModes], seed: "1", reservoirPaths: 100 });

/** Memory a path adds between two sizes of run. */
const memoryPerPath = (estimated: typeof plan, from: number, to: number): number => (estimateRun(estimated, to, 2).memoryBytes - estimateRun(estimated, from, 2).memoryBytes) / (to - from);

describe("estimateRun and checkRunFits", () => {
  it("sizes memory by the outcome rows: 3 modes x (16 + 4 per account + 4 per route) doubles a path, 1.15 times over", () => {
    // One account and one route: 3 x (16 + 4 + 4) = 72 doubles = 576 bytes a path, x 1.15 = 662.4 bytes (both runs
    // past parquetOverlapBytes: no copy of the rows).
    expect(outcomeWidth).toBe(16);
    expect(memoryPerPath(plan, 1_000_000, 2_000_000)).toBeCloseTo(662.4, 3);
    expect(estimateRun(plan, 2_000_000, 2).diskBytes).toBeGreaterThan(estimateRun(plan, 1_000_000, 2).diskBytes);
  });

  it("counts the copy of the rows a small run hands its Parquet thread: 576 x (1.15 + 1) bytes a path", () => {
    expect(memoryPerPath(plan, 1_000, 2_000)).toBeCloseTo(1238.4, 3);
  });

  it("counts the rows of every evaluation: with policies each mode's passive baseline doubles the modes' rows", () => {
    expect(managedPlan.evaluations).toHaveLength(6);
    expect(managedPlan.entities).toMatchObject({ accounts: ["futures"], policies: ["top-up"] });
    // 6 evaluations x (16 + 4 for the one account holding a position + 4 for the one route + 5 for the policy)
    // = 174 doubles = 1,392 bytes a path, x 1.15 = 1,600.8 bytes.
    expect(managedPlan.entities.routes).toHaveLength(1);
    expect(memoryPerPath(managedPlan, 1_000_000, 2_000_000)).toBeCloseTo(1600.8, 3);
  });

  it("bounds the Parquet tables' bytes from above, by at most half again, against the files the writer makes", () => {
    for (const [estimated, tables] of [
      [plan, ["outcomes.parquet", "account-outcomes.parquet", "route-outcomes.parquet"]],
      [managedPlan, ["outcomes.parquet", "account-outcomes.parquet", "route-outcomes.parquet", "policy-outcomes.parquet"]],
    ] as const) {
      const chunk = simulateChunk(new RouteKernel(estimated), 0, { firstPath: 0, paths: 400 });
      const modes = estimated.evaluations.map((evaluation) => evaluation.label);
      const directory = mkdtempSync(join(tmpdir(), "mstress-estimate-"));
      writeParquetTablesOfRows(directory, "USDT", runRowTables(chunk, modes, estimated.entities));
      const written = tables.reduce((sum, file) => sum + statSync(join(directory, file)).size, 0);
      const bound = parquetBytesOfChunk(chunk);
      expect(bound).toBeGreaterThanOrEqual(written);
      expect(bound).toBeLessThanOrEqual(1.5 * written);
    }
  });

  it("measures a large run's time on a few paths (a small run is not measured)", () => {
    expect(estimateRun(plan, 100, 2).seconds).toBe(0);
    const estimate = estimateRun(plan, 100_000_000, 2);
    expect(estimate.seconds).toBeGreaterThan(longRunSeconds);
  });

  it("refuses what cannot fit in memory or on disk, naming the flags, and warns on a long run", () => {
    const warnings: string[] = [];
    const warn = (line: string): void => { warnings.push(line); };
    const context = { paths: 1_000, out: "/results/x", memory: 16 * gib, freeDisk: 100 * gib };
    expect(() => { checkRunFits({ seconds: 10, memoryBytes: 15 * gib, diskBytes: 1 }, context, warn); }).toThrow(/--paths: 1000 paths need about 15360 MiB of memory and 16384 MiB is available; .*--shard 1\/2 \.\.\. --shard 2\/2/);
    expect(() => { checkRunFits({ seconds: 10, memoryBytes: gib, diskBytes: 200 * gib }, context, warn); }).toThrow(/--out: the result needs about 204800 MiB and 102400 MiB is free/);
    checkRunFits({ seconds: 12 * 3600, memoryBytes: gib, diskBytes: gib }, context, warn);
    expect(warnings).toEqual(["warning: this run is estimated to take about 12.0 h; to spread it over machines, run it as shards (--shard i/n, then mstress merge; docs/running-at-scale.md)"]);
  });
});
