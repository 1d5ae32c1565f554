import { readFileSync } from "node:fs";
import { parseScenario, parseVenueProfile } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { outcomeColumn, outcomeWidth } from "./outcome-fields.js";
import { RouteKernel } from "./route-kernel.js";
import { simulateChunk } from "./simulate-chunk.js";
import { planSimulation } from "./simulation-plan.js";

const binance = parseVenueProfile(readFileSync(new URL("../../../core/venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");
const venues = new Map([["binance-usdm", binance]]);

// Stochastic ADL (market.adl, docs/methodology.md "Auto-deleveraging") on paths whose episodes are known by hand:
// the price is held by three scripted -20 % moves, each spread evenly in log over an hour (at 1 h, 4 h and 7 h),
// with a diffusion of 0.01 % a year (over the 10 h horizon its standard deviation is 1e-4 x sqrt(10 / 8,760) =
// 3.4e-6, a million times under the margins below). With 10-minute steps and within: 1h (6 steps), the move at
// the end of step s is 1 - index(s) / index(s - 6) on a fall. Inside the first fall (steps 7-12, the index at
// 0.8^(k/6) of 60,000 after k of them) it is 1 - 0.8^(4/6) = 13.8 % at step 10, under 15 %, and 1 - 0.8^(5/6) =
// 17.0 % at step 11, past it: an episode begins at step 11 (t = 6,600 s). It stays past 15 % through step 13
// (1 - 0.8^(5/6) again) and falls back to 1 - 0.8^(4/6) = 13.8 % at step 14, which re-arms it. The flat two hours
// before the next fall keep it under. So the falls give exactly three episodes, at steps 11, 29 and 47
// (t = 6,600, 17,400 and 28,200 s), and the short, entered at 60,000, is in profit at each (the mark is under
// 49,900). Each episode closes it with probability p = 0.3, on an independent uniform, until it is closed:
//   P(ADL at episode k) = p (1 - p)^(k - 1) = 0.3, 0.21, 0.147;  P(ADL on a path) = 1 - (1 - p)^3 = 0.657.
function scenario(probability: number): string {
  return `
name: adl-episodes
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }
costs: { fees: false, funding: false, closeAtHorizon: false }
market:
  horizon: 10h
  step: 10m
  assets:
    BTC: { price: 60000, model: { kind: gbm, drift: 0, volatility: 0.0001 } }
  stress:
    - { at: 1h, over: 1h, move: -0.2 }
    - { at: 4h, over: 1h, move: -0.2 }
    - { at: 7h, over: 1h, move: -0.2 }
  adl: { move: 0.15, within: 1h, probability: ${String(probability)} }
`;
}

function adlTimes(probability: number, paths: number): Float64Array {
  const plan = planSimulation({ scenario: parseScenario(scenario(probability), "adl-episodes.yaml"), venues, bootstrap: new Map(), modes: ["cross"], seed: "11", reservoirPaths: 0 });
  const result = simulateChunk(new RouteKernel(plan), 0, { firstPath: 0, paths });
  return Float64Array.from({ length: paths }, (_, i) => {
    const row = i * outcomeWidth;
    // adlAt is NaN on a path without ADL; the flag says the same.
    expect(result.rows[row + outcomeColumn.adl]).toBe(Number.isNaN(result.rows[row + outcomeColumn.adlAt] ?? 0) ? 0 : 1);
    // The spot leg lives on: an ADL close breaks the hedge, and nothing is liquidated (the short is in profit).
    expect(result.rows[row + outcomeColumn.liquidated]).toBe(0);
    return result.rows[row + outcomeColumn.adlAt] ?? Number.NaN;
  });
}

describe("stochastic ADL: once per episode, with the model's probability", () => {
  const episodes = [6600, 17_400, 28_200];

  it("closes the short at the episodes' times only, with the closed form's frequencies within 4 binomial standard errors", () => {
    const p = 0.3;
    const paths = 4000;
    const times = adlTimes(p, paths);
    const count = (t: number): number => times.filter((x) => x === t).length;
    expect(episodes.reduce((sum, t) => sum + count(t), 0) + times.filter(Number.isNaN).length).toBe(paths);
    // Each frequency is a binomial proportion: standard error sqrt(q (1 - q) / N); 4 of them (a false alarm about
    // 6e-5 each with a fixed seed). At N = 4,000 that is 0.029 for the ADL probability, well under its 0.1 gap to
    // two episodes (0.51) or four (0.76), and under the 0.343 gap to an ADL at every step past the threshold.
    const check = (observed: number, expected: number): void => {
      const tolerance = 4 * Math.sqrt((expected * (1 - expected)) / paths);
      expect(Math.abs(observed / paths - expected), `observed ${observed / paths}, closed form ${expected}, tolerance ${tolerance}`).toBeLessThan(tolerance);
    };
    episodes.forEach((t, k) => {
      check(count(t), p * (1 - p) ** k);
    });
    check(paths - times.filter(Number.isNaN).length, 1 - (1 - p) ** 3);
  });

  it("closes every path at the first episode with probability 1, and none with 0", () => {
    expect([...adlTimes(1, 50)]).toEqual(Array.from({ length: 50 }, () => episodes[0]));
    expect(adlTimes(0, 50).every(Number.isNaN)).toBe(true);
  });
});
