import { days, panelWidth, vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";
import { reservoirBands } from "./reservoir-bands.js";
import type { ReservoirPaths } from "./reservoir-paths.js";

const statistics = { domain: ["median", "5th percentile"], range: ["#2c3e50", "#c0392b"] };

/**
 * Distance to liquidation over time across the sampled paths that hold a position with a liquidation price:
 * the median and the 5th percentile (the worst paths), one panel per mode on its own scale. null when the run
 * did not record distances.
 */
export function distanceChart(reservoir: ReservoirPaths, modes: readonly string[]): ReportChart | null {
  const distances = reservoir.distanceToLiquidation;
  if (distances === null) return null;
  const bands = reservoirBands(reservoir, distances, { p05: 0.05, p50: 0.5 }, modes);
  const records: ChartRecord[] = bands.flatMap((b) => [
    { mode: b.mode, day: days(b.t), statistic: "median", distance: b.values["p50"] ?? null, paths: b.paths },
    { mode: b.mode, day: days(b.t), statistic: "5th percentile", distance: b.values["p05"] ?? null, paths: b.paths },
  ]);
  return {
    name: "distance-to-liquidation",
    title: "Distance to liquidation over time",
    caption: "How far the mark was from the liquidation price, as a share of the mark, across the sampled paths still holding a position with a liquidation price: the median and the 5th percentile. Each mode has its own scale.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Median and 5th-percentile distance to liquidation over time per margin mode.",
      data: { values: records },
      transform: [{ filter: "datum.distance !== null" }],
      facet: { column: { field: "mode", type: "nominal", title: null, sort: [...modes], header: { labelFontWeight: "bold" } } },
      resolve: { scale: { y: "independent" } },
      spec: {
        width: panelWidth(modes.length),
        height: 220,
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "day", type: "quantitative", title: "day" },
          y: { field: "distance", type: "quantitative", title: "distance to liquidation", axis: { format: "~%" }, scale: { zero: true } },
          color: { field: "statistic", type: "nominal", title: null, scale: statistics, legend: { orient: "top" } },
          tooltip: [
            { field: "day", type: "quantitative", format: ".2f" },
            { field: "statistic", type: "nominal" },
            { field: "distance", type: "quantitative", format: ".2%" },
            { field: "paths", type: "quantitative", title: "paths with a position" },
          ],
        },
      },
    },
  };
}
