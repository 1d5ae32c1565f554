import { parseScenario } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { modeSummaryWith } from "../summary/mode-summary-filler.test-support.js";
import type { RunSummary } from "../summary/run-summary.js";
import { marginPutUp, summaryNotes } from "./summary-notes.js";

const scenario = parseScenario(
  `name: notes
accounts:
  - { name: futures, venue: binance-usdm, deposit: 10000 }
  - { name: hedge, venue: binance-usdm, deposit: 4000, mode: cross }
  - { name: spot, venue: binance-usdm, deposit: 2000 }
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-perp, account: hedge, type: perp, symbol: ETHUSDT, side: long, qty: 1, isolatedMargin: 500 }
  - { name: long-spot, account: spot, type: spot, asset: BTC, side: long, qty: 1 }
modes: [isolated, cross]
market: { horizon: 1d, assets: { BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } }, ETH: { price: 3000, model: { kind: gbm, volatility: 0.6 } } } }
`,
  "notes.yaml",
);

function summaryOf(modes: RunSummary["modes"]): RunSummary {
  return { scenario: "notes", scenarioSha256: "a".repeat(64), seed: "1", paths: 1000, horizonSeconds: 86_400, modes };
}

const loss = (mean: number): NonNullable<ReturnType<typeof modeSummaryWith>["lossGivenLiquidation"]> => ({ mean, meanCi: null, median: mean, medianCi: null, p95: mean, p95Ci: null });

describe("marginPutUp", () => {
  it("counts isolated allocations, and the deposit of an account that backs perps in cross (a pinned account keeps its mode)", () => {
    // isolated: futures allocates 3,000; hedge is pinned to cross, so its 4,000 deposit; the spot account backs no perp.
    expect(marginPutUp(scenario, "isolated")).toBe(3000 + 4000);
    expect(marginPutUp(scenario, "cross")).toBe(10_000 + 4000);
  });
});

describe("summaryNotes", () => {
  it("marks a mean loss given liquidation above the margin put up, and only that mode", () => {
    const notes = summaryNotes(summaryOf({ isolated: modeSummaryWith({ lossGivenLiquidation: loss(6900) }), cross: modeSummaryWith({ lossGivenLiquidation: loss(14_300) }) }), scenario);
    expect(notes.lossAboveMargin?.labels).toEqual(["cross"]);
    expect(notes.lossAboveMargin?.text).toContain("(cross 14,000)");
    expect(notes.profitDespiteLiquidation).toBeUndefined();
  });

  it("counts liquidated paths that end in profit", () => {
    const notes = summaryNotes(summaryOf({ isolated: modeSummaryWith({ liquidations: 40, pnlGivenLiquidation: { mean: 12, meanCi: null, positive: 17 } }), cross: modeSummaryWith({}) }), scenario);
    expect(notes.profitDespiteLiquidation?.labels).toEqual(["isolated"]);
    expect(notes.profitDespiteLiquidation?.text).toContain("isolated on 17 of its 40 liquidated paths");
    expect(notes.lossAboveMargin).toBeUndefined();
  });
});
