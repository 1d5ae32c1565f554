import type { ScenarioLimit } from "@mstress/core";
import type { RunSummary } from "../summary/run-summary.js";
import { chartLimits } from "./chart-limits.js";
import { vegaLiteSchema, type ChartRecord, type ReportChart } from "./report-chart.js";

// Dark slate and Okabe-Ito's reddish purple: told apart by colour-blind readers, and neither is the FAIL red.
const events = { domain: ["liquidation", "hedge broken"], range: ["#3d4a5c", "#CC79A7"] };
const eventOfMetric: Readonly<Record<string, string>> = { liquidationProbability: "liquidation", hedgeBrokenProbability: "hedge broken" };

/**
 * Liquidation and hedge-broken probability per mode, each with its Wilson interval as an error bar, and the
 * scenario's limits on them (of a whole mode) as dashes beside the figure they bound.
 */
export function liquidationProbabilityChart(summary: RunSummary, limits?: readonly ScenarioLimit[]): ReportChart {
  const records: ChartRecord[] = [];
  const limit = { limit: null, limitValue: null };
  for (const [mode, s] of Object.entries(summary.modes)) {
    records.push({ mode, event: "liquidation", probability: s.liquidationProbability, low: s.liquidationProbabilityCi[0], high: s.liquidationProbabilityCi[1], ...limit });
    records.push({ mode, event: "hedge broken", probability: s.hedgeBrokenProbability, low: s.hedgeBrokenProbabilityCi[0], high: s.hedgeBrokenProbabilityCi[1], ...limit });
  }
  for (const drawn of chartLimits(limits, ["liquidationProbability", "hedgeBrokenProbability"])) {
    if (summary.modes[drawn.mode as keyof RunSummary["modes"]] === undefined) continue;
    records.push({ mode: drawn.mode ?? null, event: eventOfMetric[String(drawn.metric)] ?? null, probability: null, low: null, high: null, limit: drawn.label ?? null, limitValue: drawn.value ?? null });
  }
  const hasLimits = records.some((r) => r.limitValue !== null);
  const level = Object.values(summary.modes)[0]?.confidence ?? 0.95;
  const percent = `${String(Math.round(level * 1000) / 10)} %`;
  return {
    name: "liquidation-probability",
    title: "Liquidation probability by margin mode",
    caption: `The share of paths on which a position was force-closed, and on which that broke the hedge (one leg liquidated while another lived). Bars: ${percent} Wilson intervals.${hasLimits ? " Dashes: the scenario's sign-off limits on the mode's probability." : ""}`,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Liquidation and hedge-broken probability per margin mode with Wilson intervals.",
      width: 400,
      height: 240,
      data: { values: records },
      encoding: {
        x: { field: "mode", type: "nominal", title: null, sort: Object.keys(summary.modes), axis: { labelAngle: 0 } },
        xOffset: { field: "event", type: "nominal", sort: events.domain },
        color: { field: "event", type: "nominal", title: null, scale: events, legend: { orient: "top" } },
      },
      layer: [
        {
          transform: [{ filter: "datum.limitValue === null" }],
          mark: { type: "errorbar", ticks: { size: 8 }, thickness: 1.5 },
          encoding: { y: { field: "low", type: "quantitative", title: "probability", axis: { format: ".1~%" }, scale: { domainMin: 0 } }, y2: { field: "high" } },
        },
        {
          transform: [{ filter: "datum.limitValue !== null" }],
          mark: { type: "tick", thickness: 2, size: 22, strokeDash: [3, 2] },
          encoding: { y: { field: "limitValue", type: "quantitative" }, color: { value: "#1f2933" }, tooltip: [{ field: "mode", type: "nominal" }, { field: "limit", type: "nominal" }] },
        },
        {
          transform: [{ filter: "datum.limitValue === null" }],
          mark: { type: "point", filled: true, size: 70, opacity: 1 },
          encoding: {
            y: { field: "probability", type: "quantitative" },
            tooltip: [
              { field: "mode", type: "nominal" },
              { field: "event", type: "nominal" },
              { field: "probability", type: "quantitative", format: ".3~%" },
              { field: "low", type: "quantitative", format: ".3~%", title: "interval low" },
              { field: "high", type: "quantitative", format: ".3~%", title: "interval high" },
            ],
          },
        },
      ],
    },
  };
}
