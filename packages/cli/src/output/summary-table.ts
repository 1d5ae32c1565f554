import type { MarginMode } from "@mstress/core";
import type { RunSummary } from "@mstress/report";
import { alignedTable, formatAmount, formatDuration, formatPercent } from "./aligned-table.js";
import type { RunManifest } from "../results/run-manifest.js";

/** The terminal's table of a run's (or merge's) summary: one column per mode. */
export function summaryTable(summary: RunSummary, manifest: Pick<RunManifest, "paths" | "stopReason" | "wallSeconds" | "horizonSeconds">): string {
  const modes = Object.keys(summary.modes) as MarginMode[];
  const cell = (mode: MarginMode, pick: (s: NonNullable<RunSummary["modes"][MarginMode]>) => string): string => {
    const s = summary.modes[mode];
    return s === undefined ? "-" : pick(s);
  };
  const row = (label: string, pick: (s: NonNullable<RunSummary["modes"][MarginMode]>) => string): string[] => [label, ...modes.map((m) => cell(m, pick))];
  const ci = (p: number, [low, high]: readonly [number, number]): string => `${formatPercent(p)} [${formatPercent(low)}, ${formatPercent(high)}]`;
  return [
    `scenario ${summary.scenario}, seed ${summary.seed}, ${manifest.paths} paths over ${formatDuration(manifest.horizonSeconds)} (${manifest.stopReason}), ${manifest.wallSeconds.toFixed(1)} s`,
    "",
    alignedTable([
      ["", ...modes],
      row("liquidation probability [95% CI]", (s) => ci(s.liquidationProbability, s.liquidationProbabilityCi)),
      row("hedge broken [95% CI]", (s) => ci(s.hedgeBrokenProbability, s.hedgeBrokenProbabilityCi)),
      row("loss given liquidation (mean)", (s) => formatAmount(s.lossGivenLiquidation?.mean ?? null)),
      row("median time to liquidation", (s) => formatDuration(s.medianTimeToLiquidation)),
      row("PnL mean", (s) => formatAmount(s.pnl.mean)),
      row("PnL 5% quantile", (s) => formatAmount(s.pnl.quantiles.p05)),
      row("VaR 99%", (s) => formatAmount(s.valueAtRisk.p99)),
      row("ES 99%", (s) => formatAmount(s.expectedShortfall.p99)),
      row("funding received (mean)", (s) => formatAmount(s.fundingReceived.mean)),
      row("fees (mean)", (s) => formatAmount(s.tradingFees.mean + s.liquidationFees.mean)),
      row("capital reserved", (s) => formatAmount(s.capitalReserved.mean)),
      row("APR on capital", (s) => formatPercent(s.aprOnCapital)),
      row("worst distance to liq. (median)", (s) => formatPercent(s.minDistanceToLiquidation?.median ?? null)),
    ]),
  ].join("\n");
}
