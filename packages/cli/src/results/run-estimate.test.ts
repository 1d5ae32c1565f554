import { marginModes, parseScenario, type VenueProfile } from "@mstress/core";
import { planSimulation } from "@mstress/sim";
import { describe, expect, it } from "vitest";
import { loadVenue } from "../venues/load-venue.js";
import { carryLegs, carryMarket } from "../commands/small-carry.test-support.js";
import { checkRunFits, estimateRun, longRunSeconds } from "./run-estimate.js";

const scenario = parseScenario(`name: carry\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\nlegs:\n${carryLegs(3000)}\nmarket:\n${carryMarket}\n`, "carry.yaml");
const venues = new Map<string, VenueProfile>([["binance-usdm", loadVenue("binance-usdm", "venue")]]);
const plan = planSimulation({ scenario, venues, bootstrap: new Map(), modes: [...marginModes], seed: "1", reservoirPaths: 100 });
const gib = 1024 ** 3;

describe("estimateRun and checkRunFits", () => {
  it("sizes memory by the outcome rows: 3 modes x (13 + 4 per account + 4 per route) doubles a path, 1.1 times over", () => {
    const small = estimateRun(plan, 1_000, 2);
    const large = estimateRun(plan, 1_001_000, 2);
    // One account and one route: 3 x (13 + 4 + 4) = 63 doubles = 504 bytes a path, x 1.1 = 554.4 bytes.
    expect(large.memoryBytes - small.memoryBytes).toBeCloseTo(1_000_000 * 554.4, -3);
    expect(large.diskBytes).toBeGreaterThan(small.diskBytes);
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
