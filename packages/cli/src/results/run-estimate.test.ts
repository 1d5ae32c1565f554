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

describe("estimateRun and checkRunFits", () => {
  it("sizes memory by the outcome rows: 3 modes x (16 + 4 per account + 4 per route) doubles a path, 1.15 times over", () => {
    const small = estimateRun(plan, 1_000, 2);
    const large = estimateRun(plan, 1_001_000, 2);
    // One account and one route: 3 x (16 + 4 + 4) = 72 doubles = 576 bytes a path, x 1.15 = 662.4 bytes.
    expect(outcomeWidth).toBe(16);
    expect(large.memoryBytes - small.memoryBytes).toBeCloseTo(1_000_000 * 662.4, -3);
    expect(large.diskBytes).toBeGreaterThan(small.diskBytes);
  });

  it("counts the rows of every evaluation: with policies each mode's passive baseline doubles the modes' rows", () => {
    const managed = parseScenario(
      `name: managed\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\n  - { name: reserve, venue: binance-usdm, deposit: 4000 }\nlegs:\n${carryLegs(3000)}\npolicies:\n  - { kind: topUp, name: top-up, leg: short-perp, when: { distanceBelow: 0.04 }, add: { toDistance: 0.07 }, from: "account:reserve", delay: 20m }\nmarket:\n${carryMarket}\n`,
      "managed.yaml",
    );
    const managedPlan = planSimulation({ scenario: managed, venues, bootstrap: new Map(), modes: [...marginModes], seed: "1", reservoirPaths: 100 });
    expect(managedPlan.evaluations).toHaveLength(6);
    const perPath = (estimate: (paths: number) => number): number => (estimate(1_001_000) - estimate(1_000)) / 1_000_000;
    // 6 evaluations x (16 + 4 per account holding a position + 4 per route + 5 per policy) doubles a path, 1.15 times over.
    const doubles = 6 * (16 + 4 * managedPlan.entities.accounts.length + 4 * managedPlan.entities.routes.length + 5);
    expect(perPath((paths) => estimateRun(managedPlan, paths, 2).memoryBytes)).toBeCloseTo(doubles * 8 * 1.15, 1);
  });

  it("bounds the Parquet tables' bytes from above, by at most half again, against the files the writer makes", () => {
    const kernel = new RouteKernel(plan);
    const chunk = simulateChunk(kernel, 0, { firstPath: 0, paths: 400 });
    const modes = plan.evaluations.map((evaluation) => evaluation.label);
    const directory = mkdtempSync(join(tmpdir(), "mstress-estimate-"));
    writeParquetTablesOfRows(directory, "USDT", runRowTables(chunk, modes, plan.entities));
    const written = ["outcomes.parquet", "account-outcomes.parquet", "route-outcomes.parquet"].reduce((sum, file) => sum + statSync(join(directory, file)).size, 0);
    const estimated = parquetBytesOfChunk(chunk);
    expect(estimated).toBeGreaterThanOrEqual(written);
    expect(estimated).toBeLessThanOrEqual(1.5 * written);
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
