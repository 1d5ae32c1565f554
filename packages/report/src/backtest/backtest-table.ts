import type { ChartRecord } from "../charts/report-chart.js";

/**
 * One window of history under one mode (or its passive baseline): the tidy row of windows.csv. Times are Unix
 * seconds; prices are the history's own (not the scenario's frame).
 */
export interface BacktestRow {
  /** Window number k: it opens at the close of row k x every of the history. */
  readonly window: number;
  readonly mode: string;
  readonly openedAt: number;
  readonly closesAt: number;
  readonly openPrice: number;
  readonly closePrice: number;
  /** Scenario price / opening price: the factor on every leg's quantity. */
  readonly quantityScale: number;
  readonly liquidated: boolean;
  readonly liquidatedAt: number | null;
  readonly liquidationPrice: number | null;
  readonly hedgeBroken: boolean;
  readonly hedgeBrokenAt: number | null;
  /** What forced closes cost: realised loss, liquidation fees, margin seized. */
  readonly loss: number;
  readonly pnl: number;
  readonly fundingReceived: number;
  readonly tradingFees: number;
  readonly liquidationFees: number;
  readonly capitalEmployed: number;
  readonly minDistanceToLiquidation: number | null;
  /** What the scenario's policies did in the window (0 without policies, and in the passive rows). */
  readonly actions: number;
}

/** A UTC date-time to the second, as the tables and the page print it (a liquidation's instant is located to far less). */
export function utcTime(seconds: number): string {
  return new Date(Math.round(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** A UTC date: 2020-03-12. */
export function utcDate(seconds: number): string {
  return utcTime(seconds).slice(0, 10);
}

const timeOrNull = (seconds: number | null): string | null => (seconds === null ? null : utcTime(seconds));

/** windows.csv: one record per window and mode, times in ISO-8601 UTC, yes/no flags, empty where not applicable. */
export function backtestRecords(rows: readonly BacktestRow[]): ChartRecord[] {
  return rows.map((row) => ({
    window: row.window,
    mode: row.mode,
    openedAt: utcTime(row.openedAt),
    closesAt: utcTime(row.closesAt),
    openPrice: row.openPrice,
    closePrice: row.closePrice,
    quantityScale: row.quantityScale,
    liquidated: row.liquidated ? "yes" : "no",
    liquidatedAt: timeOrNull(row.liquidatedAt),
    liquidationPrice: row.liquidationPrice,
    hedgeBroken: row.hedgeBroken ? "yes" : "no",
    hedgeBrokenAt: timeOrNull(row.hedgeBrokenAt),
    loss: row.loss,
    pnl: row.pnl,
    fundingReceived: row.fundingReceived,
    tradingFees: row.tradingFees,
    liquidationFees: row.liquidationFees,
    capitalEmployed: row.capitalEmployed,
    minDistanceToLiquidation: row.minDistanceToLiquidation,
    actions: row.actions,
  }));
}
