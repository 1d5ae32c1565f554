import { readFileSync } from "node:fs";
import { liquidationPrice, parseScenario, parseVenueProfile, perpetualTerms, type MarginMode } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { outcomeColumn, outcomeWidth } from "./outcome-fields.js";
import { RouteKernel } from "./route-kernel.js";
import { simulateChunk } from "./simulate-chunk.js";
import { planSimulation } from "./simulation-plan.js";

const binance = parseVenueProfile(readFileSync(new URL("../../../core/venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");
const venues = new Map([["binance-usdm", binance]]);

function scenario(market: string, costs = "{ fees: false, funding: false, closeAtHorizon: false }"): string {
  return `
name: kernel-test
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }
costs: ${costs}
market:
${market}
`;
}

function run(text: string, modes: MarginMode[], paths: number, seed = "7") {
  const parsed = parseScenario(text, "kernel-test.yaml");
  const plan = planSimulation({ scenario: parsed, venues, bootstrap: new Map(), modes, seed, reservoirPaths: 0 });
  const result = simulateChunk(new RouteKernel(plan), 0, { firstPath: 0, paths });
  const column = (m: number, field: keyof typeof outcomeColumn): Float64Array =>
    Float64Array.from({ length: paths }, (_, i) => result.rows[(i * modes.length + m) * outcomeWidth + outcomeColumn[field]] ?? Number.NaN);
  return { plan, column };
}

/**
 * Standard normal CDF from Numerical Recipes' erfcc (fractional error < 1.2e-7 everywhere): ample against the
 * ~1e-2 sampling tolerance below, and independent of the code under test.
 */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc =
    t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

describe("RouteKernel on a jump-free, fee-free, funding-free GBM", () => {
  // sigma 0.6, 30 days, no basis: the isolated short is liquidated exactly when the continuously monitored
  // maximum of S reaches its closed-form liquidation price L. For X = ln S with drift nu = mu - sigma^2/2:
  //   P(max_{t<=T} S_t >= L) = N((-b + nu T)/(sigma sqrt T)) + exp(2 nu b / sigma^2) N((-b - nu T)/(sigma sqrt T)),
  // b = ln(L / S0) (reflection principle; Shreve, Stochastic Calculus for Finance II, 7.2).
  const sigma = 0.6;
  const horizonDays = 30;
  const market = (step: string): string => `  horizon: ${horizonDays}d
  step: ${step}
  assets:
    BTC: { price: 60000, model: { kind: gbm, drift: 0, volatility: ${sigma} } }`;
  const terms = perpetualTerms(binance, "BTCUSDT");
  const barrier = liquidationPrice({ terms: { ...terms, takerFeeRate: 0, liquidationFeeRate: 0 }, side: -1, quantity: 1, entryPrice: 60000, collateral: 3000 }).liquidationPrice ?? Number.NaN;
  const T = horizonDays / 365;
  const nu = -0.5 * sigma * sigma;
  const b = Math.log(barrier / 60000);
  const closedForm = normalCdf((-b + nu * T) / (sigma * Math.sqrt(T))) + Math.exp((2 * nu * b) / (sigma * sigma)) * normalCdf((-b - nu * T) / (sigma * Math.sqrt(T)));

  for (const [step, paths] of [["8h", 6000], ["1h", 1500]] as const) {
    it(`gives the closed-form isolated liquidation probability with a ${step} step`, () => {
      const { column } = run(scenario(market(step)), ["isolated"], paths);
      const liquidated = column(0, "liquidated").reduce((sum, x) => sum + x, 0) / paths;
      // Binomial standard error sqrt(p (1 - p) / N); 4 standard errors (false alarm ~6e-5 with a fixed seed).
      const tolerance = 4 * Math.sqrt((closedForm * (1 - closedForm)) / paths);
      expect(Math.abs(liquidated - closedForm), `computed ${liquidated}, closed form ${closedForm}, tolerance ${tolerance}`).toBeLessThan(tolerance);
    });
  }

  it("liquidates at the closed-form price and loses exactly the allocation (no fees)", () => {
    const { column } = run(scenario(market("8h")), ["isolated"], 200);
    const losses = column(0, "loss").filter((_, i) => column(0, "liquidated")[i] === 1);
    expect(losses.length).toBeGreaterThan(0);
    // Closed at L: realised loss L - 60000 booked at the tick, against the $3,000 allocation, the rest seized.
    for (const loss of losses) expect(loss).toBeCloseTo(3000, 6);
  });
});

describe("RouteKernel across modes (common random numbers)", () => {
  const market = `  horizon: 10d
  step: 1h
  assets:
    BTC:
      price: 60000
      model: { kind: jump-diffusion, volatility: 0.5, jumps: { up: { intensity: 20, mean: 0.05, stdDev: 0.02 } } }
      basis: { mean: 0.0002, stdDev: 0.0005, halfLife: 6h }
      funding: { mean: 0.0001, stdDev: 0.0001, halfLife: 1d, returnCoupling: 0.01 }`;
  const modes: MarginMode[] = ["isolated", "cross", "portfolio"];
  const { column } = run(scenario(market, "{ fees: true, funding: true, closeAtHorizon: true }"), modes, 400);

  it("liquidates isolated on every path where cross is liquidated, and portfolio never before cross", () => {
    // Same path in every mode: the cross account backs the short with $10,000 > $3,000, so any path that
    // liquidates cross liquidates isolated; portfolio nets the spot against the short.
    const isolated = column(0, "liquidated");
    const cross = column(1, "liquidated");
    const portfolio = column(2, "liquidated");
    for (let i = 0; i < 400; i++) {
      if (cross[i] === 1) expect(isolated[i]).toBe(1);
      if (portfolio[i] === 1) expect(cross[i]).toBe(1);
    }
    expect(isolated.reduce((a, b) => a + b, 0)).toBeGreaterThan(cross.reduce((a, b) => a + b, 0));
  });

  it("pays the same funding in every mode on a path where no mode was liquidated", () => {
    const liquidatedSomewhere = (i: number): boolean => modes.some((_, m) => column(m, "liquidated")[i] === 1);
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      if (liquidatedSomewhere(i)) continue;
      expect(column(1, "fundingReceived")[i]).toBe(column(0, "fundingReceived")[i]);
      expect(column(2, "fundingReceived")[i]).toBe(column(0, "fundingReceived")[i]);
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });

  it("breaks the hedge whenever the perp is liquidated (the spot leg always lives)", () => {
    for (let m = 0; m < modes.length; m++) {
      const liquidated = column(m, "liquidated");
      const broken = column(m, "hedgeBroken");
      for (let i = 0; i < 400; i++) expect(broken[i]).toBe(liquidated[i]);
    }
  });

  it("is reproducible: the same seed gives the same rows, another seed different ones", () => {
    const again = run(scenario(market, "{ fees: true, funding: true, closeAtHorizon: true }"), modes, 50);
    const other = run(scenario(market, "{ fees: true, funding: true, closeAtHorizon: true }"), modes, 50, "8");
    expect(Array.from(again.column(2, "pnl"))).toEqual(Array.from(column(2, "pnl").subarray(0, 50)));
    expect(Array.from(other.column(2, "pnl"))).not.toEqual(Array.from(column(2, "pnl").subarray(0, 50)));
  });
});

describe("RouteKernel with a scripted stress overlay", () => {
  it("liquidates the isolated short on day 3 when a +12 % hour is scripted into a quiet market", () => {
    // Volatility 5 % a year: without the overlay the $3,000 short (liquidated at +4.56 %) is never reached in 5
    // days; the overlay adds ln(1.12) within the hour after day 3, so every path is liquidated in that hour.
    const market = `  horizon: 5d
  step: 1h
  assets:
    BTC: { price: 60000, model: { kind: gbm, volatility: 0.05 } }
  stress:
    - { at: 3d, over: 1h, move: 0.12 }`;
    // Inside the hour the price moves log-linearly from the step's start S0 to its high H ~ 1.12 S0, so the short is
    // liquidated at the fraction ln(L / S0) / ln(H / S0) of it; with S0 = 60,000 that is ln(1.045605) / ln(1.12) =
    // 0.3935. S0 carries 3 days of 5 % volatility (sd 0.0045 in log), which moves the fraction by ~0.04 a path:
    // every path is within [0.18, 0.62] of the hour (5 sd), and the mean of 100 within 0.02 of 0.3935 (5 sd of
    // the mean, plus the bridge's small excursion above the step's end).
    const { column } = run(scenario(market), ["isolated", "cross"], 100);
    const start = 3 * 86_400;
    let sum = 0;
    for (let i = 0; i < 100; i++) {
      expect(column(0, "liquidated")[i]).toBe(1);
      const fraction = ((column(0, "liquidatedAt")[i] ?? Number.NaN) - start) / 3600;
      expect(fraction).toBeGreaterThan(0.18);
      expect(fraction).toBeLessThan(0.62);
      sum += fraction;
      expect(column(1, "liquidated")[i]).toBe(0);
    }
    expect(Math.abs(sum / 100 - Math.log(63_050 / 1.005 / 60_000) / Math.log(1.12))).toBeLessThan(0.02);
  });
});

describe("RouteKernel at the horizon", () => {
  it("closes at the horizon's prices, not at the worst point it measured the distance from", () => {
    // A lone cross short of 1 BTC at $60,000, no fees or funding, in a market at 0.01 % volatility with a scripted
    // -10 % day: the price ends at $54,000 (to within ~$1 of noise), so closing there gains $6,000. The worst point
    // for the short was the start ($60,000); closing there would gain nothing.
    const text = `
name: horizon-exit
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1 }
modes: [cross]
costs: { fees: false, funding: false, closeAtHorizon: true }
market:
  horizon: 3d
  step: 1h
  assets:
    BTC: { price: 60000, model: { kind: gbm, volatility: 0.0001 } }
  stress:
    - { at: 1d, over: 1d, move: -0.10 }
`;
    const { column } = run(text, ["cross"], 20);
    for (const pnl of column(0, "pnl")) expect(Math.abs(pnl - 6_000)).toBeLessThan(5);
    for (const distance of column(0, "minDistanceToLiquidation")) expect(distance).toBeGreaterThan(0.1);
  });
});

describe("RouteKernel: a liquidation that realises a gain", () => {
  it("counts a short drained by negative funding and closed in profit as liquidated with no loss, never a negative one", () => {
    // $3,000 isolated behind a 1 BTC short with funding held at the -0.30 % floor from the start: about $180 per
    // 8 h leaves the allocation, while a scripted -3 % drift puts the short about $1,800 in profit. The allocation
    // (with that profit) runs below maintenance margin in about a week, so the short is liquidated with a
    // realised gain on the close: the record's loss (realised loss + fee + margin seized) would be negative.
    const text = `
name: funding-drain
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }
modes: [isolated]
market:
  horizon: 12d
  step: 1h
  assets:
    BTC: { price: 60000, model: { kind: gbm, volatility: 0.0001 } }
  stress:
    - { at: 0d, over: 12d, funding: floor }
    - { at: 0d, over: 2d, move: -0.03 }
`;
    const { column } = run(text, ["isolated"], 10);
    for (let i = 0; i < 10; i++) {
      expect(column(0, "liquidated")[i]).toBe(1);
      expect(column(0, "loss")[i]).toBeGreaterThanOrEqual(0);
    }
  });
});
