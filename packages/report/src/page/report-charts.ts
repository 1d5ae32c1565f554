import { distanceChart } from "../charts/distance-chart.js";
import { equityFanChart } from "../charts/equity-fan-chart.js";
import { fundingDragChart } from "../charts/funding-drag-chart.js";
import { liquidationProbabilityChart } from "../charts/liquidation-probability-chart.js";
import { pnlDistributionChart } from "../charts/pnl-distribution-chart.js";
import type { ReportChart } from "../charts/report-chart.js";
import { survivalChart } from "../charts/survival-chart.js";
import type { RunReportInput } from "./report-input.js";

// One look for every chart, carried in each spec so a notebook re-rendering charts/<name>.vl.json sees the same.
const chartConfig = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  view: { stroke: null },
  axis: { labelColor: "#4a5563", titleColor: "#2d3748", titleFontWeight: 600, gridColor: "#e9edf1", domainColor: "#9aa5b1", tickColor: "#9aa5b1", labelFontSize: 11, titleFontSize: 11.5 },
  legend: { labelColor: "#2d3748", labelFontSize: 11.5, symbolSize: 90 },
  header: { labelColor: "#2d3748", labelFontSize: 12 },
} as const;

/**
 * The run report's charts in page order: liquidation probability, survival, final-PnL distribution, funding
 * against drag, and from the reservoir the equity fan and the distance to liquidation over time (each left out
 * when the run kept no such sample).
 */
export function reportCharts(input: RunReportInput): ReportChart[] {
  const modes = Object.keys(input.summary.modes);
  const charts: (ReportChart | null)[] = [
    liquidationProbabilityChart(input.summary),
    survivalChart(input.summary),
    pnlDistributionChart(input.pnlByMode),
    fundingDragChart(input.summary),
    input.reservoir === null ? null : equityFanChart(input.reservoir.data, modes, input.reservoir.paths),
    input.reservoir === null ? null : distanceChart(input.reservoir.data, modes),
  ];
  return charts.filter((chart): chart is ReportChart => chart !== null).map((chart) => ({ ...chart, spec: { ...chart.spec, config: chartConfig } }));
}
