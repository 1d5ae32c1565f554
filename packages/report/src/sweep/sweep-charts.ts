import { liquidationProbabilityEncoding, modeColour, modesInRows, vegaLiteSchema, type ReportChart } from "../charts/report-chart.js";
import { quantileSorted } from "../statistics/quantile.js";
import { isMarketParameter, sweepRecords, type SweepRow } from "./sweep-table.js";

/** A field name as Vega-Lite reads it: dots and brackets in a parameter's name are not nested access. */
function field(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

/**
 * The APR axis: every point's APR unless a few lie far below (or above) the rest, which would flatten the others
 * into a line. Tukey's fences (quartiles -/+ 1.5 interquartile ranges, Tukey 1977) decide "far"; a point beyond is
 * drawn on the edge, marked, with its value in the tooltip and the table.
 */
function aprAxis(rows: readonly SweepRow[]): { readonly low: number; readonly high: number; readonly clipped: boolean } {
  const values = Float64Array.from(rows.flatMap((row) => (row.aprOnCapital === null ? [] : [row.aprOnCapital]))).sort();
  if (values.length === 0) return { low: 0, high: 0, clipped: false };
  const min = values[0] ?? 0;
  const max = values[values.length - 1] ?? 0;
  const q1 = quantileSorted(values, 0.25);
  const q3 = quantileSorted(values, 0.75);
  const spread = q3 - q1;
  if (values.length < 4 || !(spread > 0)) return { low: min, high: max, clipped: false };
  const low = Math.max(min, q1 - 1.5 * spread);
  const high = Math.min(max, q3 + 1.5 * spread);
  return { low, high, clipped: low > min || high < max };
}

/** A grid point's decision values, "2000" or "2000 · 10000", the text a point is labelled with. */
function decisionText(row: SweepRow): string {
  const decisions = row.values.filter(({ name }) => !isMarketParameter(name));
  return decisions.length === 0 ? row.label : decisions.map(({ value }) => String(value)).join(" · ");
}

/**
 * The capital-efficiency frontier: APR on capital against liquidation probability, every grid point of every
 * mode with its 95 % interval, and per mode the line through the points no other point of that mode beats on
 * both, across the decision parameters only: each combination of market parameters (volatility, ...) is a panel
 * of its own. Points are labelled with their decision values; points that coincide share one label.
 */
export function frontierChart(rows: readonly SweepRow[]): ReportChart {
  const color = modeColour(modesInRows(rows));
  const markets = [...new Set(rows.map((row) => row.market))];
  const axis = aprAxis(rows);
  const decisionNames = [...new Set(rows.flatMap((row) => row.values.filter(({ name }) => !isMarketParameter(name)).map(({ name }) => name)))];
  // Points at the same place (one grid value under two modes, or two grid values giving the same figures) share one
  // label, so labels never sit on top of each other.
  const place = (row: SweepRow): string => `${row.market}|${String(row.liquidationProbability)}|${String(row.aprOnCapital)}`;
  const together = new Map<string, SweepRow[]>();
  for (const row of rows) together.set(place(row), [...(together.get(place(row)) ?? []), row]);
  const labelOf = (group: readonly SweepRow[]): string => {
    const values = [...new Set(group.map(decisionText))].join(", ");
    const modes = [...new Set(group.map((row) => row.mode))];
    return modes.length > 1 ? `${values} (${modes.join(", ")})` : values;
  };
  const seen = new Set<string>();
  const records = sweepRecords(rows).map((record, i) => {
    const row = rows[i];
    if (row === undefined) return record;
    const first = !seen.has(place(row));
    seen.add(place(row));
    const apr = row.aprOnCapital;
    const shown = apr === null ? null : Math.min(axis.high, Math.max(axis.low, apr));
    const marker = apr !== null && shown !== apr ? "beyond the axis (clipped)" : row.onFrontier ? "on the frontier" : "off the frontier";
    return { ...record, market: row.market === "" ? "all" : row.market, pointLabel: first ? labelOf(together.get(place(row)) ?? [row]) : "", aprShown: shown, marker };
  });
  const clippedCount = records.filter((r) => r.marker === "beyond the axis (clipped)").length;
  const x = liquidationProbabilityEncoding;
  const y = { field: "aprShown", type: "quantitative" as const, title: "APR on capital", axis: { format: ".0%" }, scale: { domain: [axis.low, axis.high], nice: true, zero: false } };
  const panelWidth = Math.floor(880 / Math.max(1, markets.length)) - (markets.length > 1 ? 40 : 0);
  const layers = [
    {
      mark: { type: "rule" as const, opacity: 0.5 },
      encoding: { x: { field: "liquidationProbabilityLow", type: "quantitative" as const }, x2: { field: "liquidationProbabilityHigh" }, y, color },
    },
    {
      transform: [{ filter: "datum.onFrontier === 'yes'" }],
      mark: { type: "line" as const, strokeWidth: 2 },
      encoding: { x, y, color, order: { field: "liquidationProbability", type: "quantitative" as const } },
    },
    {
      mark: { type: "point" as const, filled: true, size: 80 },
      encoding: {
        x,
        y,
        color,
        shape: { field: "marker", type: "nominal" as const, title: null, scale: { domain: ["on the frontier", "off the frontier", "beyond the axis (clipped)"], range: ["square", "circle", "triangle-down"] } },
        tooltip: [
          { field: "label", type: "nominal" as const, title: "point" },
          { field: "mode", type: "nominal" as const },
          { field: "liquidationProbability", type: "quantitative" as const, format: ".2%", title: "liquidation probability" },
          { field: "aprOnCapital", type: "quantitative" as const, format: ".1%", title: "APR on capital" },
          { field: "capitalEmployed", type: "quantitative" as const, format: ",.0f", title: "capital employed" },
        ],
      },
    },
    // One label layer per mode, each at its own height beside its point, so nearby points of different modes keep
    // their labels apart.
    ...modesInRows(rows).map((mode, m) => ({
      transform: [{ filter: `datum.pointLabel !== '' && datum.mode === '${mode}'` }],
      mark: { type: "text" as const, align: "left" as const, baseline: "middle" as const, dx: 8, dy: -10 + 13 * m, fontSize: 11 },
      encoding: { x, y, text: { field: "pointLabel", type: "nominal" as const }, color },
    })),
  ];
  const sweptDecisions = decisionNames.length === 0 ? "" : ` Labels: ${decisionNames.join(" · ")}.`;
  const panels = markets.length > 1 ? ` One panel per ${markets[0]?.split(", ").map((pair) => pair.split("=")[0]).join(", ") ?? "market"} value: market assumptions are compared side by side, never traded off on one frontier.` : "";
  const clipNote = clippedCount > 0 ? ` ${String(clippedCount)} point${clippedCount === 1 ? "" : "s"} with an APR far outside the rest (beyond Tukey's fences) ${clippedCount === 1 ? "is" : "are"} drawn on the axis edge (▼); the tooltip and the table give ${clippedCount === 1 ? "its" : "their"} value.` : "";
  return {
    name: "sweep-frontier",
    title: "Capital-efficiency frontier",
    caption: `Each mark is one grid point under one margin mode, with its 95 % interval on liquidation probability; the line joins the points no other point of that mode beats on both safety and APR on capital. Up and to the left is better.${sweptDecisions}${panels}${clipNote}`,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "APR on capital against liquidation probability per grid point and margin mode; lines join each mode's efficient points.",
      data: { values: records },
      transform: [{ filter: "datum.aprOnCapital != null" }],
      ...(markets.length > 1
        ? { facet: { column: { field: "market", type: "nominal" as const, title: null, sort: markets, header: { labelFontWeight: "bold" as const, labelFontSize: 13 } } }, spec: { width: panelWidth, height: 340, layer: layers } }
        : { width: panelWidth, height: 360, layer: layers }),
    },
  };
}

