import type { RunSummary } from "../summary/run-summary.js";
import { moneyTitle, vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";

// Green for what was earned, then a warm sand, grey and purple for the drag: no FAIL red, and the order of
// lightness tells the four apart without colour.
const components = { domain: ["funding earned", "funding paid", "trading fees", "liquidation fees"], range: ["#4d9221", "#dfc27d", "#8c8c8c", "#542788"] };

/**
 * Mean carry per path and mode: funding earned above zero, the drag (funding paid, trading fees, liquidation fees)
 * below, and the net carry (funding received − fees) as a black tick.
 */
export function fundingDragChart(summary: RunSummary, currency = "quote currency"): ReportChart {
  // 0 − x rather than −x: a zero cost is 0 in the data, not −0.
  const drag = (amount: number): number => 0 - amount;
  const records: ChartRecord[] = [];
  for (const [mode, s] of Object.entries(summary.modes)) {
    records.push({ mode, component: "funding earned", amount: s.fundingEarned.mean });
    records.push({ mode, component: "funding paid", amount: drag(s.fundingPaid.mean) });
    records.push({ mode, component: "trading fees", amount: drag(s.tradingFees.mean) });
    records.push({ mode, component: "liquidation fees", amount: drag(s.liquidationFees.mean) });
    records.push({ mode, component: "net carry", amount: s.fundingReceived.mean - s.tradingFees.mean - s.liquidationFees.mean });
  }
  const x = { field: "mode", type: "nominal", title: null, sort: Object.keys(summary.modes), axis: { labelAngle: 0 } } as const;
  const tooltip = [
    { field: "mode", type: "nominal" },
    { field: "component", type: "nominal" },
    { field: "amount", type: "quantitative", format: ",.2f", title: "mean per path" },
  ] as const;
  return {
    name: "funding-drag",
    title: "Funding earned against fee and funding drag",
    caption: `Mean per path, ${currency}. Above zero the funding a route earned; below it the drag: funding paid, trading fees and liquidation fees. The tick is the net carry.`,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Funding earned versus funding paid and fees, mean per path, per margin mode.",
      width: 400,
      height: 240,
      data: { values: records },
      layer: [
        {
          transform: [{ filter: "datum.component !== 'net carry'" }],
          mark: { type: "bar", width: { band: 0.55 } },
          encoding: {
            x,
            y: { field: "amount", type: "quantitative", title: moneyTitle("mean per path", currency), stack: "zero", axis: { format: ",.0f" } },
            color: { field: "component", type: "nominal", title: null, scale: components, legend: { orient: "top" } },
            order: { field: "amount", type: "quantitative", sort: "descending" },
            tooltip: [...tooltip],
          },
        },
        {
          transform: [{ filter: "datum.component === 'net carry'" }],
          mark: { type: "tick", color: "#111", thickness: 3, size: 44 },
          encoding: { x, y: { field: "amount", type: "quantitative" }, tooltip: [...tooltip] },
        },
        { data: { values: [{}] }, mark: { type: "rule", color: "#555", strokeWidth: 1 }, encoding: { y: { datum: 0 } } },
      ],
    },
  };
}
