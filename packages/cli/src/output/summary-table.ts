import type { ModeLabel } from "@mstress/core";
import { stopReasonText, type FigureInterval, type RunSummary } from "@mstress/report";
import { alignedTable, formatAmount, formatDuration, formatPercent } from "./aligned-table.js";
import type { RunManifest } from "../results/run-manifest.js";

/**
 * The terminal's table of a run's (or merge's) summary: one column per mode (and its passive baseline), each figure
 * a limit can quote with its 95 % interval.
 */
export function summaryTable(summary: RunSummary, manifest: Pick<RunManifest, "paths" | "stopReason" | "precision" | "wallSeconds" | "horizonSeconds">): string {
  const modes = Object.keys(summary.modes) as ModeLabel[];
  const cell = (mode: ModeLabel, pick: (s: NonNullable<RunSummary["modes"][ModeLabel]>) => string): string => {
    const s = summary.modes[mode];
    return s === undefined ? "-" : pick(s);
  };
  const row = (label: string, pick: (s: NonNullable<RunSummary["modes"][ModeLabel]>) => string): string[] => [label, ...modes.map((m) => cell(m, pick))];
  const ci = (p: number, [low, high]: readonly [number, number]): string => `${formatPercent(p)} [${formatPercent(low)}, ${formatPercent(high)}]`;
  const amount = (value: number | null, interval: FigureInterval | undefined): string =>
    interval === undefined || interval === null ? formatAmount(value) : `${formatAmount(value)} [${formatAmount(interval[0])}, ${formatAmount(interval[1])}]`;
  const percent = (value: number | null, interval: FigureInterval | undefined): string =>
    interval === undefined || interval === null ? formatPercent(value) : `${formatPercent(value)} [${formatPercent(interval[0])}, ${formatPercent(interval[1])}]`;
  return [
    `scenario ${summary.scenario}, seed ${summary.seed}, ${manifest.paths} paths over ${formatDuration(manifest.horizonSeconds)} (${stopReasonText(manifest.paths, manifest)}), ${manifest.wallSeconds.toFixed(1)} s`,
    "",
    alignedTable([
      ["", ...modes],
      row("liquidation probability [95% CI]", (s) => ci(s.liquidationProbability, s.liquidationProbabilityCi)),
      row("hedge broken [95% CI]", (s) => ci(s.hedgeBrokenProbability, s.hedgeBrokenProbabilityCi)),
      row("loss given liquidation mean [95% CI]", (s) => amount(s.lossGivenLiquidation?.mean ?? null, s.lossGivenLiquidation?.meanCi)),
      row("route PnL on liquidated paths [95% CI]", (s) => amount(s.pnlGivenLiquidation?.mean ?? null, s.pnlGivenLiquidation?.meanCi)),
      row("median time to liquidation", (s) => formatDuration(s.medianTimeToLiquidation)),
      row("PnL mean [95% CI]", (s) => amount(s.pnl.mean, s.pnl.meanCi)),
      row("PnL 5% quantile [95% CI]", (s) => amount(s.pnl.quantiles.p05, s.pnl.quantilesCi.p05)),
      row("VaR 99% [95% CI]", (s) => amount(s.valueAtRisk.p99, s.valueAtRisk.p99Ci)),
      row("ES 99% [95% CI]", (s) => amount(s.expectedShortfall.p99, s.expectedShortfall.p99Ci)),
      row("funding received mean [95% CI]", (s) => amount(s.fundingReceived.mean, s.fundingReceived.meanCi)),
      row("fees (mean)", (s) => formatAmount(s.tradingFees.mean + s.liquidationFees.mean)),
      row("capital employed", (s) => formatAmount(s.capitalEmployed.mean)),
      row("APR on capital [95% CI]", (s) => percent(s.aprOnCapital, s.aprOnCapitalCi)),
      row("worst distance to liq. median [95% CI]", (s) => percent(s.minDistanceToLiquidation?.median ?? null, s.minDistanceToLiquidation?.medianCi)),
    ]),
  ].join("\n");
}
