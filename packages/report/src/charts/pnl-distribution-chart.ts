import { fixedHistogram } from "../statistics/fixed-histogram.js";
import { modeColour, vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";

const buckets = 40;

/**
 * Histogram of one mode's final PnL over [min, max] in 40 equal buckets, as records {mode, from, to, paths, share}.
 * The maximum itself falls on the upper edge, which fixedHistogram counts as overflow; it is put in the last
 * bucket, so the shares add up to 1.
 */
function histogramRecords(mode: string, pnl: Float64Array): ChartRecord[] {
  let lower = Number.POSITIVE_INFINITY;
  let upper = Number.NEGATIVE_INFINITY;
  for (const value of pnl) {
    lower = Math.min(lower, value);
    upper = Math.max(upper, value);
  }
  if (!(upper > lower)) {
    lower -= 0.5;
    upper += 0.5;
  }
  const histogram = fixedHistogram({ lower, upper, buckets });
  let state = histogram.init();
  for (const value of pnl) state = histogram.add(state, value);
  const { edges, counts, overflow } = histogram.value(state);
  return counts.map((count, i) => {
    const paths = count + (i === buckets - 1 ? overflow : 0);
    return { mode, from: edges[i] ?? lower, to: edges[i + 1] ?? upper, paths, share: paths / pnl.length };
  });
}

/** Distribution of the route's final PnL, one histogram per mode, each on its own PnL axis. */
export function pnlDistributionChart(pnlByMode: ReadonlyMap<string, Float64Array>): ReportChart {
  const records = [...pnlByMode].flatMap(([mode, pnl]) => histogramRecords(mode, pnl));
  return {
    name: "pnl-distribution",
    title: "Final PnL distribution",
    caption: "The route's PnL at the horizon over all paths, in quote currency: one histogram of 40 buckets per mode. Each mode has its own PnL axis.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Histogram of final route PnL per margin mode.",
      data: { values: records },
      facet: { row: { field: "mode", type: "nominal", title: null, sort: [...pnlByMode.keys()], header: { labelAngle: 0, labelAlign: "left", labelFontWeight: "bold" } } },
      resolve: { scale: { x: "independent" } },
      spec: {
        width: 400,
        height: 70,
        mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
        encoding: {
          x: { field: "from", type: "quantitative", title: "final PnL (quote currency)", axis: { format: "~s", tickCount: 6 } },
          x2: { field: "to" },
          y: { field: "share", type: "quantitative", title: "paths", axis: { format: "~%", tickCount: 3 } },
          color: { ...modeColour([...pnlByMode.keys()]), legend: null },
          tooltip: [
            { field: "mode", type: "nominal" },
            { field: "from", type: "quantitative", format: ",.0f", title: "PnL from" },
            { field: "to", type: "quantitative", format: ",.0f", title: "PnL to" },
            { field: "paths", type: "quantitative" },
            { field: "share", type: "quantitative", format: ".2%" },
          ],
        },
      },
    },
  };
}
