import { distanceChart } from "../charts/distance-chart.js";
import { equityFanChart } from "../charts/equity-fan-chart.js";
import { fundingDragChart } from "../charts/funding-drag-chart.js";
import { liquidationProbabilityChart } from "../charts/liquidation-probability-chart.js";
import { pnlDistributionChart } from "../charts/pnl-distribution-chart.js";
import { chartConfig, type ReportChart } from "../charts/report-chart.js";
import { survivalChart } from "../charts/survival-chart.js";
import type { RunReportInput } from "./report-input.js";


/**
 * The run report's charts in page order: liquidation probability, survival, final-PnL distribution, funding
 * against drag, and from the reservoir the equity fan and the distance to liquidation over time (each left out
 * when the run kept no such sample).
 */
export function reportCharts(input: RunReportInput): ReportChart[] {
  const modes = Object.keys(input.summary.modes);
  const currency = input.quoteCurrency ?? "quote currency";
  const limits = input.scenario.limits;
  const charts: (ReportChart | null)[] = [
    liquidationProbabilityChart(input.summary, limits),
    survivalChart(input.summary),
    pnlDistributionChart(input.pnlByMode, currency, limits),
    fundingDragChart(input.summary, currency),
    input.reservoir === null ? null : equityFanChart(input.reservoir.data, modes, input.reservoir.paths, currency, input.summary.paths),
    input.reservoir === null ? null : distanceChart(input.reservoir.data, modes, limits),
  ];
  return charts.filter((chart): chart is ReportChart => chart !== null).map((chart) => ({ ...chart, spec: { ...chart.spec, config: chartConfig } }));
}