/**
 * Liquidation probability over two swept parameters, one panel per mode (the first two parameters; further ones
 * split the rows). With one parameter: the probability against it, with 95 % intervals.
 */
export function liquidationGridChart(rows: readonly SweepRow[], parameters: readonly string[]): ReportChart {
  const records = sweepRecords(rows);
  const modes = modesInRows(rows);
  const color = modeColour(modes);
  const [first, second] = parameters;
  if (first === undefined) throw new Error("liquidationGridChart: expected at least one swept parameter");
  const tooltip = [
    { field: "label", type: "nominal", title: "point" },
    { field: "mode", type: "nominal" },
    { field: "liquidationProbability", type: "quantitative", format: ".2%", title: "liquidation probability" },
  ] as const;
  if (second === undefined) {
    const x = { field: field(first), type: "ordinal", title: first } as const;
    return {
      name: "sweep-liquidation",
      title: `Liquidation probability by ${first}`,
      caption: `Liquidation probability at each value of ${first}, one line per margin mode, with 95 % Wilson intervals. The same seeds run at every point, so differences between points are the parameter's, not sampling noise between different paths.`,
      records,
      spec: {
        $schema: vegaLiteSchema,
        description: `Liquidation probability by ${first} and margin mode, with 95 % Wilson intervals.`,
        width: 480,
        height: 280,
        data: { values: records },
        layer: [
          { mark: "rule", encoding: { x, y: { field: "liquidationProbabilityLow", type: "quantitative" }, y2: { field: "liquidationProbabilityHigh" }, color } },
          {
            mark: { type: "line", point: true },
            encoding: { x, y: { field: "liquidationProbability", type: "quantitative", title: "liquidation probability", axis: { format: ".0%" } }, color, tooltip: [...tooltip] },
          },
        ],
      },
    };
  }
  const others = parameters.slice(2);
  const withOthers = others.length === 0 ? records : records.map((r) => ({ ...r, others: others.map((name) => `${name}=${String(r[name])}`).join(", ") }));
  return {
    name: "sweep-liquidation",
    title: `Liquidation probability over ${first} and ${second}`,
    caption: `Liquidation probability at each pair of ${first} and ${second}, one panel per margin mode${others.length === 0 ? "" : ", one row per value of the other swept parameters"}. Darker is likelier; the same seeds run at every cell.`,
    records: withOthers,
    spec: {
      $schema: vegaLiteSchema,
      description: `Heatmap of liquidation probability over ${first} and ${second}, one panel per margin mode.`,
      data: { values: withOthers },
      facet: {
        column: { field: "mode", type: "nominal", title: "margin mode", sort: modes },
        ...(others.length === 0 ? {} : { row: { field: "others", type: "nominal", title: others.join(", ") } }),
      },
      spec: {
        width: 200,
        height: 160,
        encoding: {
          x: { field: field(first), type: "ordinal", title: first },
          y: { field: field(second), type: "ordinal", title: second, sort: "descending" },
        },
        layer: [
          {
            mark: "rect",
            encoding: {
              color: { field: "liquidationProbability", type: "quantitative", title: "liquidation probability", scale: { scheme: "orangered", domain: [0, 1] }, legend: { format: ".0%" } },
              tooltip: [...tooltip],
            },
          },
          {
            mark: { type: "text", fontSize: 11 },
            encoding: {
              text: { field: "liquidationProbability", type: "quantitative", format: ".1%" },
              color: { condition: { test: "datum.liquidationProbability > 0.5", value: "white" }, value: "black" },
            },
          },
        ],
      },
    },
  };
}
