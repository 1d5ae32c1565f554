import { days, modeColour, moneyTitle, panelWidth, vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";
import { reservoirBands } from "./reservoir-bands.js";
import type { ReservoirPaths } from "./reservoir-paths.js";

/** Route PnL over time: the 5–95 % and 25–75 % bands and the median across the sampled paths, per mode. */
export function equityFanChart(reservoir: ReservoirPaths, modes: readonly string[], sampledPaths: number, currency = "quote currency", totalPaths?: number): ReportChart {
  const x = { field: "day", type: "quantitative", title: "day" } as const;
  const bands = reservoirBands(reservoir, reservoir.pnl, { p05: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95 }, modes);
  const records: ChartRecord[] = bands.map((b) => ({ mode: b.mode, day: days(b.t), ...b.values }));
  const y = (field: string, title?: string) => ({ field, type: "quantitative" as const, ...(title === undefined ? {} : { title, axis: { format: "~s" } }) });
  return {
    name: "equity-fan",
    title: "Route PnL over time",
    caption: `Percentile bands of the route's PnL across the first ${String(sampledPaths)} paths, in ${currency}: 5–95 % light, 25–75 % dark, the median as a line; one panel per mode on a shared scale. Why ${String(sampledPaths)}: these paths are kept step by step (pnl-paths.csv, one row per path, mode and step), which for every path would make the results hundreds of megabytes; with ${String(sampledPaths)} paths each outer band edge rests on about ${String(Math.max(1, Math.round(sampledPaths * 0.05)))} paths, so read the bands' shape, not their edges to the unit${totalPaths === undefined ? "" : `, and the final-PnL histogram above for all ${totalPaths.toLocaleString("en-US")} paths`}.`,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Fan chart of route PnL over time per margin mode.",
      data: { values: records },
      facet: { column: { field: "mode", type: "nominal", title: null, sort: [...modes], header: { labelFontWeight: "bold" } } },
      spec: {
        width: panelWidth(modes.length),
        height: 220,
        encoding: { color: { ...modeColour(modes), legend: null } },
        layer: [
          { mark: { type: "area", opacity: 0.18 }, encoding: { x, y: y("p05", moneyTitle("route PnL", currency)), y2: { field: "p95" } } },
          { mark: { type: "area", opacity: 0.38 }, encoding: { x, y: y("p25"), y2: { field: "p75" } } },
          {
            mark: { type: "line", strokeWidth: 1.5 },
            encoding: {
              x,
              y: y("p50"),
              tooltip: [
                { field: "day", type: "quantitative", format: ".2f" },
                { field: "p05", type: "quantitative", format: ",.0f", title: "5 %" },
                { field: "p50", type: "quantitative", format: ",.0f", title: "median" },
                { field: "p95", type: "quantitative", format: ",.0f", title: "95 %" },
              ],
            },
          },
          // Zero PnL: one rule per panel (the aggregate leaves one row per mode).
          { transform: [{ aggregate: [{ op: "count", as: "points" }], groupby: ["mode"] }], mark: { type: "rule", color: "#555", strokeDash: [3, 3] }, encoding: { y: { datum: 0 } } },
        ],
      },
    },
  };
}
