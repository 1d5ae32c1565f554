import type { ScenarioLimit } from "@mstress/core";
import { fixedHistogram } from "../statistics/fixed-histogram.js";
import { chartLimits } from "./chart-limits.js";
import { modeColour, moneyTitle, vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";

const buckets = 40;

/** The smallest and largest final PnL over every mode: the one axis all the histograms share. */
function sharedRange(pnlByMode: ReadonlyMap<string, Float64Array>): { lower: number; upper: number } {
  let lower = Number.POSITIVE_INFINITY;
  let upper = Number.NEGATIVE_INFINITY;
  for (const pnl of pnlByMode.values()) {
    for (const value of pnl) {
      lower = Math.min(lower, value);
      upper = Math.max(upper, value);
    }
  }
  if (!(upper > lower)) return { lower: (Number.isFinite(lower) ? lower : 0) - 0.5, upper: (Number.isFinite(upper) ? upper : 0) + 0.5 };
  return { lower, upper };
}

/**
 * Histogram of one mode's final PnL in 40 equal buckets over the shared [lower, upper], as records {mode, from,
 * to, paths, share}. The maximum itself falls on the upper edge, which fixedHistogram counts as overflow; it is put
 * in the last bucket, so the shares add up to 1.
 */
function histogramRecords(mode: string, pnl: Float64Array, lower: number, upper: number): ChartRecord[] {
  const histogram = fixedHistogram({ lower, upper, buckets });
  let state = histogram.init();
  for (const value of pnl) state = histogram.add(state, value);
  const { edges, counts, overflow } = histogram.value(state);
  return counts.map((count, i) => {
    const paths = count + (i === buckets - 1 ? overflow : 0);
    return { mode, from: edges[i] ?? lower, to: edges[i + 1] ?? upper, paths, share: paths / pnl.length, limit: null, limitPnl: null };
  });
}

const lossLimits: readonly ScenarioLimit["metric"][] = ["valueAtRisk95", "valueAtRisk99", "expectedShortfall95", "expectedShortfall99"];

/**
 * Distribution of the route's final PnL, one histogram per mode on one shared PnL axis (the same 40 buckets), so
 * the modes compare at a glance. A value-at-risk or expected-shortfall limit is drawn in its mode's panel as a
 * dashed line at the loss it allows (PnL = -limit).
 */
export function pnlDistributionChart(pnlByMode: ReadonlyMap<string, Float64Array>, currency = "quote currency", limits?: readonly ScenarioLimit[]): ReportChart {
  const { lower, upper } = sharedRange(pnlByMode);
  const modes = [...pnlByMode.keys()];
  // A limit is a record of its mode's panel like a bucket, so the facet places it: {mode, limit, limitPnl}.
  const drawn: ChartRecord[] = chartLimits(limits, lossLimits)
    .filter((limit) => limit.bound === "max" && modes.includes(String(limit.mode)))
    .map((limit) => ({ mode: limit.mode ?? null, from: null, to: null, paths: null, share: null, limit: limit.label ?? null, limitPnl: 0 - Number(limit.value) }));
  const records = [...[...pnlByMode].flatMap(([mode, pnl]) => histogramRecords(mode, pnl, lower, upper)), ...drawn];
  const domain = [Math.min(lower, ...drawn.map((d) => Number(d.limitPnl))), upper];
  const x = { field: "from", type: "quantitative", title: moneyTitle("final PnL", currency), axis: { format: "~s", tickCount: 8 }, scale: { domain, nice: false } } as const;
  return {
    name: "pnl-distribution",
    title: "Final PnL distribution",
    caption: `The route's PnL at the horizon over all paths, in ${currency}: one histogram of 40 buckets per mode, every mode on the same PnL axis; a bar's height is its share of the mode's paths.${drawn.length > 0 ? " Dashed: a value-at-risk or expected-shortfall limit, at the loss it allows." : ""}`,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Histogram of final route PnL per margin mode on a shared axis.",
      data: { values: records },
      facet: { row: { field: "mode", type: "nominal", title: null, sort: modes, header: { labelAngle: 0, labelAlign: "left", labelFontWeight: "bold" } } },
      spec: {
        width: 400,
        height: 70,
        layer: [
          {
            transform: [{ filter: "datum.limitPnl === null" }],
            mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
            encoding: {
              x,
              x2: { field: "to" },
              y: { field: "share", type: "quantitative", title: "share", axis: { format: "~%", tickCount: 3 } },
              color: { ...modeColour(modes), legend: null },
              tooltip: [
                { field: "mode", type: "nominal" },
                { field: "from", type: "quantitative", format: ",.0f", title: "PnL from" },
                { field: "to", type: "quantitative", format: ",.0f", title: "PnL to" },
                { field: "paths", type: "quantitative" },
                { field: "share", type: "quantitative", format: ".2%" },
              ],
            },
          },
          ...(drawn.length === 0
            ? []
            : [
                {
                  transform: [{ filter: "datum.limitPnl !== null" }],
                  mark: { type: "rule" as const, color: "#1f2933", strokeDash: [4, 3], strokeWidth: 1.5 },
                  encoding: {
                    x: { field: "limitPnl", type: "quantitative" as const },
                    tooltip: [{ field: "limit", type: "nominal" as const }, { field: "limitPnl", type: "quantitative" as const, format: ",.0f", title: "PnL at the limit" }],
                  },
                },
              ]),
        ],
      },
    },
  };
}
