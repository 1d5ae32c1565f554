import type { Decimal } from "decimal.js";
import { Money, settlementDecimals } from "./money.js";

// A running total of booked amounts, kept exact. Every amount the simulator books is settled to 1e-8, so while a
// total is a whole number of 1e-8 units below 2^53 in magnitude (about $90 million) it is held as that integer in a
// float64, where integer sums are exact; the decimal is materialised only when asked for. An amount that is not a
// whole number of units, or a total that would leave the safe range, switches the tally to decimal arithmetic.
// Either way the total is the exact decimal sum of what was booked. The float mirror is the nearest double to the
// total: `units / 1e8` (an exact integer over an exact power of ten, correctly rounded) is that same double, as
// decimal.js's toNumber() is, so the risk checks that read it see the same value whichever way the sum was kept.

const unitsPerQuote = 10 ** settlementDecimals;
/**
 * Below 10^7 in magnitude a whole number of 1e-8 has under 2^51 units, so its nearest double recovers them: the two
 * roundings (to the double, then value x 1e8) err by at most 2 |units| 2^-53 < 0.5. `unitsOf` gives units only
 * below it, so a tally's float mirror and its units always agree. As the exponent of its leading digit: 7.
 */
const roundTripLimitExponent = 7;

export interface ExactTally {
  /** The total in units of 1e-8 while `exact`; meaningless otherwise. */
  units: number;
  exact: boolean;
  /** The total as a decimal: authoritative when not `exact`, else a cache filled on demand. */
  decimal: Decimal | undefined;
  /** The nearest double to the total. */
  value: number;
}

export function emptyTally(): ExactTally {
  return { units: 0, exact: true, decimal: undefined, value: 0 };
}

export function copyTally(tally: ExactTally): ExactTally {
  return { units: tally.units, exact: tally.exact, decimal: tally.decimal, value: tally.value };
}

/** Powers of ten that are exact doubles, by exponent (10^22 is the last). */
const exactPowersOfTen = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The units of a decimal amount (its value times 1e8) when it is a whole number of them below 10^7 in
 * magnitude (`roundTripLimitExponent`: the range where a tally's float mirror recovers its units), else NaN.
 *
 * Read from decimal.js's own digits rather than through toNumber() and decimalPlaces(), which format the decimal
 * as a string (a booking made two such calls: about 5 % of a worker's profile at 10,000 paths). decimal.js keeps a
 * finite
 * value as its sign `s`, its base-10 exponent `e` (of the leading digit) and base-1e7 words `d`: the first holds 1
 * to 7 digits, every other exactly 7, and there is no trailing zero word. Below 1e7 with at most 8 decimal places
 * a value has at most 15 significant digits, so the integer below is exact. A property test holds it equal to the
 * float route it replaced (toNumber, decimalPlaces, Math.round), exact-tally.test.ts.
 */
export function unitsOf(amount: Decimal): number {
  const words = amount.d as readonly number[] | null;
  // Not finite (d is null), or 1e7 or more in magnitude: NaN, as the float route gives.
  if (words === null || amount.e >= roundTripLimitExponent) return Number.NaN;
  const last = words.length - 1;
  let lastWord = words[last] ?? 0;
  if (lastWord === 0) return amount.s * 0;
  const leading = words[0] ?? 0;
  let digits = 7 * last + 1;
  for (let power = 10; power <= leading; power *= 10) digits++;
  let trailingZeros = 0;
  while (lastWord % 10 === 0) {
    lastWord /= 10;
    trailingZeros++;
  }
  digits -= trailingZeros;
  if (digits > 15) return Number.NaN;
  let mantissa = 0;
  for (let w = 0; w < last; w++) mantissa = mantissa * 1e7 + (words[w] ?? 0);
  mantissa = mantissa * (exactPowersOfTen[7 - trailingZeros] ?? Number.NaN) + lastWord;
  // value = mantissa x 10^(e - digits + 1), so units = mantissa x 10^(e - digits + 1 + 8).
  const scale = amount.e - digits + 1 + settlementDecimals;
  if (scale < 0) return Number.NaN;
  return amount.s * mantissa * (exactPowersOfTen[scale] ?? Number.NaN);
}

/** The decimal of a whole number of units (exact: parsed from its digits and exponent, the cheapest route). */
export function decimalOfUnits(units: number): Decimal {
  return new Money(`${units}e-${settlementDecimals}`);
}

export function tallyDecimal(tally: ExactTally): Decimal {
  if (tally.decimal === undefined) tally.decimal = decimalOfUnits(tally.units);
  return tally.decimal;
}

/**
 * Adds `sign` x `source.amount` to the tally. `amountUnits` is the amount in units of 1e-8 when known (exactly
 * amount x 1e8, an integer), else NaN. The amount is read only when the tally falls back to decimals, so an event
 * whose decimal is made on demand (a funding payment) stays unmade while the sum is exact.
 */
export function addToTally(tally: ExactTally, sign: 1 | -1, source: { readonly amount: Decimal }, amountUnits: number): void {
  if (tally.exact && !Number.isNaN(amountUnits)) {
    const next = tally.units + sign * amountUnits;
    if (Math.abs(next) <= Number.MAX_SAFE_INTEGER) {
      tally.units = next;
      tally.decimal = undefined;
      tally.value = next / unitsPerQuote;
      return;
    }
  }
  const current = tallyDecimal(tally);
  const next = sign === 1 ? current.plus(source.amount) : current.minus(source.amount);
  tally.decimal = next;
  tally.value = next.toNumber();
  tally.units = unitsOf(next);
  tally.exact = !Number.isNaN(tally.units);
}
