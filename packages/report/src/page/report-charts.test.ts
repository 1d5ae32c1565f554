import { parseScenario } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import { modeScale } from "../charts/report-chart.js";
import { evaluateLimits } from "../gate/evaluate-limits.js";
import { pageStyles } from "../html/page-styles.js";
import { outcomeFields, type ModeOutcomes } from "../summary/mode-outcomes.js";
import type { RunSummary } from "../summary/run-summary.js";
import { summariseMode } from "../summary/summarise-mode.js";
import { reportCharts } from "./report-charts.js";
import type { RunReportInput } from "./report-input.js";

// The run page's charts as a reader needs them: the modes on one PnL axis, money in the venue's currency, the
// scenario's limits drawn where they apply, and mode colours that are colour-blind-safe and never the FAIL red.

const day = 86_400;
function outcomes(pnl: readonly number[]): ModeOutcomes {
  const columns = Object.fromEntries(outcomeFields.map((field) => [field, new Float64Array(pnl.length)])) as Record<(typeof outcomeFields)[number], Float64Array>;
  pnl.forEach((value, i) => {
    columns.liquidated[i] = i === 0 ? 1 : 0;
    columns.liquidatedAt[i] = i === 0 ? 3600 : Number.NaN;
    columns.hedgeBrokenAt[i] = Number.NaN;
    columns.pnl[i] = value;
    columns.capitalEmployed[i] = 1000;
    columns.minDistanceToLiquidation[i] = 0.05;
  });
  return { paths: pnl.length, columns };
}
const isolatedPnl = Float64Array.from([-3000, -10, 5, 20]);
const crossPnl = Float64Array.from([-9000, 40, 60, 80]);
const summary: RunSummary = {
  scenario: "charts",
  scenarioSha256: "c".repeat(64),
  seed: "1",
  paths: 4,
  horizonSeconds: day,
  modes: { isolated: summariseMode(outcomes([...isolatedPnl]), { horizonSeconds: day }), cross: summariseMode(outcomes([...crossPnl]), { horizonSeconds: day }) },
};
const scenario = parseScenario(
  `name: charts
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs: [{ name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }]
modes: [isolated, cross]
market: { horizon: 1d, assets: { BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } } } }
limits:
  - { mode: cross, metric: liquidationProbability, max: 0.3 }
  - { mode: isolated, metric: valueAtRisk99, max: 12000 }
  - { mode: cross, account: futures, metric: liquidationProbability, max: 0.2 }
`,
  "charts.yaml",
);
const input: RunReportInput = {
  summary,
  manifest: { version: "0", scenario: { name: "charts", file: "charts.yaml", sha256: "c".repeat(64) }, seed: "1", modes: ["isolated", "cross"], paths: 4, steps: 24, stepSeconds: 3600, horizonSeconds: day, reservoirPaths: 0, stopReason: "paths", precision: null, gitCommit: null, execution: {} },
  scenario,
  scenarioText: "",
  gate: evaluateLimits(scenario.limits, summary),
  pnlByMode: new Map([["isolated", isolatedPnl], ["cross", crossPnl]]),
  reservoir: null,
  quoteCurrency: "USDT",
};
const charts = reportCharts(input);
const chart = (name: string) => {
  const found = charts.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no chart ${name}`);
  return found;
};

describe("run report charts", () => {
  it("compile to Vega", () => {
    for (const c of charts) expect(() => compile(c.spec), c.name).not.toThrow();
  });

  it("put every mode's final PnL on one axis: the same 40 buckets over the smallest to the largest PnL of any mode", () => {
    const records = chart("pnl-distribution").records.filter((r) => r.from !== null);
    for (const mode of ["isolated", "cross"]) {
      const buckets = records.filter((r) => r.mode === mode);
      expect(buckets).toHaveLength(40);
      expect(buckets[0]?.from).toBe(-9000); // the smallest PnL of either mode (cross)
      expect(buckets[39]?.to).toBe(80); // the largest (cross)
      expect(buckets.reduce((sum, r) => sum + Number(r.paths), 0)).toBe(4);
    }
    expect(JSON.stringify(chart("pnl-distribution").spec)).not.toContain("independent");
  });

  it("titles money in the venue's quote currency and shares with what they are", () => {
    const text = JSON.stringify(charts.map((c) => c.spec));
    expect(text).toContain("final PnL (USDT)");
    expect(text).toContain("mean per path (USDT)");
    expect(text).not.toContain("quote currency");
    expect(text).toContain('"title":"share"');
    expect(text).toContain("share of paths not liquidated");
  });

  it("draws the mode-wide limits on their charts: a probability bound beside its figure, a VaR bound at the PnL it allows", () => {
    const ticks = chart("liquidation-probability").records.filter((r) => r.limitValue !== null);
    // The account-scoped limit (futures, 0.2) is judged on a figure this chart does not show, so it is not drawn.
    expect(ticks).toEqual([{ mode: "cross", event: "liquidation", probability: null, low: null, high: null, limit: "liquidationProbability ≤ 0.3", limitValue: 0.3 }]);
    const rules = chart("pnl-distribution").records.filter((r) => r.limitPnl !== null);
    expect(rules).toEqual([{ mode: "isolated", from: null, to: null, paths: null, share: null, limit: "valueAtRisk99 ≤ 12000", limitPnl: -12000 }]);
  });

  it("colours the modes from Okabe and Ito's colour-blind-safe palette, none of them the FAIL red", () => {
    const fail = /--fail: (#[0-9a-f]{6})/i.exec(pageStyles)?.[1]?.toLowerCase();
    expect(fail).toBe("#a61b29");
    expect(modeScale.range).toEqual(["#E69F00", "#0072B2", "#009E73"]);
    const used = JSON.stringify(charts.map((c) => c.spec)).toLowerCase();
    expect(used).not.toContain(fail);
  });
});
