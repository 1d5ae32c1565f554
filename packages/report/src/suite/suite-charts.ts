import { modeColour, modesInRows, vegaLiteSchema, type ChartRecord, type ReportChart } from "../charts/report-chart.js";
import type { SuiteRecord } from "./suite-table.js";

/**
 * Every route that ran, one band each, with each mode's liquidation probability and its 95 % interval: the night
 * at a glance, routes in the index's order.
 */
export function suiteLiquidationChart(record: SuiteRecord): ReportChart {
  const records: ChartRecord[] = record.scenarios.flatMap((scenario) =>
    scenario.modes.map((mode) => ({
      route: scenario.name,
      verdict: scenario.verdict,
      mode: mode.mode,
      liquidationProbability: mode.liquidationProbability,
      liquidationProbabilityLow: mode.liquidationProbabilityCi[0],
      liquidationProbabilityHigh: mode.liquidationProbabilityCi[1],
    })),
  );
  const modes = modesInRows(records.map((r) => ({ mode: String(r.mode) })));
  const routes = record.scenarios.filter((scenario) => scenario.modes.length > 0).map((scenario) => scenario.name);
  const color = modeColour(modes);
  const y = { field: "route", type: "nominal", title: null, sort: routes, axis: { labelLimit: 260 } } as const;
  const yOffset = { field: "mode", type: "nominal", sort: modes } as const;
  const x = { field: "liquidationProbabilityLow", type: "quantitative" as const, title: "liquidation probability (95 % interval)", axis: { format: ".0%" }, scale: { domain: [0, 1] } };
  return {
    name: "suite-liquidation",
    title: "Liquidation probability, route by route",
    caption: "Each route's liquidation probability per margin mode, with its 95 % Wilson interval, on this night's paths. The table below gives the figures, the sign-off and the move since the previous night.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Liquidation probability per route and margin mode, with 95 % intervals.",
      width: 720,
      // The step is each mode's band within a route (the y offset), so a route takes modes x 8 px.
      height: { step: 8 },
      data: { values: records },
      encoding: { y, yOffset, color },
      layer: [
        { mark: { type: "rule", strokeWidth: 2, opacity: 0.7 }, encoding: { x, x2: { field: "liquidationProbabilityHigh" } } },
        {
          mark: { type: "point", filled: true, size: 55, opacity: 1 },
          encoding: {
            x: { field: "liquidationProbability", type: "quantitative" },
            tooltip: [
              { field: "route", type: "nominal" },
              { field: "mode", type: "nominal" },
              { field: "verdict", type: "nominal", title: "sign-off" },
              { field: "liquidationProbability", type: "quantitative", format: ".2%", title: "liquidation probability" },
              { field: "liquidationProbabilityLow", type: "quantitative", format: ".2%", title: "95 % low" },
              { field: "liquidationProbabilityHigh", type: "quantitative", format: ".2%", title: "95 % high" },
            ],
          },
        },
      ],
    },
  };
}
