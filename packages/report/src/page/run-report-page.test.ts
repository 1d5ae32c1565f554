import { parseScenario } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { evaluateLimits } from "../gate/evaluate-limits.js";
import { outcomeFields, type ModeOutcomes } from "../summary/mode-outcomes.js";
import type { RunSummary } from "../summary/run-summary.js";
import { summariseMode } from "../summary/summarise-mode.js";
import type { RunReportInput } from "./report-input.js";
import { runReportPage } from "./run-report-page.js";

const attack = "</script><script>alert(1)</script>";
const day = 86_400;

function outcomes(pnl: readonly number[], liquidatedPaths: number): ModeOutcomes {
  const columns = Object.fromEntries(outcomeFields.map((field) => [field, new Float64Array(pnl.length)])) as Record<(typeof outcomeFields)[number], Float64Array>;
  pnl.forEach((value, i) => {
    const hit = i < liquidatedPaths;
    columns.liquidated[i] = hit ? 1 : 0;
    columns.liquidatedAt[i] = hit ? 3600 * (i + 1) : Number.NaN;
    columns.hedgeBrokenAt[i] = Number.NaN;
    columns.loss[i] = hit ? 100 : 0;
    columns.pnl[i] = value;
    columns.fundingReceived[i] = i % 2 === 0 ? 12 : -4;
    columns.tradingFees[i] = 2;
    columns.capitalEmployed[i] = 1000;
    columns.minDistanceToLiquidation[i] = hit ? 0 : 0.05;
  });
  return { paths: pnl.length, columns };
}

const pnl = [-100, 10, 20, 30, 40, 50, 60, 70];
const summary: RunSummary = {
  scenario: "escape-test",
  scenarioSha256: "a".repeat(64),
  seed: "7",
  paths: pnl.length,
  horizonSeconds: day,
  modes: { isolated: summariseMode(outcomes(pnl, 2), { horizonSeconds: day }), cross: summariseMode(outcomes(pnl, 0), { horizonSeconds: day }) },
};
const scenarioText = `# Question: ${attack} which mode?
# Answer: a stored answer the page must not show
name: escape-test
description: "${attack} & <b>bold</b>"
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
modes: [isolated, cross]
market: { horizon: 1d, assets: { BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } } } }
limits:
  - { mode: cross, metric: liquidationProbability, max: 0.001 }
`;
// The schema allows only letters, digits, '.', '_' and '-' in names; the page must still be safe if one slipped through.
const scenario = { ...parseScenario(scenarioText, "escape.yaml"), name: attack };
const input: RunReportInput = {
  summary,
  manifest: {
    version: "0.1.0",
    scenario: { name: "escape-test", file: `scenarios/${attack}.yaml`, sha256: summary.scenarioSha256 },
    seed: "7",
    modes: ["isolated", "cross"],
    paths: pnl.length,
    steps: 24,
    stepSeconds: 3600,
    horizonSeconds: day,
    reservoirPaths: 200,
    stopReason: "paths",
    precision: null,
    gitCommit: null,
    execution: { wallSeconds: 1.25, workers: 2, mergedFrom: [attack] },
  },
  scenario,
  scenarioText,
  gate: evaluateLimits(scenario.limits, summary),
  pnlByMode: new Map([["isolated", Float64Array.from(pnl)], ["cross", Float64Array.from(pnl)]]),
  reservoir: {
    paths: 2,
    data: {
      mode: ["isolated", "isolated", "cross", "cross", "isolated", "isolated", "cross", "cross"],
      t: Float64Array.of(3600, 7200, 3600, 7200, 3600, 7200, 3600, 7200),
      pnl: Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8),
      distanceToLiquidation: Float64Array.of(0.1, 0.2, 0.3, Number.NaN, 0.5, 0.6, 0.7, 0.8),
    },
  },
};
const libraries = { vega: "window.vega = {};", vegaLite: "window.vegaLite = {};", vegaEmbed: "window.vegaEmbed = function () {};" };

