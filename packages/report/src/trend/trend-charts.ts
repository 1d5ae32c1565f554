import { aprOnCapitalEncoding, liquidationProbabilityEncoding, modeColour, modesInRows, vegaLiteSchema, type ReportChart } from "../charts/report-chart.js";
import { trendRecords, type TrendRow } from "./trend-table.js";

// Runs along x in time order: the run's number and start time to the second (or its directory), an ordinal axis
// sorted by run, so runs minutes apart stay apart; the tooltip and the table below give the rest.
const runAxis = { field: "label", type: "ordinal", title: "run (number and start time, UTC)", sort: { field: "run", order: "ascending" }, axis: { labelAngle: -30, labelLimit: 220 } } as const;

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

interface TrendChartSpec extends Pick<ReportChart, "name" | "title" | "caption"> {
  readonly description: string;
  readonly height: number;
  readonly y: typeof liquidationProbabilityEncoding | typeof aprOnCapitalEncoding;
  /** Fields of the figure's 95 % interval, drawn as a rule under each point. */
  readonly interval?: { readonly low: string; readonly high: string };
  /** Records left out (a Vega-Lite filter expression). */
  readonly filter?: string;
}

/** One figure per mode across the runs: a faint line joining the runs, and a point per run with the run's details. */
function trendChart(rows: readonly TrendRow[], chart: TrendChartSpec): ReportChart {
  const records = trendRecords(rows);
  const color = modeColour(modesInRows(rows));
  const { y } = chart;
  return {
    name: chart.name,
    title: chart.title,
    caption: chart.caption,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: chart.description,
      width: 720,
      height: chart.height,
      data: { values: records },
      ...(chart.filter === undefined ? {} : { transform: [{ filter: chart.filter }] }),
      layer: [
        ...(chart.interval === undefined
          ? []
          : [{ mark: { type: "rule", strokeWidth: 2, opacity: 0.6 }, encoding: { x: runAxis, y: { field: chart.interval.low, type: "quantitative" }, y2: { field: chart.interval.high }, color } } as const]),
        { mark: { type: "line", opacity: 0.5 }, encoding: { x: runAxis, y, color } },
        { mark: { type: "point", filled: true, size: 60 }, encoding: { x: runAxis, y, color, tooltip } },
      ],
    },
  };
}

/** Liquidation probability per mode across the runs, each with its 95 % interval. */
export function trendLiquidationChart(rows: readonly TrendRow[]): ReportChart {
  return trendChart(rows, {
    name: "trend-liquidation",
    title: "Liquidation probability, run by run",
    caption: "Each run's liquidation probability per margin mode, with its 95 % Wilson interval. A run whose interval does not overlap the run before's moved by more than its sampling error; overlapping intervals are noise until more paths say otherwise.",
    description: "Liquidation probability per margin mode across runs, with 95 % intervals.",
    height: 300,
    y: liquidationProbabilityEncoding,
    interval: { low: "liquidationProbabilityLow", high: "liquidationProbabilityHigh" },
  });
}

/** APR on capital per mode across the runs (modes without capital employed have no APR and are left out). */
export function trendAprChart(rows: readonly TrendRow[]): ReportChart {
  return trendChart(rows, {
    name: "trend-apr",
    title: "APR on capital, run by run",
    caption: "Mean PnL over the horizon, annualised, on the mean capital each mode reserved: what the route earns for the capital it ties up, night after night.",
    description: "APR on capital per margin mode across runs.",
    height: 240,
    y: aprOnCapitalEncoding,
    filter: "datum.aprOnCapital != null",
  });
}

export function trendCharts(rows: readonly TrendRow[]): ReportChart[] {
  return [trendLiquidationChart(rows), trendAprChart(rows)];
}
