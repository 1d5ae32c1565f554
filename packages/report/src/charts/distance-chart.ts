import type { ScenarioLimit } from "@mstress/core";
import { chartLimits } from "./chart-limits.js";
import { days, panelWidth, vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";
import { reservoirBands } from "./reservoir-bands.js";
import type { ReservoirPaths } from "./reservoir-paths.js";

// Dark slate and Okabe-Ito's vermillion-free brown: the worst paths stand out without the FAIL red.
const statistics = { domain: ["median", "5th percentile"], range: ["#2c3e50", "#8c510a"] };

/**
 * Distance to liquidation over time across the sampled paths that hold a position with a liquidation price:
 * the median and the 5th percentile (the worst paths), one panel per mode on its own scale, with a
 * minDistanceToLiquidationP05 limit of the mode as a dashed line. null when the run did not record distances.
 */
export function distanceChart(reservoir: ReservoirPaths, modes: readonly string[], limits?: readonly ScenarioLimit[]): ReportChart | null {
  const distances = reservoir.distanceToLiquidation;
  if (distances === null) return null;
  const bands = reservoirBands(reservoir, distances, { p05: 0.05, p50: 0.5 }, modes);
  const records: ChartRecord[] = bands.flatMap((b) => [
    { mode: b.mode, day: days(b.t), statistic: "median", distance: b.values["p50"] ?? null, paths: b.paths, limit: null },
    { mode: b.mode, day: days(b.t), statistic: "5th percentile", distance: b.values["p05"] ?? null, paths: b.paths, limit: null },
  ]);
  // A minDistanceToLiquidationP05 limit of a mode: a dashed level line across its panel, a series of its own.
  const limitSeries = "limit on the worst distance's 5th pct";
  const drawn = chartLimits(limits, ["minDistanceToLiquidationP05"]).filter((limit) => limit.bound === "min" && modes.includes(String(limit.mode)));
  const lastDay = Math.max(0, ...bands.map((b) => days(b.t)));
  for (const limit of drawn) {
    for (const day of [0, lastDay]) records.push({ mode: limit.mode ?? null, day, statistic: limitSeries, distance: limit.value ?? null, paths: null, limit: limit.label ?? null });
  }
  const series = drawn.length === 0 ? statistics : { domain: [...statistics.domain, limitSeries], range: [...statistics.range, "#1f2933"] };
  const x = { field: "day", type: "quantitative", title: "day" } as const;
  const y = { field: "distance", type: "quantitative", title: "distance to liquidation (share of the mark)", axis: { format: "~%" }, scale: { zero: true } } as const;
  return {
    name: "distance-to-liquidation",
    title: "Distance to liquidation over time",
    caption: `How far the mark was from the liquidation price, as a share of the mark, across the sampled paths still holding a position with a liquidation price: the median and the 5th percentile. Each mode has its own scale.${drawn.length > 0 ? " Dashed: the limit on the 5th percentile of each path's worst distance (minDistanceToLiquidationP05), for reference against the worst paths' line." : ""}`,
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
          x,
          y,
          color: { field: "statistic", type: "nominal", title: null, scale: series, legend: { orient: "top" } },
          strokeDash: { field: "statistic", type: "nominal", scale: { domain: series.domain, range: series.domain.map((name) => (name === limitSeries ? [4, 3] : [1, 0])) } },
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
