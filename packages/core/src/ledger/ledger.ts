import type { Decimal } from "decimal.js";
import { MstressError } from "../errors/mstress-error.js";
import { addToTally, copyTally, decimalOfUnits, emptyTally, tallyDecimal, unitsOf, type ExactTally } from "./exact-tally.js";
import { FundingUnitsEvent } from "./funding-units-event.js";
import type { BalanceBucket, LedgerEvent } from "./ledger-event.js";
import { money } from "./money.js";
import { internedString } from "../venue/interned-string.js";

/** A bucket's key; interned, so looking a balance up by it compares the key by identity (interned-string.ts). */
export function bucketKey(bucket: BalanceBucket): string {
  return bucket.isolatedLeg === undefined ? bucket.account : internedString(`${bucket.account}/isolated/${bucket.isolatedLeg}`);
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
  /** Cash sent out of and into wallets by transfers between accounts; out minus in is in flight. */
  readonly transfersOut: Decimal;
  readonly transfersIn: Decimal;
  readonly transferFees: Decimal;
  /** Cash from selling spot, net of its fee. */
  readonly spotSales: Decimal;
}

/** The same totals as the nearest doubles (what a risk figure or an outcome row reads). */
export type LedgerTotalValues = { readonly [K in keyof LedgerTotals]: number };

/**
 * The append-only book of every balance change, in exact decimals. Balances are derived from the events only.
 *
 * Conservation (tested as a property): deposits + realised PnL - trading fees + funding + spot sales
 *   - transfer fees - in flight = sum of balances + insurance-fund share, where the fund's share = liquidation fees
 *   + contributions - cover and in flight = transfers out - transfers in.
 *
 * Balances and the running sums by event kind are exact tallies (exact-tally.ts): whole numbers of 1e-8 held as
 * float64 integers while they fit, decimals otherwise, so a booking costs no decimal arithmetic in the Monte
 * Carlo's hot path (270 funding bookings per path) and the book stays exact. Each event keeps its decimal amount;
 * a funding payment booked by its units makes that decimal only when the events are read (funding-units-event.ts).
 */
export class Ledger {
  readonly #events: LedgerEvent[];
  // Running sums by event kind, so totals() costs nothing per path in the Monte Carlo.
  readonly #sums: Map<LedgerEvent["kind"], ExactTally>;
  // Balances by bucket key; each tally's `value` is the float mirror the per-step risk checks read: a check reads
  // a balance thousands of times between two bookings, and converting a decimal costs more than the check itself.
  readonly #balances: Map<string, ExactTally>;
  // The bucket last booked to and its tally: an account books to the same bucket object over and over (a funding
  // payment to its wallet or its isolated allocation at every settlement), and a tally, once made, stays its key's.
  #lastBucket: BalanceBucket | undefined;
  #lastTally: ExactTally | undefined;
  // Likewise the kind last booked and its running sum (a path books funding of one kind at most settlements).
  #lastKind: LedgerEvent["kind"] | undefined;
  #lastSum: ExactTally | undefined;
  // Whether events are logged: the Monte Carlo reads only balances and totals, and logging (an object per funding
  // payment, copied with the ledger for every path) was a fifth of what its kernel allocated (see `stopKeepingEvents`).
  #keepsEvents: boolean;
  // The amount of a booking given only by its units, for a tally that falls back to decimals (one object, reused).
  readonly #unitsSource = new UnitsAmount();

  constructor(from?: Ledger) {
    // Copied without intermediate arrays: the Monte Carlo copies a mode's opened ledger for every path.
    this.#keepsEvents = from === undefined ? true : from.#keepsEvents;
    this.#events = from === undefined || !from.#keepsEvents ? [] : from.#events.slice();
    this.#sums = new Map();
    this.#balances = new Map();
    if (from !== undefined) {
      from.#sums.forEach((tally, kind) => this.#sums.set(kind, copyTally(tally)));
      from.#balances.forEach((tally, key) => this.#balances.set(key, copyTally(tally)));
    }
  }

  /** An independent copy: the same events and balances, booked on separately from here on. */
  clone(): Ledger {
    return new Ledger(this);
  }

