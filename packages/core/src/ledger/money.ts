import { Decimal } from "decimal.js";

/**
 * The decimal type every booked amount uses. 40 significant digits hold any product of a price and a quantity
 * exactly; amounts are then rounded half-even to 1e-8 of the quote asset, the precision venues settle at.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = Decimal;

export const settlementDecimals = 8;

export function money(value: number | string | Decimal): Decimal {
  return new Money(value);
}

/** Round an amount to the settlement precision (half-even: no drift in either direction over many bookings). */
export function settle(amount: Decimal): Decimal {
  return amount.toDecimalPlaces(settlementDecimals, Decimal.ROUND_HALF_EVEN);
}

/**
 * Where a float64 price from a path becomes a booked price. Paths are float64 for speed (typed arrays, no
 * allocation per step); a fill is booked at the instrument's tick, rounded to the nearest tick, never truncated,
 * so the ledger stays exact from here on and a price's float noise cannot leak into balances.
 */
export function priceAtTick(price: number, tickSize: number): Decimal {
  let tick = ticks.get(tickSize);
  if (tick === undefined) {
    tick = new Money(tickSize);
    ticks.set(tickSize, tick);
  }
  // Fast path (most fills in a Monte Carlo): away from a half-tick tie, the float quotient rounds to the same
  // whole number of ticks as the exact decimal quotient (its error is ~1e-16 relative, far below 1e-6), and a
  // whole number of ticks times the tick is exact. Ties and huge counts take the exact decimal route. Tested
  // against the exact route on random prices (money.test.ts).
  const quotient = price / tickSize;
  const whole = Math.round(quotient);
  if (Math.abs(Math.abs(quotient - Math.trunc(quotient)) - 0.5) > 1e-6 && whole >= 0 && whole < 1e7) {
    return new Money(whole).times(tick);
  }
  return new Money(price).toNearest(tick, Decimal.ROUND_HALF_EVEN);
}

// A handful of tick sizes are used by every booking; converting one to a decimal each time was a measurable share
// of a funding settlement in the Monte Carlo.
const ticks = new Map<number, Decimal>();
