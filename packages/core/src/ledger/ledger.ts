import type { Decimal } from "decimal.js";
import { MstressError } from "../errors/mstress-error.js";
import type { BalanceBucket, LedgerEvent } from "./ledger-event.js";
import { money } from "./money.js";

export function bucketKey(bucket: BalanceBucket): string {
  return bucket.isolatedLeg === undefined ? bucket.account : `${bucket.account}/isolated/${bucket.isolatedLeg}`;
}

/** Totals by flow, for the conservation identity and the report's funding-versus-drag breakdown. */
export interface LedgerTotals {
  readonly deposits: Decimal;
  readonly realisedPnl: Decimal;
  readonly tradingFees: Decimal;
  readonly funding: Decimal;
  readonly liquidationFees: Decimal;
  readonly insuranceContributions: Decimal;
  readonly insuranceCover: Decimal;
}

/**
 * The append-only book of every balance change, in exact decimals. Balances are derived from the events only.
 *
 * Conservation (tested as a property): deposits + realised PnL - trading fees + funding
 *   = sum of balances + insurance-fund share, where the fund's share = liquidation fees + contributions - cover.
 */
export class Ledger {
  readonly #events: LedgerEvent[] = [];
  // Running sums by event kind, so totals() costs nothing per path in the Monte Carlo.
  readonly #sums = new Map<LedgerEvent["kind"], Decimal>();
  readonly #balances = new Map<string, Decimal>();
  // Float mirrors of the balances for the per-step risk checks, refreshed at each booking: a check reads a
  // balance thousands of times between two bookings, and converting a decimal costs more than the check itself.
  readonly #balanceValues = new Map<string, number>();

  get events(): readonly LedgerEvent[] {
    return this.#events;
  }

  balance(bucket: BalanceBucket): Decimal {
    return this.#balances.get(bucketKey(bucket)) ?? money(0);
  }

  /** The balance under a bucket key (see `bucketKey`) as a float, for risk checks; 0 when nothing was booked. */
  balanceValue(key: string): number {
    return this.#balanceValues.get(key) ?? 0;
  }

  /** All balances of one account: its wallet and every isolated allocation. */
  accountBalances(account: string): { readonly key: string; readonly balance: Decimal }[] {
    return [...this.#balances.entries()]
      .filter(([key]) => key === account || key.startsWith(`${account}/`))
      .map(([key, balance]) => ({ key, balance }));
  }

  book(event: LedgerEvent): void {
    if (event.amount.isNegative() || !event.amount.isFinite()) {
      throw new MstressError("E_INVARIANT", `ledger: ${event.kind} amount must be a finite non-negative decimal, got ${event.amount.toString()}`);
    }
    this.#events.push(event);
    this.#sums.set(event.kind, (this.#sums.get(event.kind) ?? money(0)).plus(event.amount));
    switch (event.kind) {
      case "deposit":
      case "realised-profit":
      case "funding-received":
      case "insurance-cover":
        this.#add(event.bucket, event.amount);
        return;
      case "realised-loss":
      case "trading-fee":
      case "funding-paid":
      case "liquidation-fee":
      case "insurance-contribution":
        this.#add(event.bucket, event.amount.negated());
        return;
      case "isolated-allocation":
        this.#add({ account: event.bucket.account }, event.amount.negated());
        this.#add(event.bucket, event.amount);
        return;
      case "isolated-release":
        this.#add(event.bucket, event.amount.negated());
        this.#add({ account: event.bucket.account }, event.amount);
        return;
    }
  }

  totals(): LedgerTotals {
    const sum = (kinds: readonly LedgerEvent["kind"][]): Decimal =>
      kinds.reduce((total, kind) => total.plus(this.#sums.get(kind) ?? money(0)), money(0));
    return {
      deposits: sum(["deposit"]),
      realisedPnl: sum(["realised-profit"]).minus(sum(["realised-loss"])),
      tradingFees: sum(["trading-fee"]),
      funding: sum(["funding-received"]).minus(sum(["funding-paid"])),
      liquidationFees: sum(["liquidation-fee"]),
      insuranceContributions: sum(["insurance-contribution"]),
      insuranceCover: sum(["insurance-cover"]),
    };
  }

  totalBalance(): Decimal {
    return [...this.#balances.values()].reduce((total, b) => total.plus(b), money(0));
  }

  #add(bucket: BalanceBucket, delta: Decimal): void {
    const key = bucketKey(bucket);
    const balance = (this.#balances.get(key) ?? money(0)).plus(delta);
    this.#balances.set(key, balance);
    this.#balanceValues.set(key, balance.toNumber());
  }
}
