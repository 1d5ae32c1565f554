import { readFileSync } from "node:fs";
import { joinPriceHistory, parseScenario, parseVenueProfile, readPriceCsv, timestampSeconds, type Scenario, type VenueProfile } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { planEvaluation } from "../kernel/evaluation-plan.js";
import { RouteEvaluator } from "../kernel/route-evaluator.js";
import { allocateOutputs } from "../kernel/simulate-chunk.js";
import { backtestRoute, evaluateWindow, type BacktestOutcome } from "./backtest-route.js";
import type { HistoryBars } from "./backtest-windows.js";
import { allocateWindowPath, fillWindowPath, windowGrid } from "./history-window-path.js";

const binance = parseVenueProfile(readFileSync(new URL("../../../core/venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");
const venues = new Map<string, VenueProfile>([["binance-usdm", binance]]);
const tick = binance.symbols.BTCUSDT?.tickSize ?? Number.NaN;

/** The shipped hourly BTC history between two UTC dates, as the backtest reads it (a bar closes an hour after it opens). */
function shippedHistory(from: string, to: string): HistoryBars {
  const file = new URL("../../../../scenarios/data/btc-usd-1h-2019-2025.csv", import.meta.url);
  const history = joinPriceHistory([readPriceCsv(readFileSync(file, "utf8"), "btc-usd-1h-2019-2025.csv")], { from: timestampSeconds(from, "iso-8601"), to: timestampSeconds(to, "iso-8601") });
  return {
    closeTime: Float64Array.from(history.rows, (r) => r.time + history.step),
    high: Float64Array.from(history.rows, (r) => r.high),
    low: Float64Array.from(history.rows, (r) => r.low),
    close: Float64Array.from(history.rows, (r) => r.close),
    step: history.step,
  };
}

/** The shipped funding carry, with a 7-day horizon so the test is quick. */
function carry(): Scenario {
  const text = readFileSync(new URL("../../../../scenarios/funding-arb-btc.yaml", import.meta.url), "utf8");
  return parseScenario(text.replace("horizon: 30d", "horizon: 7d"), "funding-arb-btc.yaml");
}

describe("backtestRoute: the scenario's price frame is the route opened at the scenario's notional", () => {
  // Each window opens the route with every leg's quantity scaled by 60,000 / the opening price. backtestRoute
  // does this in the scenario's frame (prices x scale, quantities as written) so that the route is opened once;
  // here each window is also evaluated the literal way: the scenario rewritten with scaled quantities, opened at
  // the history's own prices. Every amount is qty x price in both, so the two agree but for the tick: a price is
  // booked at the venue's 0.1 tick on its own scale, at most half a tick off per fill (the entry and the horizon
  // exit, on the scaled quantity; funding and fees move by that over 10^4 and less), and a liquidation price is
  // located against an entry booked up to half a tick away, a relative 0.05 / 4,000 ~ 1e-5 at the lows of 2020.
  const history = shippedHistory("2020-02-01", "2020-05-01");
  const scenario = carry();
  const modes = ["isolated", "cross", "portfolio"] as const;
  const result = backtestRoute({ scenario, venues, modes, baseline: false, history, funding: null, everySeconds: 86_400 });
  const asset = scenario.market?.assets.BTC;
  if (asset === undefined) throw new Error("the carry prices BTC");
  const btc = asset;

  function literal(openRow: number): BacktestOutcome[] {
    const openClose = history.close[openRow] ?? Number.NaN;
    const scale = btc.price / openClose;
    const scaled: Scenario = { ...scenario, legs: scenario.legs.map((leg) => ({ ...leg, qty: leg.qty * scale })) };
    const market = { asset: "BTC", openingPrice: openClose, basis: btc.basis?.mean ?? 0, fundingMean: btc.funding?.mean ?? 0, fundingCoupling: btc.funding?.returnCoupling ?? 0, fundingVenueOffset: new Map<string, number>() };
    const plan = planEvaluation({ scenario: scaled, venues, modes, baseline: false, grid: windowGrid(market, result.layout.stepsPerWindow, 3600), scriptedAdl: [], adlModel: null });
    const path = allocateWindowPath(result.layout.stepsPerWindow);
    const evaluator = new RouteEvaluator(plan, path);
    fillWindowPath(history, null, market, openRow, 1, path);
    evaluator.startPath();
    const outputs = allocateOutputs(evaluator.widths, 1, 0);
    return plan.evaluations.map((_, e) => evaluateWindow(evaluator, outputs, e, 1));
  }

  it("liquidates the same windows, at the same time and price, for the same PnL (to the tick)", () => {
    // Feb-Apr 2020 holds the March crash and its rebound: isolated and cross are liquidated in many windows.
    expect(result.windows.length).toBe(83);
    let liquidations = 0;
    for (const window of result.windows) {
      const expected = literal(window.openRow);
      window.outcomes.forEach((outcome, e) => {
        const other = expected[e];
        const where = `window ${String(window.k)} ${modes[e] ?? ""}`;
        expect(outcome.liquidated, where).toBe(other?.liquidated);
        expect(outcome.hedgeBroken, where).toBe(other?.hedgeBroken);
        if (outcome.liquidated) {
          liquidations++;
          expect(Math.abs((outcome.liquidatedAt ?? 0) - (other?.liquidatedAt ?? 0)), where).toBeLessThan(60);
          expect(Math.abs((outcome.liquidationPrice ?? 0) / (other?.liquidationPrice ?? 1) - 1), where).toBeLessThan(2e-5);
        }
        // Two fills of the scaled short, each within half a tick: |difference| <= tick x scaled quantity, plus a cent.
        expect(Math.abs(outcome.pnl - (other?.pnl ?? Number.NaN)), where).toBeLessThanOrEqual(tick * window.quantityScale + 0.01);
        expect(outcome.capitalEmployed, where).toBeCloseTo(other?.capitalEmployed ?? Number.NaN, 0);
      });
    }
    expect(liquidations).toBeGreaterThan(40);
  });
});

describe("backtestRoute: funding from a file", () => {
  it("settles every 8 h from the window's opening at the rate in force, converted per 8 h", () => {
    // 18 hourly rows flat at 100, the first closing at 01:00. One 16 h window opens at the close of row 0 (01:00)
    // and settles at +8 h (09:00) and +16 h (17:00). The file settled at 00:00 (+0.01 %), 08:00 (+0.03 %) and
    // 16:00 (-0.02 %): the rates in force at 09:00 and 17:00 are +0.03 % and -0.02 %. The short's notional is the
    // scenario's, 0.5 x 60,000 = 30,000 at every settlement (flat price, no basis), so it receives
    // 30,000 x 0.0003 - 30,000 x 0.0002 = 9 - 6 = 3.
    const start = timestampSeconds("2024-01-01", "iso-8601");
    const rows = 18;
    const history: HistoryBars = {
      closeTime: Float64Array.from({ length: rows }, (_, r) => start + 3600 * (r + 1)),
      high: new Float64Array(rows).fill(100),
      low: new Float64Array(rows).fill(100),
      close: new Float64Array(rows).fill(100),
      step: 3600,
    };
    const scenario = parseScenario(
      `name: funded
accounts: [{ name: futures, venue: binance-usdm, deposit: 5000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 0.5, isolatedMargin: 1500 }
costs: { fees: false }
market:
  horizon: 16h
  step: 1h
  assets:
    BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 }, funding: { mean: 0.001, stdDev: 0.0001, halfLife: 1d, returnCoupling: 0.5 } }
`,
      "funded.yaml",
    );
    const funding = { time: Float64Array.of(start, start + 8 * 3600, start + 16 * 3600), perEightHours: Float64Array.of(0.0001, 0.0003, -0.0002) };
    const result = backtestRoute({ scenario, venues, modes: ["isolated", "cross"], baseline: false, history, funding, everySeconds: 86_400 });
    expect(result.windows.length).toBe(1);
    // The scenario's mean (0.1 %) and coupling play no part once a file gives the rates.
    expect(result.market.fundingCoupling).toBe(0);
    for (const outcome of result.windows[0]?.outcomes ?? []) expect(outcome.fundingReceived).toBeCloseTo(3, 10);
  });

  it("refuses funding files that start after a window's first settlement, naming --funding", () => {
    const start = timestampSeconds("2024-01-01", "iso-8601");
    const history: HistoryBars = { closeTime: Float64Array.from({ length: 30 }, (_, r) => start + 3600 * (r + 1)), high: new Float64Array(30).fill(100), low: new Float64Array(30).fill(100), close: new Float64Array(30).fill(100), step: 3600 };
    const scenario = carry();
    const late = { time: Float64Array.of(start + 86_400), perEightHours: Float64Array.of(0.0001) };
    expect(() => backtestRoute({ scenario: { ...scenario, market: scenario.market === undefined ? undefined : { ...scenario.market, horizon: 16 * 3600 } }, venues, modes: ["cross"], baseline: false, history, funding: late, everySeconds: 3600 })).toThrow(
      /^--funding: no settlement at or before 2024-01-01T09:00:00Z/,
    );
  });
});
