import type { RunSummary } from "../summary/run-summary.js";
import { vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";

const events = { domain: ["liquidation", "hedge broken"], range: ["#a93226", "#d68910"] };

/** Liquidation and hedge-broken probability per mode, each with its Wilson interval as an error bar. */
export function liquidationProbabilityChart(summary: RunSummary): ReportChart {
  const records: ChartRecord[] = [];
  for (const [mode, s] of Object.entries(summary.modes)) {
    records.push({ mode, event: "liquidation", probability: s.liquidationProbability, low: s.liquidationProbabilityCi[0], high: s.liquidationProbabilityCi[1] });
    records.push({ mode, event: "hedge broken", probability: s.hedgeBrokenProbability, low: s.hedgeBrokenProbabilityCi[0], high: s.hedgeBrokenProbabilityCi[1] });
  }
  const level = Object.values(summary.modes)[0]?.confidence ?? 0.95;
  const percent = `${String(Math.round(level * 1000) / 10)} %`;
  return {
    name: "liquidation-probability",
    title: "Liquidation probability by margin mode",
    caption: `The share of paths on which a position was force-closed, and on which that broke the hedge (one leg liquidated while another lived). Bars: ${percent} Wilson intervals.`,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Liquidation and hedge-broken probability per margin mode with Wilson intervals.",
      width: 400,
      height: 240,
      data: { values: records },
      encoding: {
        x: { field: "mode", type: "nominal", title: null, sort: Object.keys(summary.modes), axis: { labelAngle: 0 } },
        xOffset: { field: "event", type: "nominal", sort: events.domain },
        color: { field: "event", type: "nominal", title: null, scale: events, legend: { orient: "top" } },
      },
      layer: [
        {
          mark: { type: "errorbar", ticks: { size: 8 }, thickness: 1.5 },
          encoding: { y: { field: "low", type: "quantitative", title: "probability", axis: { format: ".1~%" }, scale: { domainMin: 0 } }, y2: { field: "high" } },
        },
        {
          mark: { type: "point", filled: true, size: 70, opacity: 1 },
          encoding: {
            y: { field: "probability", type: "quantitative" },
            tooltip: [
              { field: "mode", type: "nominal" },
              { field: "event", type: "nominal" },
              { field: "probability", type: "quantitative", format: ".3~%" },
              { field: "low", type: "quantitative", format: ".3~%", title: "interval low" },
              { field: "high", type: "quantitative", format: ".3~%", title: "interval high" },
            ],
          },
        },
      ],
    },
  };
}
