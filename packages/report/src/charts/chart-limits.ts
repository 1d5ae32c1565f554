import type { ScenarioLimit } from "@mstress/core";
import type { ChartRecord } from "./report-chart.js";

/**
 * The scenario's sign-off limits a chart can draw: those of the whole mode (a limit scoped to one account or route
 * is judged on a figure the mode's charts do not show), with the metrics given, as records
 * {mode, metric, bound ("max" | "min"), value}.
 */
export function chartLimits(limits: readonly ScenarioLimit[] | undefined, metrics: readonly ScenarioLimit["metric"][]): ChartRecord[] {
  return (limits ?? []).flatMap((limit) => {
    if (limit.account !== undefined || limit.route !== undefined || !metrics.includes(limit.metric)) return [];
    return (["max", "min"] as const).flatMap((bound) => {
      const value = limit[bound];
      return value === undefined ? [] : [{ mode: limit.mode, metric: limit.metric, bound, value, label: `${limit.metric} ${bound === "max" ? "≤" : "≥"} ${String(value)}` }];
    });
  });
}
