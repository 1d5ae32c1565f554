import { bracketForNotional, type MaintenanceBracket } from "../venue/maintenance-bracket.js";
import type { PerpetualTerms } from "../venue/perpetual-terms.js";

/**
 * The one margin formula: a requirement at `rate` on `notional`, less a bracket's amount. Initial margin is the
 * same formula with rate 1/leverage and amount 0; maintenance uses the bracket's rate and amount.
 */
export function marginRequirement(notional: number, rate: number, amount: number): number {
  return notional * rate - amount;
}

export interface MaintenanceMarginResult {
  readonly maintenanceMargin: number;
  readonly bracket: MaintenanceBracket;
  /** The notional the venue's convention measures the position by (at mark, or at entry for Bybit). */
  readonly notional: number;
}

/**
 * Maintenance margin of one position of |qty| `quantity` under its venue's convention (docs/venues.md §0):
 * Binance/dYdX/Hyperliquid on notional at mark, Bybit on position value at entry, OKX on notional at mark with the
 * taker fee added to the tier rate. Never negative.
 */
export function maintenanceMargin(
  terms: PerpetualTerms,
  quantity: number,
  markPrice: number,
  entryPrice: number,
): MaintenanceMarginResult {
  const notional = quantity * (terms.convention === "entry-value" ? entryPrice : markPrice);
  const bracket = bracketForNotional(terms.brackets, notional);
  return {
    maintenanceMargin: Math.max(0, marginRequirement(notional, effectiveMaintenanceRate(terms, bracket), bracket.maintenanceAmount)),
    bracket,
    notional,
  };
}

/** The rate the convention charges within a bracket (OKX adds the taker fee rate). */
export function effectiveMaintenanceRate(terms: PerpetualTerms, bracket: MaintenanceBracket): number {
  switch (terms.convention) {
    case "mark-notional":
    case "entry-value":
    case "half-initial-at-max-leverage":
      return bracket.maintenanceRate;
    case "mark-plus-taker-fee":
      return bracket.maintenanceRate + terms.takerFeeRate;
  }
}

/** Initial margin to open `notional` at `leverage`: the margin formula at rate 1/leverage. */
export function initialMargin(notional: number, leverage: number): number {
  return marginRequirement(notional, 1 / leverage, 0);
}
