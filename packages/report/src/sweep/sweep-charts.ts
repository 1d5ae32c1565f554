import { aprOnCapitalEncoding, liquidationProbabilityEncoding, modeColour, modesInRows, vegaLiteSchema, type ReportChart } from "../charts/report-chart.js";
import { sweepRecords, type SweepRow } from "./sweep-table.js";

/** A field name as Vega-Lite reads it: dots and brackets in a parameter's name are not nested access. */
function field(name: string): string {
  return name.replace(/[.[\]\\]/g, (c) => `\\${c}`);
}

/**
 * The capital-efficiency frontier: APR on capital against liquidation probability, every grid point of every
 * mode, with its 95 % interval, and per mode the line through the points no other point beats on both.
 */
export function frontierChart(rows: readonly SweepRow[]): ReportChart {
  const records = sweepRecords(rows);
  const color = modeColour(modesInRows(rows));
  const x = liquidationProbabilityEncoding;
  const y = aprOnCapitalEncoding;
  return {
    name: "sweep-frontier",
    title: "Capital-efficiency frontier",
    caption: "Each dot is one grid point under one margin mode, with its 95 % interval on liquidation probability; the line joins the points no other point of that mode beats on both safety and APR on capital. Up and to the left is better.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "APR on capital against liquidation probability per grid point and margin mode; lines join each mode's efficient points.",
      width: 560,
      height: 320,
      data: { values: records },
      transform: [{ filter: "datum.aprOnCapital != null" }],
      layer: [
        {
          mark: { type: "rule", opacity: 0.5 },
          encoding: { x: { field: "liquidationProbabilityLow", type: "quantitative" }, x2: { field: "liquidationProbabilityHigh" }, y, color },
        },
        {
          transform: [{ filter: "datum.onFrontier === 'yes'" }],
          mark: { type: "line", strokeWidth: 2 },
          encoding: { x, y, color, order: { field: "liquidationProbability", type: "quantitative" } },
        },
        {
          mark: { type: "point", filled: true, size: 60 },
          encoding: {
            x,
            y,
            color,
            shape: { field: "onFrontier", type: "nominal", title: "on the frontier" },
            tooltip: [
              { field: "label", type: "nominal", title: "point" },
              { field: "mode", type: "nominal" },
              { field: "liquidationProbability", type: "quantitative", format: ".2%", title: "liquidation probability" },
              { field: "aprOnCapital", type: "quantitative", format: ".1%", title: "APR on capital" },
              { field: "capitalReserved", type: "quantitative", format: ",.0f", title: "capital reserved (USD)" },
            ],
          },
        },
      ],
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
