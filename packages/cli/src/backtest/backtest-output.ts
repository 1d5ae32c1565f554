import type { Scenario } from "@mstress/core";
import { backtestNotes, formatAmount, formatDuration, formatPercent, type BacktestDescription, type BacktestModeSummary, type BacktestRow } from "@mstress/report";
import type { BacktestResult } from "@mstress/sim";
import { alignedTable } from "../output/aligned-table.js";
import type { BacktestHistory } from "./backtest-history.js";

/** The backtest's windows as tidy rows, window by window and each window's evaluations in label order. */
export function backtestRows(result: BacktestResult): BacktestRow[] {
  const at = (openTime: number, seconds: number | null): number | null => (seconds === null ? null : openTime + seconds);
  return result.windows.flatMap((w) =>
    result.labels.map((mode, e) => {
      const o = w.outcomes[e];
      if (o === undefined) throw new RangeError(`backtest: window ${String(w.k)} has no outcome for ${mode}`);
      return {
        window: w.k,
        mode,
        openedAt: w.openTime,
        closesAt: w.openTime + result.horizonSeconds,
        openPrice: w.openPrice,
        closePrice: w.closePrice,
        quantityScale: w.quantityScale,
        liquidated: o.liquidated,
        liquidatedAt: at(w.openTime, o.liquidatedAt),
        liquidationPrice: o.liquidationPrice,
        hedgeBroken: o.hedgeBroken,
        hedgeBrokenAt: at(w.openTime, o.hedgeBrokenAt),
        loss: o.loss,
        pnl: o.pnl,
        fundingReceived: o.fundingReceived,
        tradingFees: o.tradingFees,
        liquidationFees: o.liquidationFees,
        capitalEmployed: o.capitalEmployed,
        minDistanceToLiquidation: o.minDistanceToLiquidation,
        actions: o.actions,
      };
    }),
  );
}

/** What the backtest read and how it set its windows up, for the notes of the page and the terminal. */
export function backtestDescription(scenario: Scenario, history: BacktestHistory, result: BacktestResult, everySeconds: number): BacktestDescription {
  const { prices, bars, funding, basis } = history;
  return {
    asset: result.asset,
    scenarioPrice: result.scenarioPrice,
    history: {
      files: history.priceFiles,
      rows: prices.rows.length,
      step: prices.step,
      stepInferred: prices.stepInferred,
      first: bars.closeTime[0] ?? Number.NaN,
      last: bars.closeTime[bars.closeTime.length - 1] ?? Number.NaN,
      duplicates: prices.duplicates,
      gaps: prices.gaps,
      filled: prices.filled,
      unbracketedBars: prices.unbracketedBars.count,
    },
    windows: { count: result.layout.count, kept: result.windows.length, stepsPerWindow: result.layout.stepsPerWindow, everySeconds, horizonSeconds: result.horizonSeconds },
    funding: funding === null ? null : { files: funding.files, settlements: funding.history.settlements.length, intervalHours: funding.history.intervalHours, gaps: funding.history.gaps.count },
    fundingModel: { mean: result.market.fundingMean, coupling: result.market.fundingCoupling },
    fundingBooked: scenario.costs.funding,
    basis: result.market.basis,
    basisFiles: basis === null ? null : { files: basis.files, values: basis.history.values.length, stepSeconds: basis.history.stepSeconds, gaps: basis.history.gaps.count, largestGapSeconds: basis.history.gaps.largestSeconds },
    policies: scenario.policies.length,
    leftOut: { stressOverlays: scenario.market?.stress.length ?? 0, regime: scenario.market?.regime !== undefined, adlModel: scenario.market?.adl !== undefined },
  };
}

/**
 * The terminal's answer: the scaling and funding notes, the per-mode table, the model check's lines, and each
 * mode's worst windows.
 */
export function backtestText(name: string, description: BacktestDescription, summaries: ReadonlyMap<string, BacktestModeSummary>): string {
  const modes = [...summaries];
  const row = (label: string, cell: (s: BacktestModeSummary) => string): string[] => [label, ...modes.map(([, s]) => cell(s))];
  const interval = (p: number, [low, high]: readonly [number, number]): string => `${formatPercent(p)} [${formatPercent(low)}, ${formatPercent(high)}]`;
  const notes = backtestNotes(description);
  const checks = modes.flatMap(([, s]) => (s.modelCheck === null ? [] : [s.modelCheck.line]));
  const worst = modes.map(([mode, s]) =>
    [
      `worst windows, ${mode} (by PnL, no two overlapping):`,
      alignedTable([
        ["  opened (UTC)", "closed", "liquidated at (UTC)", "at price", "loss", "PnL"],
        ...s.worstWindows.map((w) => [`  ${w.openedAt}`, w.closesAt.slice(0, 10), w.liquidatedAt ?? "not liquidated", formatAmount(w.liquidationPrice), formatAmount(w.loss), formatAmount(w.pnl)]),
      ]),
    ].join("\n"),
  );
  return [
    `backtest of ${name}: ${String(description.windows.kept)} windows of ${formatDuration(description.windows.horizonSeconds)}, one every ${formatDuration(description.windows.everySeconds)}`,
    ...notes.slice(0, notes.length - 2).map((note) => `  ${note}`),
    "  Intervals: 95 % Wilson on the effective count of non-overlapping windows; model check: two-proportion z-test at 5 % on that count (backtest.html, docs/backtest.md).",
    "",
    alignedTable([
      ["", ...modes.map(([mode]) => mode)],
      row("windows (effective)", (s) => `${String(s.windows)} (${s.effectiveWindows.toFixed(1)})`),
      row("liquidated windows", (s) => String(s.liquidatedWindows)),
      row("liquidation frequency [95% CI]", (s) => interval(s.liquidationFrequency, s.liquidationFrequencyCi)),
      row("hedge broken [95% CI]", (s) => interval(s.hedgeBrokenFrequency, s.hedgeBrokenFrequencyCi)),
      row("Monte Carlo probability [95% CI]", (s) => (s.modelCheck === null ? "-" : interval(s.modelCheck.monteCarloProbability, s.modelCheck.monteCarloCi))),
      row("the model", (s) => (s.modelCheck === null ? "-" : `${s.modelCheck.verdict} (z ${s.modelCheck.z.toFixed(2)})`)),
      row("loss given liquidation (mean)", (s) => formatAmount(s.lossGivenLiquidation?.mean ?? null)),
      row("PnL mean", (s) => formatAmount(s.pnl.mean)),
      row("PnL 5% quantile", (s) => formatAmount(s.pnl.p05)),
      row("capital employed", (s) => formatAmount(s.capitalEmployed)),
      row("APR on capital", (s) => formatPercent(s.aprOnCapital)),
    ]),
    ...(checks.length === 0 ? [] : ["", ...checks]),
    "",
    worst.join("\n\n"),
  ].join("\n");
}
