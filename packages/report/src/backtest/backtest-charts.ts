import { modeColour, vegaLiteSchema, type ChartRecord, type ReportChart } from "../charts/report-chart.js";
import type { BacktestModeSummary } from "./backtest-summary.js";
import { utcTime, type BacktestRow } from "./backtest-table.js";

const openedAxis = { field: "openedAt", type: "temporal", title: "window opened (UTC)" } as const;

/** Every window of every mode: when it opened, the price there, whether and when it was liquidated, its PnL. */
function windowRecords(rows: readonly BacktestRow[]): ChartRecord[] {
  return rows.map((row) => ({
    mode: row.mode,
    openedAt: utcTime(row.openedAt),
    openPrice: row.openPrice,
    liquidated: row.liquidated ? "yes" : "no",
    liquidatedAt: row.liquidatedAt === null ? null : utcTime(row.liquidatedAt),
    liquidationPrice: row.liquidationPrice,
    loss: row.loss,
    pnl: row.pnl,
  }));
}

/**
 * When in history each mode would have been liquidated: above, the asset at each window's opening (log scale);
 * below, one row per mode, every window a faint tick at its opening and every liquidation a coloured tick at its
 * own time.
 */
export function timelineChart(rows: readonly BacktestRow[], labels: readonly string[], asset: string): ReportChart {
  const records = windowRecords(rows);
  const color = modeColour(labels);
  const first = labels[0] ?? "";
  // One explicit time domain (ms) for both panels, from the first opening to the last window's close.
  const domain: number[] = [Math.min(...rows.map((r) => r.openedAt)) * 1000, Math.max(...rows.map((r) => r.closesAt)) * 1000];
  const time = { type: "temporal", title: "UTC", scale: { domain } } as const;
  const mode = { field: "mode", type: "nominal", title: null, sort: [...labels] } as const;
  return {
    name: "backtest-timeline",
    title: "When in history each mode would have been liquidated",
    caption: `Above: ${asset} at each window's opening close. Below: each grey tick is a window's opening; each coloured tick is the instant a window opened there would have been liquidated (the first forced close), so a cluster of ticks is one episode of history seen from many windows.`,
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: `The asset's price over the history and the liquidation instants of each margin mode's windows.`,
      data: { values: records },
      resolve: { scale: { x: "shared" } },
      vconcat: [
        {
          width: 840,
          height: 150,
          transform: [{ filter: { field: "mode", equal: first } }],
          mark: { type: "line", color: "#44505e", strokeWidth: 1 },
          encoding: { x: { ...openedAxis, ...time, title: null }, y: { field: "openPrice", type: "quantitative", title: `${asset} (log)`, scale: { type: "log", nice: false } } },
        },
        {
          width: 840,
          height: Math.max(60, 34 * labels.length),
          layer: [
            { mark: { type: "tick", color: "#c4cad2", thickness: 1 }, encoding: { x: { ...openedAxis, ...time }, y: mode } },
            {
              transform: [{ filter: "datum.liquidated === 'yes'" }],
              mark: { type: "tick", thickness: 2 },
              encoding: {
                x: { field: "liquidatedAt", ...time },
                y: mode,
                color,
                tooltip: [
                  { field: "mode", type: "nominal" },
                  { field: "openedAt", type: "nominal", title: "window opened" },
                  { field: "liquidatedAt", type: "nominal", title: "liquidated at" },
                  { field: "liquidationPrice", type: "quantitative", format: ",.1f", title: "liquidation price" },
                  { field: "loss", type: "quantitative", format: ",.0f", title: "loss" },
                  { field: "pnl", type: "quantitative", format: ",.0f", title: "PnL" },
                ],
              },
            },
          ],
        },
      ],
    },
  };
}

/** Each window's PnL by its opening date, one line per mode. */
export function windowPnlChart(rows: readonly BacktestRow[], labels: readonly string[]): ReportChart {
  const records = rows.map((row) => ({ mode: row.mode, openedAt: utcTime(row.openedAt), liquidated: row.liquidated ? "yes" : "no", pnl: row.pnl }));
  return {
    name: "backtest-window-pnl",
    title: "PnL of each window",
    caption: "The route's PnL over each window (quote currency), by the date it opened: what the route would have made or lost had it been opened that day and held for the horizon under each mode.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Route PnL per window of history and margin mode, by opening date.",
      width: 840,
      height: 260,
      data: { values: records },
      mark: { type: "line", strokeWidth: 1, opacity: 0.85 },
      encoding: {
        x: openedAxis,
        y: { field: "pnl", type: "quantitative", title: "PnL over the window", axis: { format: ",.0f" } },
        color: modeColour(labels),
        tooltip: [{ field: "mode", type: "nominal" }, { field: "openedAt", type: "nominal", title: "window opened" }, { field: "liquidated", type: "nominal" }, { field: "pnl", type: "quantitative", format: ",.0f", title: "PnL" }],
      },
    },
  };
}

/** Per mode, the Monte Carlo probability and the historical frequency with their 95 % intervals; null without a model check. */
export function modelCheckChart(summaries: ReadonlyMap<string, BacktestModeSummary>): ReportChart | null {
  const records: ChartRecord[] = [];
  for (const [mode, summary] of summaries) {
    const check = summary.modelCheck;
    if (check === null) continue;
    records.push({ mode, source: "Monte Carlo", probability: check.monteCarloProbability, low: check.monteCarloCi[0], high: check.monteCarloCi[1], verdict: check.verdict });
    records.push({ mode, source: "history", probability: check.historicalFrequency, low: check.historicalCi[0], high: check.historicalCi[1], verdict: check.verdict });
  }
  if (records.length === 0) return null;
  const y = { field: "mode", type: "nominal", title: null, sort: [...summaries.keys()] } as const;
  const yOffset = { field: "source", type: "nominal" } as const;
  const color = { field: "source", type: "nominal", title: null, scale: { domain: ["Monte Carlo", "history"], range: ["#2c6fb0", "#9a5b00"] } } as const;
  return {
    name: "backtest-model-check",
    title: "Model against history",
    caption: "Liquidation probability per mode: the Monte Carlo's over its paths and the frequency over the windows of history, each with its 95 % interval (the history's on the effective count of non-overlapping windows). Intervals apart: the model under- or overstates what history did.",
    records,
    spec: {
      $schema: vegaLiteSchema,
      description: "Monte Carlo liquidation probability against the historical frequency per margin mode, with 95 % intervals.",
      width: 700,
      height: { step: 22 },
      data: { values: records },
      layer: [
        { mark: { type: "rule", strokeWidth: 2 }, encoding: { x: { field: "low", type: "quantitative", title: "liquidation probability", axis: { format: ".0%" }, scale: { domain: [0, 1] } }, x2: { field: "high" }, y, yOffset, color } },
        {
          mark: { type: "point", filled: true, size: 70 },
          encoding: {
            x: { field: "probability", type: "quantitative" },
            y,
            yOffset,
            color,
            tooltip: [
              { field: "mode", type: "nominal" },
              { field: "source", type: "nominal" },
              { field: "probability", type: "quantitative", format: ".2%" },
              { field: "low", type: "quantitative", format: ".2%", title: "95 % low" },
              { field: "high", type: "quantitative", format: ".2%", title: "95 % high" },
              { field: "verdict", type: "nominal", title: "the model" },
            ],
          },
        },
      ],
    },
  };
}