describe("runReportPage", () => {
  const report = runReportPage(input, libraries);

  it("renders every user string as text: no injected element survives", () => {
    expect(report.html).not.toContain("<script>alert(1)");
    expect(report.html).not.toContain("<b>bold</b>");
    // Scenario name (title and heading), description, YAML echo, file name and merged-from directory.
    expect(report.html).toContain("<h1>&#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62;</h1>");
    expect(report.html).toContain("&#60;b&#62;bold&#60;/b&#62;");
    expect(report.html.split("&#60;/script&#62;&#60;script&#62;alert(1)").length - 1).toBeGreaterThanOrEqual(6);
    // Exactly our five script elements: the chart data, three libraries and the page script.
    expect(report.html.match(/<script\b/g)).toHaveLength(5);
    expect(report.html.match(/<\/script>/g)).toHaveLength(5);
  });

  it("embeds the charts' specs as JSON that parses back, with the data inline", () => {
    const json = /<script type="application\/json" id="mstress-charts">(.*?)<\/script>/s.exec(report.html)?.[1] ?? "";
    const specs = JSON.parse(json) as { name: string; spec: { data?: { values?: unknown[] } } }[];
    expect(specs.map((s) => s.name)).toEqual(["liquidation-probability", "survival", "pnl-distribution", "funding-drag", "equity-fan", "distance-to-liquidation"]);
    for (const { spec } of specs) expect(spec.data?.values?.length).toBeGreaterThan(0);
    for (const { name } of specs) expect(report.html).toContain(`id="chart-${name}"`);
  });

  it("writes each chart's spec reading its CSV by a relative url, and that CSV", () => {
    for (const chart of report.charts) {
      const spec = JSON.parse(report.files[`charts/${chart.name}.vl.json`] ?? "") as { data: { url: string; format: { type: string; parse: Record<string, string> } } };
      expect(spec.data.url).toBe(`${chart.name}.csv`);
      expect(spec.data.format.type).toBe("csv");
      const csv = report.files[`charts/${chart.name}.csv`] ?? "";
      expect(csv.split("\n")[0]).toBe(Object.keys(chart.records[0] ?? {}).join(","));
      expect(csv.trimEnd().split("\n")).toHaveLength(chart.records.length + 1);
    }
    const survival = JSON.parse(report.files["charts/survival.vl.json"] ?? "") as { data: { format: { parse: unknown } } };
    expect(survival.data.format.parse).toEqual({ day: "number", survival: "number" });
  });

  it("shows the gate, the figures and the manifest", () => {
    // cross: 0 of 8 paths against 0.1 %: undecided; needed ⌊3.841459·0.999/0.001⌋ + 1 = 3,838 paths.
    expect(report.html).toContain('<div class="badge">undecided</div>');
    expect(report.html).toContain("0 liquidations in 8 paths cannot show p &#60; 0.100\u00a0% at 95\u00a0%; run &#62;= 3,838 paths if the rate holds");
    // isolated liquidation probability 2/8 = 25.00 %; the wall time sits in the Execution block.
    expect(report.html).toContain("25.00 %");
    expect(report.html).toMatch(/<div class="panel" id="execution">.*1\.3 s/s);
  });

  it("opens with the scenario's question and an answer generated from the run, not the stored one", () => {
    expect(report.html).toContain("<p class=\"question\"><strong>Question.</strong> &#60;/script&#62;&#60;script&#62;alert(1)&#60;/script&#62; which mode?</p>");
    expect(report.html).not.toContain("a stored answer the page must not show</p>");
    // cross 0/8 liquidated, Wilson [0, 32.44 %]; isolated 2/8 = 25 %, [7.15 %, 59.07 %]: they overlap.
    expect(report.html).toContain("Safest: cross is liquidated on 0 % [0 %, 32.44 %] of paths");
    expect(report.html).toContain("not told apart from isolated at 8 paths (the intervals overlap)");
    expect(report.html).toContain("Against the scenario&#39;s limits: cross undecided, isolated unbounded.");
  });

  it("explains a liquidated path that ends in profit in a footnote, marking the figure", () => {
    // isolated: paths 0 and 1 are liquidated, with PnL -100 and 10: one of the two ends in profit; mean -45.
    expect(report.html).toContain("−45‡");
    expect(report.html).toContain("Liquidated, yet in profit: isolated on 1 of its 2 liquidated paths.");
    // Loss given liquidation (100) is far below the 3,000 allocated: no note on it.
    expect(report.html).not.toContain("Loss given liquidation above the margin put up");
  });

  it("gives the same bytes for the same input (no clock, no randomness)", () => {
    const again = runReportPage(input, libraries);
    expect(again.html).toBe(report.html);
    expect(again.files).toEqual(report.files);
  });

  it("puts the funding split and the histogram shares in the charts' data", () => {
    // Funding per path alternates 12 and −4: earned 6, paid 2 a path; fees 2; net carry (12 − 4)/2 − 2 = 2.
    const funding = report.charts.find((c) => c.name === "funding-drag")?.records.filter((r) => r["mode"] === "cross");
    const amounts = funding?.map((r) => [r["component"], r["amount"]]) ?? [];
    expect(amounts.slice(0, 4)).toEqual([["funding earned", 6], ["funding paid", -2], ["trading fees", -2], ["liquidation fees", 0]]);
    expect(amounts[4]?.[0]).toBe("net carry");
    expect(amounts[4]?.[1]).toBeCloseTo(2, 12);
    // 8 PnLs over [−100, 70] in 40 buckets: −100 in the first, 70 (the maximum) put in the last; shares sum to 1.
    const histogram = report.charts.find((c) => c.name === "pnl-distribution")?.records.filter((r) => r["mode"] === "cross") ?? [];
    expect(histogram).toHaveLength(40);
    expect(histogram[0]?.["paths"]).toBe(1);
    expect(histogram[39]?.["paths"]).toBe(1);
    expect(histogram.reduce((sum, r) => sum + Number(r["share"]), 0)).toBeCloseTo(1, 12);
  });
});