  /**
   * From here on (and in every clone) the ledger logs no events and forgets those logged: balances and totals stay
   * exact and complete, `events` is refused. For the Monte Carlo, which books thousands of events per path and reads
   * none of them; replay keeps them.
   */
  stopKeepingEvents(): void {
    this.#keepsEvents = false;
    this.#events.length = 0;
  }

  /** Whether `events` is available (see `stopKeepingEvents`). */
  get keepsEvents(): boolean {
    return this.#keepsEvents;
  }

  /** Every event booked, in order, as plain data (funding booked by units gets its decimal amount here). */
  get events(): readonly LedgerEvent[] {
    if (!this.#keepsEvents) throw new MstressError("E_INVARIANT", "ledger: this ledger keeps no events (stopKeepingEvents)");
    const events = this.#events;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (event instanceof FundingUnitsEvent) events[i] = event.plainEvent();
    }
    return events;
  }

  balance(bucket: BalanceBucket): Decimal {
    const tally = this.#balances.get(bucketKey(bucket));
    return tally === undefined ? money(0) : tallyDecimal(tally);
  }

  /**
   * The running tally of a bucket key, undefined until something is booked to it. A tally, once made, stays its
   * key's for the life of this ledger and is updated in place by every booking, so a reader may keep it and read
   * its `value` (the balance as a float) without looking the key up again (`Account.walletBalance`).
   */
  balanceTally(key: string): Readonly<ExactTally> | undefined {
    return this.#balances.get(key);
  }

