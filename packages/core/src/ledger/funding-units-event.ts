import type { Decimal } from "decimal.js";
import { decimalOfUnits } from "./exact-tally.js";
import type { BalanceBucket, LedgerEvent } from "./ledger-event.js";

/**
 * A funding event booked by its amount in units of 1e-8 (`Account.bookFundingPayment`), whose decimal is made only
 * when read. The Monte Carlo books 270 of these per path and reads none: the ledger's tallies add the units, and
 * making each decimal was a tenth of the kernel's time. `Ledger.events` hands out plain events (`plainEvent`), so a
 * reader never meets this class: its amount is a getter, which a spread, JSON or structuredClone would drop.
 */
export class FundingUnitsEvent {
  readonly kind: "funding-received" | "funding-paid";
  readonly t: number;
  readonly bucket: BalanceBucket;
  readonly leg: string;
  readonly rate: number;
  readonly #units: number;
  #amount: Decimal | undefined;

  /** `units`: the amount, a positive whole number of 1e-8 (the kind says which way it moves). */
  constructor(kind: "funding-received" | "funding-paid", t: number, bucket: BalanceBucket, leg: string, rate: number, units: number) {
    this.kind = kind;
    this.t = t;
    this.bucket = bucket;
    this.leg = leg;
    this.rate = rate;
    this.#units = units;
  }

  get amount(): Decimal {
    this.#amount ??= decimalOfUnits(this.#units);
    return this.#amount;
  }

  /** The same event as plain data. */
  plainEvent(): LedgerEvent {
    return { kind: this.kind, t: this.t, bucket: this.bucket, amount: this.amount, leg: this.leg, rate: this.rate };
  }
}
