import { readFileSync } from "node:fs";
import { parseScenario, parseVenueProfile, type MarginMode } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { accountOutcomeColumn, accountOutcomeWidth, outcomeColumn, outcomeWidth, routeOutcomeColumn, routeOutcomeWidth } from "./outcome-fields.js";
import { RouteKernel } from "./route-kernel.js";
import { simulateChunk } from "./simulate-chunk.js";
import { planSimulation } from "./simulation-plan.js";

// Scripted markets on a nearly still price (volatility 1e-9 a year: ~1e-11 per 1 h step, so the price moves by
// under 1e-5 USD outside the scripted moves), fees and funding off, no exit at the horizon: the PnL series is
// known in closed form and every figure below is derived by hand.

const binance = parseVenueProfile(readFileSync(new URL("../../../core/venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");
const venues = new Map([["binance-usdm", binance]]);
const costs = "{ fees: false, funding: false, closeAtHorizon: false }";
const quietBtc = "    BTC: { price: 60000, model: { kind: gbm, volatility: 0.000000001 } }";

function simulate(text: string, modes: MarginMode[], paths: number, reservoirPaths = 0) {
  const plan = planSimulation({ scenario: parseScenario(text, "outcomes-test.yaml"), venues, bootstrap: new Map(), modes, seed: "3", reservoirPaths });
  return { plan, result: simulateChunk(new RouteKernel(plan), reservoirPaths, { firstPath: 0, paths }) };
}

describe("maxDrawdown: the largest peak-to-trough fall of the route PnL", () => {
  // One long BTC perp, $10,000 deposited ($3,000 allocated in isolated mode). The price is flat at 60,000, rises
  // 10 % within the hour after day 1 (66,000: PnL +6,000, the peak), falls 20 % within the two hours after day 2
  // (52,800), and recovers 5 % within the hour after day 3 (55,440), where the horizon ends.
  const text = `
name: drawdown
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: long-perp, account: futures, type: perp, symbol: BTCUSDT, side: long, qty: 1, isolatedMargin: 3000 }
costs: ${costs}
market:
  horizon: 4d
  step: 1h
  assets:
${quietBtc}
  stress:
    - { at: 1d, over: 1h, move: 0.1 }
    - { at: 2d, over: 2h, move: -0.2 }
    - { at: 3d, over: 1h, move: 0.05 }
`;
  const modes: MarginMode[] = ["isolated", "cross"];
  const { result, plan } = simulate(text, modes, 3, 1);
  const row = (path: number, m: number): number => (path * modes.length + m) * outcomeWidth;

  it("cross: peak +6,000 at 66,000, trough -7,200 at 52,800, so 13,200; the recovery does not reduce it", () => {
    // Cross backs the long with the whole $10,000: liquidated only below 50,201.01 (10000 + P - 60000 =
    // 0.005 P - 50 in Binance's second bracket), out of reach of 52,800.
    for (let path = 0; path < 3; path++) {
      expect(result.rows[row(path, 1) + outcomeColumn.liquidated]).toBe(0);
      expect(result.rows[row(path, 1) + outcomeColumn.maxDrawdown]).toBeCloseTo(13_200, 3);
    }
    // The sampled path's PnL at step ends: +6,000 after step 25, -7,200 after step 50, -4,560 at the horizon.
    const at = (step: number): number => result.pnlPaths[plan.market.steps + step - 1] ?? Number.NaN;
    expect(at(24)).toBeCloseTo(0, 3);
    expect(at(25)).toBeCloseTo(6000, 3);
    expect(at(50)).toBeCloseTo(-7200, 3);
    expect(at(plan.market.steps)).toBeCloseTo(-4560, 3);
  });

  it("isolated: liquidated on the fall with the $3,000 allocation lost, so 6,000 - (-3,000) = 9,000", () => {
    // The isolated long is liquidated near 57,229 ((3000 - 60000) / (0.004 - 1)); Binance settles at the
    // bankruptcy price, so the whole allocation is lost and the PnL stays at -3,000 (wallet 7,000 of 10,000).
    for (let path = 0; path < 3; path++) {
      expect(result.rows[row(path, 0) + outcomeColumn.liquidated]).toBe(1);
      expect(result.rows[row(path, 0) + outcomeColumn.loss]).toBeCloseTo(3000, 6);
      expect(result.rows[row(path, 0) + outcomeColumn.pnl]).toBeCloseTo(-3000, 6);
      expect(result.rows[row(path, 0) + outcomeColumn.maxDrawdown]).toBeCloseTo(9000, 3);
    }
  });

  it("is 0 on a path whose PnL never falls, and counts the exit fee after the horizon", () => {
    // A short perp on a flat price with fees on: -30 (entry fee, 0.05 % of 60,000) from the opening sample on,
    // then the exit fee of another 30 after the horizon: a fall of exactly 30 from the flat peak.
    const flat = `
name: flat
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1 }
modes: [cross]
costs: { fees: true, funding: false, closeAtHorizon: CLOSE }
market:
  horizon: 2d
  step: 1h
  assets:
${quietBtc}
`;
    const held = simulate(flat.replace("CLOSE", "false"), ["cross"], 2).result;
    const closed = simulate(flat.replace("CLOSE", "true"), ["cross"], 2).result;
    for (let path = 0; path < 2; path++) {
      expect(held.rows[path * outcomeWidth + outcomeColumn.maxDrawdown]).toBeCloseTo(0, 3);
      expect(closed.rows[path * outcomeWidth + outcomeColumn.maxDrawdown]).toBeCloseTo(30, 3);
      expect(closed.rows[path * outcomeWidth + outcomeColumn.pnl]).toBeCloseTo(-60, 3);
    }
  });
});

describe("per-account and per-route outcomes", () => {
  // Two accounts on Binance: `levered` holds a 1 BTC short on $3,000 ($3,000 allocated in isolated mode);
  // `safe` holds a 1 BTC long ($20,000 allocated, $30,000 deposited) and 1 BTC spot. Routes: `pair` = short +
  // long (one per account, as a cross-venue carry would be), and the spot leg, left out of the routes, is a route
  // of its own named after it. BTC rises 12 % within the hour after day 1.
  const text = `
name: two-accounts
accounts:
  - { name: levered, venue: binance-usdm, deposit: 3000 }
  - { name: safe, venue: binance-usdm, deposit: 30000 }
legs:
  - { name: short-perp, account: levered, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-perp, account: safe, type: perp, symbol: BTCUSDT, side: long, qty: 1, isolatedMargin: 20000 }
  - { name: long-spot, account: safe, type: spot, asset: BTC, side: long, qty: 1 }
routes:
  - { name: pair, legs: [short-perp, long-perp] }
costs: ${costs}
market:
  horizon: 3d
  step: 1h
  assets:
${quietBtc}
  stress:
    - { at: 1d, over: 1h, move: 0.12 }
`;
  const modes: MarginMode[] = ["isolated", "cross"];
  const paths = 2;
  const { plan, result } = simulate(text, modes, paths);
  const accounts = plan.entities.accounts.length;
  const routes = plan.entities.routes.length;
  const account = (path: number, m: number, e: number, field: keyof typeof accountOutcomeColumn): number =>
    result.accountRows[((path * modes.length + m) * accounts + e) * accountOutcomeWidth + accountOutcomeColumn[field]] ?? Number.NaN;
  const route = (path: number, m: number, e: number, field: keyof typeof routeOutcomeColumn): number =>
    result.routeRows[((path * modes.length + m) * routes + e) * routeOutcomeWidth + routeOutcomeColumn[field]] ?? Number.NaN;

  it("names the accounts holding positions and the routes, in order", () => {
    expect(plan.entities.accounts).toEqual(["levered", "safe"]);
    expect(plan.entities.routes).toEqual(["pair", "long-spot"]);
    expect(result.accountRows.length).toBe(paths * modes.length * 2 * accountOutcomeWidth);
    expect(result.routeRows.length).toBe(paths * modes.length * 2 * routeOutcomeWidth);
  });

  // The short is liquidated at L = (3000 + 60000 + 50) / 1.005 = 62,736.32 (bracket 2), reached inside the step
  // after day 1, in both modes (the cross wallet is the same $3,000). Within a step the price moves log-linearly
  // from the step's start (60,000) to its high (67,200: the market is quiet, so the high is the step's end), so
  // the crossing is at the fraction ln(L / 60,000) / ln(1.12) = 0.3935 of the hour: 86,400 + 1,416.6 s. The
  // bisection locates it to 1e-9 of the step (3.6 us).
  const liquidatedAt = 86_400 + (3600 * Math.log(63_050 / 1.005 / 60_000)) / Math.log(1.12);

  it("liquidates the levered account in the pump hour and leaves the safe one alone", () => {
    for (let path = 0; path < paths; path++) {
      for (let m = 0; m < modes.length; m++) {
        expect(account(path, m, 0, "liquidated")).toBe(1);
        expect(account(path, m, 0, "liquidatedAt")).toBeCloseTo(liquidatedAt, 4);
        expect(account(path, m, 0, "minDistanceToLiquidation")).toBe(0);
        expect(account(path, m, 1, "liquidated")).toBe(0);
        expect(account(path, m, 1, "liquidatedAt")).toBeNaN();
        expect(account(path, m, 1, "loss")).toBe(0);
      }
      // Isolated, bankruptcy settlement: the whole $3,000 allocation. Cross: the realised loss at the fill,
      // 62,736.3 - 60,000 = 2,736.3 (the located crossing rounded to the 0.1 tick); the wallet keeps the rest.
      expect(account(path, 0, 0, "loss")).toBeCloseTo(3000, 6);
      expect(account(path, 1, 0, "loss")).toBeGreaterThan(2736.2);
      expect(account(path, 1, 0, "loss")).toBeLessThan(2736.45);
      // The safe long is worst at the flat 60,000: isolated on $20,000, L = (20000 - 60000) / (0.004 - 1) =
      // 40,160.64, distance 0.330656; cross on the $30,000 wallet, L = 30,120.48, distance 0.497992.
      expect(account(path, 0, 1, "minDistanceToLiquidation")).toBeCloseTo(1 - 40_000 / 0.996 / 60_000, 6);
      expect(account(path, 1, 1, "minDistanceToLiquidation")).toBeCloseTo(1 - 30_000 / 0.996 / 60_000, 6);
    }
  });

  it("marks the pair route liquidated and its hedge broken (the long lives on), and the spot route untouched", () => {
    for (let path = 0; path < paths; path++) {
      for (let m = 0; m < modes.length; m++) {
        expect(route(path, m, 0, "liquidated")).toBe(1);
        expect(route(path, m, 0, "liquidatedAt")).toBeCloseTo(liquidatedAt, 4);
        expect(route(path, m, 0, "hedgeBroken")).toBe(1);
        expect(route(path, m, 0, "hedgeBrokenAt")).toBeCloseTo(liquidatedAt, 4);
        expect(route(path, m, 1, "liquidated")).toBe(0);
        expect(route(path, m, 1, "liquidatedAt")).toBeNaN();
        expect(route(path, m, 1, "hedgeBroken")).toBe(0);
        expect(route(path, m, 1, "hedgeBrokenAt")).toBeNaN();
        // The mode's row agrees: liquidated and hedge broken at the same time, the loss is the levered account's.
        const row = (path * modes.length + m) * outcomeWidth;
        expect(result.rows[row + outcomeColumn.hedgeBrokenAt]).toBeCloseTo(liquidatedAt, 4);
        expect(result.rows[row + outcomeColumn.loss]).toBe(account(path, m, 0, "loss"));
        expect(result.rows[row + outcomeColumn.minDistanceToLiquidation]).toBe(0);
      }
    }
  });
});

describe("distance to liquidation at every step end of the sampled paths", () => {
  it("is the closed-form distance of a lone cross short, moving with the mark, and empty once liquidated", () => {
    // $3,000 cross wallet behind a 1 BTC short: L = 62,736.32 while the price is flat at 60,000 (distance
    // 0.0456053), then liquidated in the +12 % hour after day 1: no open position, an empty (NaN) cell.
    const text = `
name: lone-short
accounts: [{ name: futures, venue: binance-usdm, deposit: 3000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1 }
modes: [cross]
costs: ${costs}
market:
  horizon: 2d
  step: 1h
  assets:
${quietBtc}
  stress:
    - { at: 1d, over: 1h, move: 0.12 }
`;
    const { result } = simulate(text, ["cross"], 2, 1);
    expect(result.distancePaths.length).toBe(48);
    for (let s = 0; s < 24; s++) expect(result.distancePaths[s]).toBeCloseTo(63_050 / 1.005 / 60_000 - 1, 9);
    for (let s = 24; s < 48; s++) expect(result.distancePaths[s]).toBeNaN();
  });
});

describe("minDistanceToLiquidation: the smallest distance over the path", () => {
  it("is at most the distance at every step end of a sampled path, for accounts with a closed-form price", () => {
    // The canonical carry at 1 h (jumps, basis and funding on): every step's box holds the step's end, and between
    // two steps the balances change only at the funding settlement at the step end, which the sampled distance
    // already counts; so the path's smallest distance (at the boxes' adverse marks) is at most every sampled
    // distance but the last (the horizon's settlement has no step after it). Isolated and cross only: portfolio
    // uses the solver. Before the exact tracking, the distance at the point of lowest linearised surplus broke
    // this on paths where funding moved the balances between two near-equal peaks.
    const text = readFileSync(new URL("../../../../scenarios/funding-arb-btc.yaml", import.meta.url), "utf8").replace("\nmarket:\n", "\nmarket:\n  step: 1h\n");
    const modes: MarginMode[] = ["isolated", "cross"];
    const paths = 400;
    const { plan, result } = simulate(text, modes, paths, paths);
    const steps = plan.market.steps;
    let compared = 0;
    for (let path = 0; path < paths; path++) {
      for (let m = 0; m < modes.length; m++) {
        const smallest = result.rows[(path * modes.length + m) * outcomeWidth + outcomeColumn.minDistanceToLiquidation] ?? Number.NaN;
        for (let s = 0; s < steps - 1; s++) {
          const sampled = result.distancePaths[(path * modes.length + m) * steps + s] ?? Number.NaN;
          if (Number.isNaN(sampled)) continue;
          expect(smallest).toBeLessThanOrEqual(sampled);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(paths * steps);
  });

  it("counts the point where a top-up's trigger fires, before the money moves in", () => {
    // Isolated short 1 @ 60,000 on $3,000: L = (3,000 + 60,000 + 50) / 1.005 = 62,736.32. A top-up of $1,000 at
    // 3 % fires where the mark times 1.03 reaches L (60,909.05), inside the +3 % hour after day 1; after it,
    // L' = (4,000 + 60,000 + 50) / 1.005 = 63,731.34, and at the hour's high (61,800) the distance is
    // 63,731.34 / 61,800 - 1 = 0.031251, above 3 %. So the smallest distance is 3 %, at the firing point. Passive,
    // the high gives 62,736.32 / 61,800 - 1 = 0.015151.
    const text = `
name: top-up-distance
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
modes: [isolated]
costs: ${costs}
market:
  horizon: 2d
  step: 1h
  assets:
${quietBtc}
  stress:
    - { at: 1d, over: 1h, move: 0.03 }
policies:
  - { kind: topUp, name: top-up, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: free-balance, maxTotal: 1000 }
`;
    const { result } = simulate(text, ["isolated"], 2);
    for (let path = 0; path < 2; path++) {
      const managed = result.rows[(path * 2 + 0) * outcomeWidth + outcomeColumn.minDistanceToLiquidation] ?? Number.NaN;
      const passive = result.rows[(path * 2 + 1) * outcomeWidth + outcomeColumn.minDistanceToLiquidation] ?? Number.NaN;
      expect(managed).toBeCloseTo(0.03, 7);
      expect(passive).toBeCloseTo(63_050 / 1.005 / 61_800 - 1, 7);
    }
  });
});