  /** All balances of one account: its wallet and every isolated allocation. */
  accountBalances(account: string): { readonly key: string; readonly balance: Decimal }[] {
    return [...this.#balances.entries()]
      .filter(([key]) => key === account || key.startsWith(`${account}/`))
      .map(([key, tally]) => ({ key, balance: tallyDecimal(tally) }));
  }

  /**
   * Books one event. `amountUnits` may give the amount in units of 1e-8 (exactly amount x 1e8, an integer) when the
   * caller has it, sparing a decimal-to-float conversion: a funding payment computed once and booked into each
   * mode's ledger (see `fundingPayment`). Left out, it is derived from the amount.
   */
  book(event: LedgerEvent, amountUnits?: number): void {
    let units: number;
    if (amountUnits === undefined) {
      if (event.amount.isNegative() || !event.amount.isFinite()) {
        throw new MstressError("E_INVARIANT", `ledger: ${event.kind} amount must be a finite non-negative decimal, got ${event.amount.toString()}`);
      }
      units = unitsOf(event.amount);
    } else {
      // Given units are checked on their own, so an amount made on demand is not made here.
      if (!Number.isSafeInteger(amountUnits) || amountUnits < 0) throw new MstressError("E_INVARIANT", `ledger: ${event.kind} units must be a non-negative safe integer, got ${String(amountUnits)}`);
      units = amountUnits;
    }
    if (this.#keepsEvents) this.#events.push(event);
    let sum = event.kind === this.#lastKind ? this.#lastSum : undefined;
    if (sum === undefined) {
      sum = this.#sums.get(event.kind);
      if (sum === undefined) {
        sum = emptyTally();
        this.#sums.set(event.kind, sum);
      }
      this.#lastKind = event.kind;
      this.#lastSum = sum;
    }
    addToTally(sum, 1, event, units);
    switch (event.kind) {
      case "deposit":
      case "realised-profit":
      case "funding-received":
      case "insurance-cover":
      case "transfer-in":
      case "spot-sale":
        this.#add(event.bucket, 1, event, units);
        return;
      case "realised-loss":
      case "trading-fee":
      case "funding-paid":
      case "liquidation-fee":
      case "insurance-contribution":
      case "transfer-out":
      case "transfer-fee":
        this.#add(event.bucket, -1, event, units);
        return;
      case "isolated-allocation":
      case "margin-top-up":
        this.#add({ account: event.bucket.account }, -1, event, units);
        this.#add(event.bucket, 1, event, units);
        return;
      case "isolated-release":
        this.#add(event.bucket, -1, event, units);
        this.#add({ account: event.bucket.account }, 1, event, units);
        return;
    }
  }

  /**
   * Books a funding payment of `units` (a positive whole number of 1e-8) to `bucket`: as `book` with a
   * FundingUnitsEvent, which is made only when events are kept.
   */
  bookFundingUnits(kind: "funding-received" | "funding-paid", t: number, bucket: BalanceBucket, leg: string, rate: number, units: number): void {
    if (this.#keepsEvents) {
      this.book(new FundingUnitsEvent(kind, t, bucket, leg, rate, units), units);
      return;
    }
    if (!Number.isSafeInteger(units) || units < 0) throw new MstressError("E_INVARIANT", `ledger: ${kind} units must be a non-negative safe integer, got ${String(units)}`);
    const source = this.#unitsSource;
    source.units = units;
    let sum = kind === this.#lastKind ? this.#lastSum : undefined;
    if (sum === undefined) {
      sum = this.#sums.get(kind);
      if (sum === undefined) {
        sum = emptyTally();
        this.#sums.set(kind, sum);
      }
      this.#lastKind = kind;
      this.#lastSum = sum;
    }
    addToTally(sum, 1, source, units);
    this.#add(bucket, kind === "funding-received" ? 1 : -1, source, units);
  }

  totals(): LedgerTotals {
    const sum = (kinds: readonly LedgerEvent["kind"][]): Decimal =>
      kinds.reduce((total, kind) => {
        const tally = this.#sums.get(kind);
        return tally === undefined ? total : total.plus(tallyDecimal(tally));
      }, money(0));
    return {
      deposits: sum(["deposit"]),
      realisedPnl: sum(["realised-profit"]).minus(sum(["realised-loss"])),
      tradingFees: sum(["trading-fee"]),
      funding: sum(["funding-received"]).minus(sum(["funding-paid"])),
      liquidationFees: sum(["liquidation-fee"]),
      insuranceContributions: sum(["insurance-contribution"]),
      insuranceCover: sum(["insurance-cover"]),
      transfersOut: sum(["transfer-out"]),
      transfersIn: sum(["transfer-in"]),
      transferFees: sum(["transfer-fee"]),
      spotSales: sum(["spot-sale"]),
    };
  }

  /**
   * `totals()` as the nearest doubles, without materialising decimals while the sums are exact integers of 1e-8
   * (a difference of two such integers is exact, and dividing it by 1e8 rounds it once, as toNumber() does).
   */
  totalValues(): LedgerTotalValues {
    const value = (plus: LedgerEvent["kind"], minus?: LedgerEvent["kind"]): number => {
      const a = this.#sums.get(plus) ?? emptyTally();
      const b = minus === undefined ? emptyTally() : (this.#sums.get(minus) ?? emptyTally());
      if (a.exact && b.exact && Math.abs(a.units - b.units) <= Number.MAX_SAFE_INTEGER) return (a.units - b.units) / 1e8;
      return tallyDecimal(a).minus(tallyDecimal(b)).toNumber();
    };
    return {
      deposits: value("deposit"),
      realisedPnl: value("realised-profit", "realised-loss"),
      tradingFees: value("trading-fee"),
      funding: value("funding-received", "funding-paid"),
      liquidationFees: value("liquidation-fee"),
      insuranceContributions: value("insurance-contribution"),
      insuranceCover: value("insurance-cover"),
      transfersOut: value("transfer-out"),
      transfersIn: value("transfer-in"),
      transferFees: value("transfer-fee"),
      spotSales: value("spot-sale"),
    };
  }

  totalBalance(): Decimal {
    return [...this.#balances.values()].reduce((total, tally) => total.plus(tallyDecimal(tally)), money(0));
  }

  #add(bucket: BalanceBucket, sign: 1 | -1, source: { readonly amount: Decimal }, units: number): void {
    let tally = bucket === this.#lastBucket ? this.#lastTally : undefined;
    if (tally === undefined) {
      const key = bucketKey(bucket);
      tally = this.#balances.get(key);
      if (tally === undefined) {
        tally = emptyTally();
        this.#balances.set(key, tally);
      }
      this.#lastBucket = bucket;
      this.#lastTally = tally;
    }
    addToTally(tally, sign, source, units);
  }
}

/** The decimal amount of a booking known by its units, made only if a tally falls back to decimals. */
class UnitsAmount {
  units = 0;

  get amount(): Decimal {
    return decimalOfUnits(this.units);
  }
}
