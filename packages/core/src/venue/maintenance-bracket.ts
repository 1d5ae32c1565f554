import type { MaintenanceBracketInput, MaintenanceConvention } from "./venue-profile.js";

/** A bracket with its effective maintenance rate and amount resolved (what the margin formulas use). */
export interface MaintenanceBracket {
  /** 1-based tier number as the venue publishes it. */
  readonly tier: number;
  readonly floor: number;
  readonly cap: number;
  readonly maxLeverage: number;
  readonly maintenanceRate: number;
  readonly maintenanceAmount: number;
}

/**
 * Resolves a venue's bracket table to effective rates and amounts.
 *
 * The rate is the table's, except under Hyperliquid's convention where it is half the initial margin rate at the
 * tier's max leverage. A missing maintenance amount is derived by the continuity recursion
 * `amount_n = amount_{n-1} + floor_n * (rate_n - rate_{n-1})`, `amount_1 = 0` (Binance COIN-M FAQ, Bybit
 * "MM deduction", Hyperliquid "maintenance_deduction"; docs/venues.md §1.2), which makes MM continuous in notional.
 * OKX charges no deduction, so under `mark-plus-taker-fee` a missing amount is 0 and MM steps at tier edges.
 */
export function resolveBrackets(
  convention: MaintenanceConvention,
  tiers: readonly MaintenanceBracketInput[],
): MaintenanceBracket[] {
  const resolved: MaintenanceBracket[] = [];
  tiers.forEach((input, index) => {
    const maintenanceRate =
      convention === "half-initial-at-max-leverage" ? 1 / (2 * input.maxLeverage) : input.maintenanceRate;
    if (maintenanceRate === undefined) {
      throw new Error(`bracket ${index + 1} has no maintenanceRate, which the ${convention} convention needs`);
    }
    const previous = resolved[index - 1];
    const continuousAmount =
      previous === undefined ? 0 : previous.maintenanceAmount + input.floor * (maintenanceRate - previous.maintenanceRate);
    const maintenanceAmount =
      input.maintenanceAmount ?? (convention === "mark-plus-taker-fee" ? 0 : continuousAmount);
    resolved.push({
      tier: index + 1,
      floor: input.floor,
      cap: input.cap,
      maxLeverage: input.maxLeverage,
      maintenanceRate,
      maintenanceAmount,
    });
  });
  return resolved;
}

/**
 * The bracket a position of this notional falls in. Brackets are floor-exclusive, cap-inclusive
 * (Binance "0 < notional <= 50,000"); a notional beyond the last cap stays in the last bracket.
 */
export function bracketForNotional(brackets: readonly MaintenanceBracket[], notional: number): MaintenanceBracket {
  for (const bracket of brackets) {
    if (notional <= bracket.cap) return bracket;
  }
  const last = brackets[brackets.length - 1];
  if (last === undefined) throw new Error("a bracket table needs at least one bracket");
  return last;
}
