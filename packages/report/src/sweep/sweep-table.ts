import type { ModeLabel } from "@mstress/core";
import type { ChartRecord } from "../charts/report-chart.js";
import { modeFigures, type ModeFigures } from "../summary/mode-figures.js";
import type { ModeSummary } from "../summary/summarise-mode.js";
import type { PolicySummary } from "../summary/summarise-policies.js";

/** One grid point's parameter values, in the order the parameters were given. */
export type SweepValues = readonly { readonly name: string; readonly value: number | string }[];

export interface SweepPointSummary {
  readonly point: number;
  readonly values: SweepValues;
  readonly modes: Readonly<Partial<Record<ModeLabel, ModeSummary>>>;
  /** mode -> policy -> figures, for a scenario with policies. */
  readonly policies?: Readonly<Record<string, Readonly<Record<string, PolicySummary>>>>;
}

/** The tidy sweep table: one row per (grid point, mode). Parameter columns carry the parameters' own names. */
export interface SweepRow extends ModeFigures {
  readonly point: number;
  readonly label: string;
  readonly values: SweepValues;
  readonly mode: ModeLabel;
  /** The market parameters' values ("vol=0.4"; "" when none is swept): a frontier is drawn within each. */
  readonly market: string;
  /**
   * No other point of the same mode and the same market parameters is at least as safe and at least as
   * profitable, and better in one.
   */
  readonly onFrontier: boolean;
}

/**
 * Whether a swept parameter describes the market (volatility, or any `market.` field but the horizon) rather than a
 * choice the desk makes (an allocation, a deposit, a size, how long to hold). A frontier compares choices under
 * one market: a point is never "more efficient" because it assumed a calmer market.
 */
export function isMarketParameter(name: string): boolean {
  return name === "vol" || name === "volatility" || (name.startsWith("market.") && name !== "market.horizon");
}

export function sweepPointLabel(values: SweepValues): string {
  return values.map(({ name, value }) => `${name}=${String(value)}`).join(", ");
}

/**
 * Rows of every point and mode, with the capital-efficiency frontier marked: per mode and per value of the market
 * parameters, the points no other point dominates on (lower liquidation probability, higher APR on capital). A
 * point without an APR (no capital employed) is never on it.
 */
export function sweepRows(points: readonly SweepPointSummary[]): SweepRow[] {
  const rows = points.flatMap((point) =>
    (Object.entries(point.modes) as [ModeLabel, ModeSummary][]).map(([mode, summary]) => ({
      point: point.point,
      label: sweepPointLabel(point.values),
      values: point.values,
      mode,
      market: sweepPointLabel(point.values.filter(({ name }) => isMarketParameter(name))),
      ...modeFigures(summary),
    })),
  );
  return rows.map((row) => ({ ...row, onFrontier: row.aprOnCapital !== null && !rows.some((other) => other.mode === row.mode && other.market === row.market && dominates(other, row)) }));
}

// Figures that differ only in their last bits are equal: the same paths booked against a larger deposit give a PnL
// (equity minus deposits) that differs by an ulp, which must not decide which of two identical points is efficient.
const tolerance = (x: number, y: number): number => 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
const below = (x: number, y: number): boolean => x < y - tolerance(x, y);

function dominates(a: Omit<SweepRow, "onFrontier">, b: Omit<SweepRow, "onFrontier">): boolean {
  if (a.aprOnCapital === null || b.aprOnCapital === null) return false;
  const noWorse = !below(b.liquidationProbability, a.liquidationProbability) && !below(a.aprOnCapital, b.aprOnCapital);
  const better = below(a.liquidationProbability, b.liquidationProbability) || below(b.aprOnCapital, a.aprOnCapital);
  return noWorse && better;
}

/**
 * Flat records (parameter values as columns named after the parameters), for CSV and chart data. `onFrontier` is
 * "yes" or "no" so that it reads the same inline and from the CSV.
 */
export function sweepRecords(rows: readonly SweepRow[]): ChartRecord[] {
  return rows.map(({ values, ...row }) => ({
    point: row.point,
    ...Object.fromEntries(values.map(({ name, value }) => [name, value])),
    mode: row.mode,
    label: row.label,
    liquidationProbability: row.liquidationProbability,
    liquidationProbabilityLow: row.liquidationProbabilityLow,
    liquidationProbabilityHigh: row.liquidationProbabilityHigh,
    hedgeBrokenProbability: row.hedgeBrokenProbability,
    capitalEmployed: row.capitalEmployed,
    aprOnCapital: row.aprOnCapital,
    aprOnCapitalLow: row.aprOnCapitalLow,
    aprOnCapitalHigh: row.aprOnCapitalHigh,
    pnlMean: row.pnlMean,
    valueAtRisk99: row.valueAtRisk99,
    onFrontier: row.onFrontier ? "yes" : "no",
  }));
}
