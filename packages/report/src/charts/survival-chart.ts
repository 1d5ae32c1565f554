import type { RunSummary } from "../summary/run-summary.js";
import { days, modeColour, vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";

/** Share of paths not yet liquidated over the horizon, one step curve per mode (the summary's 31-point grid). */
export function survivalChart(summary: RunSummary): ReportChart {
  const records: ChartRecord[] = [];
  for (const [mode, s] of Object.entries(summary.modes)) for (const point of s.survival) records.push({ mode, day: days(point.t), survival: point.survival });
  return {
    name: "survival",
    title: "Survival: paths not yet liquidated",
    caption: "The share of paths on which no position had been force-closed by each day (an empirical survival curve of the time to liquidation).",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Survival curve of the time to liquidation per margin mode.",
      width: 400,
      height: 240,
      data: { values: records },
      mark: { type: "line", interpolate: "step-after", strokeWidth: 2 },
      encoding: {
        x: { field: "day", type: "quantitative", title: "day" },
        y: { field: "survival", type: "quantitative", title: "share of paths not liquidated", axis: { format: "~%" }, scale: { domain: [0, 1] } },
        color: { ...modeColour(Object.keys(summary.modes)), legend: { orient: "top", title: null } },
        tooltip: [
          { field: "mode", type: "nominal" },
          { field: "day", type: "quantitative", format: ".2f" },
          { field: "survival", type: "quantitative", format: ".2%" },
        ],
      },
    },
  };
}
