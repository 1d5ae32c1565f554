import { modeColour, modesInRows, vegaLiteSchema, type ReportChart } from "../charts/report-chart.js";
import { trendRecords, type TrendRow } from "./trend-table.js";

// Runs along x in time order (the label is a minute or a directory's name, so the axis is ordinal, sorted by run).
const runAxis = { field: "label", type: "ordinal", title: "run (start time, UTC)", sort: { field: "run", order: "ascending" }, axis: { labelAngle: -30 } } as const;

const tooltipFields = [
  { field: "label", type: "nominal", title: "run" },
  { field: "directory", type: "nominal" },
  { field: "mode", type: "nominal" },
  { field: "seed", type: "nominal" },
  { field: "paths", type: "quantitative", format: "," },
  { field: "scenario", type: "nominal", title: "scenario sha256" },
  { field: "verdict", type: "nominal", title: "sign-off" },
  { field: "liquidationProbability", type: "quantitative", format: ".2%", title: "liquidation probability" },
  { field: "liquidationProbabilityLow", type: "quantitative", format: ".2%", title: "95 % low" },
  { field: "liquidationProbabilityHigh", type: "quantitative", format: ".2%", title: "95 % high" },
  { field: "aprOnCapital", type: "quantitative", format: ".1%", title: "APR on capital" },
] as const;
const tooltip = [...tooltipFields];

/** Each mode's value run by run: a faint line joining the runs, and a point per run with the run's details. */
function runLayers(y: { readonly field: string; readonly type: "quantitative"; readonly title: string; readonly axis: { readonly format: string } }, color: ReturnType<typeof modeColour>) {
  return [
    { mark: { type: "line", opacity: 0.5 }, encoding: { x: runAxis, y, color } },
    { mark: { type: "point", filled: true, size: 60 }, encoding: { x: runAxis, y, color, tooltip } },
  ] as const;
}

/** Liquidation probability per mode across the runs, each with its 95 % interval. */
export function trendLiquidationChart(rows: readonly TrendRow[]): ReportChart {
  const records = trendRecords(rows);
  const color = modeColour(modesInRows(rows));
  const y = { field: "liquidationProbability", type: "quantitative", title: "liquidation probability", axis: { format: ".1%" } } as const;
  return {
    name: "trend-liquidation",
    title: "Liquidation probability, run by run",
    caption: "Each run's liquidation probability per margin mode, with its 95 % Wilson interval. A run whose interval does not overlap the run before's moved by more than its sampling error; overlapping intervals are noise until more paths say otherwise.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Liquidation probability per margin mode across runs, with 95 % intervals.",
      width: 720,
      height: 300,
      data: { values: records },
      layer: [
        { mark: { type: "rule", strokeWidth: 2, opacity: 0.6 }, encoding: { x: runAxis, y: { field: "liquidationProbabilityLow", type: "quantitative" }, y2: { field: "liquidationProbabilityHigh" }, color } },
        ...runLayers(y, color),
      ],
    },
  };
}

/** APR on capital per mode across the runs (modes without capital reserved have no APR and are left out). */
export function trendAprChart(rows: readonly TrendRow[]): ReportChart {
  const records = trendRecords(rows);
  const color = modeColour(modesInRows(rows));
  const y = { field: "aprOnCapital", type: "quantitative", title: "APR on capital", axis: { format: ".0%" } } as const;
  return {
    name: "trend-apr",
    title: "APR on capital, run by run",
    caption: "Mean PnL over the horizon, annualised, on the mean capital each mode reserved: what the route earns for the capital it ties up, night after night.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "APR on capital per margin mode across runs.",
      width: 720,
      height: 240,
      data: { values: records },
      transform: [{ filter: "datum.aprOnCapital != null" }],
      layer: [...runLayers(y, color)],
    },
  };
}

export function trendCharts(rows: readonly TrendRow[]): ReportChart[] {
  return [trendLiquidationChart(rows), trendAprChart(rows)];
}
