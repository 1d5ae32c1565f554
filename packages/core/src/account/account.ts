import type { Decimal } from "decimal.js";
import { MstressError } from "../errors/mstress-error.js";
import { settledFundingRate } from "../funding/funding-payment.js";
import { decimalOfUnits, type ExactTally } from "../ledger/exact-tally.js";
import { bucketKey, type Ledger } from "../ledger/ledger.js";
import type { BalanceBucket, TradeAction } from "../ledger/ledger-event.js";
import { Money, money, priceAtTick, settle } from "../ledger/money.js";
import type { Side } from "../liquidation/liquidation-price.js";
import type { MarginMode } from "../margin/margin-mode.js";
import type { PerpetualTerms } from "../venue/perpetual-terms.js";
import type { VenueProfile } from "../venue/venue-profile.js";
import type { MarketSnapshot } from "./market-snapshot.js";

/** An open perpetual position: one leg of a route. Quantity is absolute; `side` carries the direction. */
export interface PerpetualPosition {
  readonly leg: string;
  readonly route: string;
  readonly terms: PerpetualTerms;
  readonly side: Side;
  quantity: Decimal;
  readonly entryPrice: Decimal;
  /** Float mirrors of the two decimals above for the per-step risk checks (refreshed on every change). */
  quantityValue: number;
  readonly entryValue: number;
}

/**
 * Spot held as a route's leg. It is margin collateral only in portfolio mode (docs/domain.md "Cross"). Its quantity
 * falls when a rule of the route sells some (`Account.sellSpot`).
 */
export interface SpotHolding {
  readonly leg: string;
  readonly route: string;
  readonly asset: string;
  readonly side: Side;
  quantity: Decimal;
  readonly entryPrice: Decimal;
  quantityValue: number;
  readonly entryValue: number;
}

/**
 * What one funding settlement pays a position (positive: received): notional at the mark, booked at the tick,
 * times the already-capped per-interval rate; longs pay shorts when the rate is positive (docs/domain.md "Funding").
 */
export function fundingReceived(position: PerpetualPosition, markPrice: number, cappedRate: number): Decimal {
  const owed = position.quantity.times(priceAtTick(markPrice, position.terms.tickSize)).times(cappedRate);
  return settle(position.side === 1 ? owed.negated() : owed);
}

/**
 * A funding payment (positive: received): in units of 1e-8 when exact integer arithmetic gave it, with `received`
 * null (its decimal is `decimalOfUnits(units)`, made only if needed: see `fundingPaymentReceived`); else `units`
 * is NaN and `received` the decimal. The Monte Carlo computes one per path, leg and settlement and books it into
 * every mode's ledger by its units.
 */
export interface FundingPayment {
  readonly received: Decimal | null;
  readonly units: number;
}

/** The payment as a decimal (positive: received). */
export function fundingPaymentReceived(payment: FundingPayment): Decimal {
  return payment.received ?? decimalOfUnits(payment.units);
}

/**
 * `fundingReceived`, computed exactly in integers where they fit a float64: with the quantity Q / 10^a, the price
 * at the tick W x T / 10^b and the settled rate R / 10^8 (all integers), the amount is Q W T R / 10^(a+b) units of
 * 1e-8, rounded half-even as `settle` rounds. When the product or the unit count leaves the exact integer range of
 * a float64, or the price sits on a half-tick tie, or the rate is not a whole number of 1e-8, it takes the decimal
 * route of `fundingReceived` (the result is the same exact decimal either way; tested as a property).
 */
export function fundingPayment(position: PerpetualPosition, markPrice: number, cappedRate: number): FundingPayment {
  const tick = position.terms.tickSize;
  const quotient = markPrice / tick;
  const whole = Math.round(quotient);
  const rateUnits = Math.round(cappedRate * 1e8);
  const quantity = integerForm(position.quantity);
  const tickParts = integerForm(tick);
  if (
    quantity !== undefined &&
    tickParts !== undefined &&
    quantity.decimals + tickParts.decimals <= 22 &&
    // The same half-tick guard as priceAtTick's float shortcut, so the price is the one it books.
    Math.abs(Math.abs(quotient - Math.trunc(quotient)) - 0.5) > 1e-6 &&
    whole >= 0 &&
    whole < 1e7 &&
    // The rate is the double nearest R / 1e8, whose decimal (its shortest round-trip form) is exactly R x 1e-8.
    Math.abs(rateUnits) < 1e8 &&
    rateUnits / 1e8 === cappedRate
  ) {
    const product = quantity.mantissa * whole * tickParts.mantissa * Math.abs(rateUnits);
    if (product < Number.MAX_SAFE_INTEGER) {
      // Integer division by 10^(a+b) (exact: 10^k is a double for k <= 22), correcting the float quotient's last
      // unit, then half-even on the remainder.
      const divisor = 10 ** (quantity.decimals + tickParts.decimals);
      let units = Math.floor(product / divisor);
      let remainder = product - units * divisor;
      if (remainder < 0) {
        units -= 1;
        remainder += divisor;
      } else if (remainder >= divisor) {
        units += 1;
        remainder -= divisor;
      }
      if (2 * remainder > divisor || (2 * remainder === divisor && units % 2 === 1)) units += 1;
      // A long pays when the rate is positive: received = -side * sign(rate) * |amount| (settle rounds |amount|).
      const signed = units === 0 ? 0 : (rateUnits < 0 ? 1 : -1) * position.side * units;
      return { received: null, units: signed };
    }
  }
  return { received: fundingReceived(position, markPrice, cappedRate), units: Number.NaN };
}

interface IntegerForm {
  readonly mantissa: number;
  readonly decimals: number;
}

// The integer forms of the few quantities and tick sizes a simulation books with, cached by identity (a decimal
// quantity is immutable) or value (a tick size); bounded, since a partial liquidation makes a new quantity.
const integerForms = new Map<Decimal | number, IntegerForm | null>();

/** A decimal as mantissa / 10^decimals with a non-negative integer mantissa exact in a float64, if it has one. */
function integerForm(value: Decimal | number): IntegerForm | undefined {
  let form = integerForms.get(value);
  if (form === undefined) {
    const decimal = typeof value === "number" ? new Money(value) : value;
    const decimals = decimal.decimalPlaces();
    const mantissa = decimal.times(new Money(10).pow(decimals)).toNumber();
    form = Number.isSafeInteger(mantissa) && mantissa >= 0 ? { mantissa, decimals } : null;
    if (integerForms.size >= 256) integerForms.clear();
    integerForms.set(value, form);
  }
  return form ?? undefined;
}

export function unrealisedPnl(position: PerpetualPosition, markPrice: number): number {
  return position.side * position.quantityValue * (markPrice - position.entryValue);
}

/**
 * One margin account on one venue (a sub-account is simply another Account). Several accounts never share
 * collateral. Balances live in the ledger; the account holds its positions and books every change there.
 */
export class Account {
  readonly positions: PerpetualPosition[] = [];
  readonly spot: SpotHolding[] = [];
  readonly #walletKey: string;
  readonly #isolatedKeys = new Map<string, string>();
  // Buckets are plain immutable data; kept so a booking (270 funding payments per Monte Carlo path) makes none.
  readonly #walletBucket: BalanceBucket;
  readonly #isolatedBuckets = new Map<string, BalanceBucket>();
  // Balance tallies read by the risk checks (walletBalance, isolatedMargin), kept once the ledger has them.
  #walletTally: Readonly<ExactTally> | undefined;
  #lastIsolatedLeg: string | undefined;
  #lastIsolatedTally: Readonly<ExactTally> | undefined;

  constructor(
    readonly name: string,
    readonly venue: VenueProfile,
    readonly mode: MarginMode,
    readonly ledger: Ledger,
  ) {
    if (mode === "portfolio" && venue.portfolio === undefined) {
      throw new MstressError("E_BAD_INPUT", `margin mode portfolio is not offered by venue ${venue.name} (its profile has no portfolio block)`);
    }
    this.#walletBucket = { account: this.name };
    this.#walletKey = bucketKey(this.#walletBucket);
  }

  /**
   * The same account (positions, spot holdings) on another ledger, typically `ledger.clone()` of this one's: the
   * Monte Carlo opens a route once per mode and starts every path from a copy, as every path opens at the same
   * prices. Positions are copied (they change on a close); decimals and spot holdings are immutable and shared.
   */
  cloneOnto(ledger: Ledger): Account {
    const copy = new Account(this.name, this.venue, this.mode, ledger);
    // Buckets and their keys are immutable data: shared, so the copy's bookings and balance reads make none.
    for (const [leg, bucket] of this.#isolatedBuckets) copy.#isolatedBuckets.set(leg, bucket);
    for (const [leg, key] of this.#isolatedKeys) copy.#isolatedKeys.set(leg, key);
    for (const position of this.positions) copy.positions.push({ ...position });
    for (const holding of this.spot) copy.spot.push({ ...holding });
    return copy;
  }

  get wallet(): BalanceBucket {
    return this.#walletBucket;
  }

  isolatedBucket(leg: string): BalanceBucket {
    let bucket = this.#isolatedBuckets.get(leg);
    if (bucket === undefined) {
      bucket = { account: this.name, isolatedLeg: leg };
      this.#isolatedBuckets.set(leg, bucket);
    }
    return bucket;
  }

  /** The bucket that backs a position: its own isolated margin, or the account wallet. */
  bucketOf(position: PerpetualPosition): BalanceBucket {
    return this.mode === "isolated" ? this.isolatedBucket(position.leg) : this.wallet;
  }

  walletBalance(): number {
    // The wallet's tally, kept once found: a risk check reads the balance at every step of a path, and the map
    // lookup by key was 4 % of the managed kernel's self time (the ledger never replaces a key's tally).
    const tally = this.#walletTally ?? (this.#walletTally = this.ledger.balanceTally(this.#walletKey));
    return tally === undefined ? 0 : tally.value;
  }

  isolatedMargin(leg: string): number {
    // The last leg asked for and its tally: an isolated account is asked about the same leg over and over.
    if (leg === this.#lastIsolatedLeg && this.#lastIsolatedTally !== undefined) return this.#lastIsolatedTally.value;
    let key = this.#isolatedKeys.get(leg);
    if (key === undefined) {
      key = bucketKey(this.isolatedBucket(leg));
      this.#isolatedKeys.set(leg, key);
    }
    const tally = this.ledger.balanceTally(key);
    this.#lastIsolatedLeg = leg;
    this.#lastIsolatedTally = tally;
    return tally === undefined ? 0 : tally.value;
  }

  deposit(t: number, amount: Decimal): void {
    this.ledger.book({ kind: "deposit", t, bucket: this.wallet, amount: settle(amount) });
  }

  /**
   * Opens a perpetual leg at `price` (float from the path, booked at the tick), paying the taker fee from the
   * wallet. In isolated mode `isolatedMargin` is moved from the wallet to the position first. `entryFee: false`
   * adopts a position that is already open (the liquidation calculator describes an existing account).
   */
  openPerpetual(
    t: number,
    leg: { leg: string; route: string; terms: PerpetualTerms; side: Side; quantity: Decimal; isolatedMargin?: Decimal },
    price: number,
    entryFee = true,
  ): PerpetualPosition {
    const entryPrice = priceAtTick(price, leg.terms.tickSize);
    if (this.mode === "isolated") {
      if (leg.isolatedMargin === undefined) {
        throw new MstressError("E_BAD_INPUT", `legs.${leg.leg}.isolatedMargin: required in isolated mode (the allocation backing this position)`);
      }
      this.ledger.book({ kind: "isolated-allocation", t, bucket: this.isolatedBucket(leg.leg), amount: settle(leg.isolatedMargin) });
    }
    const position: PerpetualPosition = {
      leg: leg.leg,
      route: leg.route,
      terms: leg.terms,
      side: leg.side,
      quantity: leg.quantity,
      entryPrice,
      quantityValue: leg.quantity.toNumber(),
      entryValue: entryPrice.toNumber(),
    };
    this.positions.push(position);
    if (entryFee) this.#chargeFee(t, position.leg, this.wallet, leg.quantity.times(entryPrice).times(leg.terms.takerFeeRate));
    return position;
  }

  holdSpot(leg: { leg: string; route: string; asset: string; side: Side; quantity: Decimal }, price: number): SpotHolding {
    const entryPrice = money(price);
    const holding: SpotHolding = {
      ...leg,
      entryPrice,
      quantityValue: leg.quantity.toNumber(),
      entryValue: price,
    };
    this.spot.push(holding);
    return holding;
  }

  /**
   * Settles one funding interval on every open position: notional at mark times the capped rate, booked to the
   * bucket that backs the position (funding moves the liquidation price, docs/domain.md "Funding").
   */
  settleFunding(t: number, market: MarketSnapshot, rateFor: (terms: PerpetualTerms) => number): void {
    for (const position of this.positions) {
      const rate = settledFundingRate(position.terms, rateFor(position.terms));
      this.bookFunding(t, position, fundingReceived(position, market.markPrice(position.terms), rate), rate);
    }
  }

  /** Books one funding payment computed by `fundingReceived` (positive: received) to the position's bucket. */
  bookFunding(t: number, position: PerpetualPosition, received: Decimal, rate: number): void {
    if (received.isZero()) return;
    const bucket = this.bucketOf(position);
    if (received.isPositive()) {
      this.ledger.book({ kind: "funding-received", t, bucket, amount: received, leg: position.leg, rate });
    } else {
      this.ledger.book({ kind: "funding-paid", t, bucket, amount: received.negated(), leg: position.leg, rate });
    }
  }

  /**
   * Books a `fundingPayment` (one computed per path, leg and settlement and booked into every mode's ledger): by
   * its units when it has them, so no decimal is made unless something reads the event's amount; else as
   * `bookFunding`.
   */
  bookFundingPayment(t: number, position: PerpetualPosition, payment: FundingPayment, rate: number): void {
    const units = payment.units;
    if (Number.isNaN(units)) {
      this.bookFunding(t, position, fundingPaymentReceived(payment), rate);
      return;
    }
    if (units === 0) return;
    const kind = units > 0 ? "funding-received" : "funding-paid";
    const amountUnits = Math.abs(units);
    this.ledger.bookFundingUnits(kind, t, this.bucketOf(position), position.leg, rate, amountUnits);
  }

  /**
   * Closes `quantity` of a position at `price` (booked at the tick) and books the realised PnL into its bucket.
   * Returns the realised PnL (decimal). Removes the position when nothing is left.
   */
  closePerpetual(t: number, position: PerpetualPosition, quantity: Decimal, price: number, action?: TradeAction): Decimal {
    const fill = priceAtTick(price, position.terms.tickSize);
    const pnl = settle(fill.minus(position.entryPrice).times(quantity).times(position.side));
    const bucket = this.bucketOf(position);
    const tag = action === undefined ? {} : { action };
    if (pnl.isPositive()) {
      this.ledger.book({ kind: "realised-profit", t, bucket, amount: pnl, leg: position.leg, price: fill, quantity, ...tag });
    } else if (pnl.isNegative()) {
      this.ledger.book({ kind: "realised-loss", t, bucket, amount: pnl.negated(), leg: position.leg, price: fill, quantity, ...tag });
    }
    position.quantity = position.quantity.minus(quantity);
    position.quantityValue = position.quantity.toNumber();
    if (position.quantity.isZero()) this.positions.splice(this.positions.indexOf(position), 1);
    return pnl;
  }

  /** Voluntary exit of every position at the horizon: close at mark, pay the taker fee, release isolated margin. */
  exitAll(t: number, market: MarketSnapshot): void {
    for (const position of [...this.positions]) {
      const mark = market.markPrice(position.terms);
      const quantity = position.quantity;
      this.closePerpetual(t, position, quantity, mark);
      const fee = quantity.times(priceAtTick(mark, position.terms.tickSize)).times(position.terms.takerFeeRate);
      this.#chargeFee(t, position.leg, this.bucketOf(position), fee);
      if (this.mode === "isolated") this.releaseIsolated(t, position.leg);
    }
  }

  /**
   * A trade a rule of the route (or the venue's auto-deleveraging) makes: closes `quantity` of the position at
   * `price` (the fill, slippage included), pays `feeRate` on the filled notional from the position's bucket, and
   * releases what is left of an isolated allocation when the position is gone. Returns the fee charged.
   */
  reducePerpetual(t: number, position: PerpetualPosition, quantity: Decimal, price: number, feeRate: number, action: TradeAction): Decimal {
    this.closePerpetual(t, position, quantity, price, action);
    const fee = settle(quantity.times(priceAtTick(price, position.terms.tickSize)).times(feeRate));
    const bucket = this.bucketOf(position);
    if (fee.isPositive()) this.ledger.book({ kind: "trading-fee", t, bucket, amount: fee, leg: position.leg, action });
    if (this.mode === "isolated" && !this.positions.includes(position)) this.releaseIsolated(t, position.leg);
    return fee;
  }

  /**
   * Sells `quantity` of a spot holding at `price` (the fill, slippage included) and books the proceeds, net of
   * `feeRate` on the sold value, into the wallet. Removes the holding when nothing is left. Returns the proceeds.
   */
  sellSpot(t: number, holding: SpotHolding, quantity: Decimal, price: number, feeRate: number, action: TradeAction): Decimal {
    const fill = money(price);
    const value = quantity.times(fill);
    const fee = settle(value.times(feeRate));
    const proceeds = settle(value).minus(fee);
    if (proceeds.isPositive()) this.ledger.book({ kind: "spot-sale", t, bucket: this.wallet, amount: proceeds, leg: holding.leg, price: fill, quantity, fee, action });
    holding.quantity = holding.quantity.minus(quantity);
    holding.quantityValue = holding.quantity.toNumber();
    if (holding.quantity.isZero()) this.spot.splice(this.spot.indexOf(holding), 1);
    return proceeds;
  }

  /** A policy's top-up of an isolated position: `amount` from the wallet (free balance) to its allocation. */
  topUpIsolated(t: number, leg: string, amount: Decimal, policy: string): void {
    const settled = settle(amount);
    if (settled.isPositive()) this.ledger.book({ kind: "margin-top-up", t, bucket: this.isolatedBucket(leg), amount: settled, policy });
  }

  /** Cash leaving this wallet for another account (in flight until `receiveTransfer` books it there). */
  sendTransfer(t: number, amount: Decimal, to: string, policy: string): void {
    const settled = settle(amount);
    if (settled.isPositive()) this.ledger.book({ kind: "transfer-out", t, bucket: this.wallet, amount: settled, to, policy });
  }

  /** A transfer arriving in this wallet: `amount` in, then `fee` out (what the transfer cost). */
  receiveTransfer(t: number, amount: Decimal, fee: Decimal, from: string, policy: string): void {
    const settled = settle(amount);
    if (settled.isPositive()) this.ledger.book({ kind: "transfer-in", t, bucket: this.wallet, amount: settled, from, policy });
    const charged = settle(fee);
    if (charged.isPositive()) this.ledger.book({ kind: "transfer-fee", t, bucket: this.wallet, amount: charged, policy });
  }

  /** Moves what is left of an isolated allocation back to the wallet (after the position is gone). */
  releaseIsolated(t: number, leg: string): void {
    const bucket = this.isolatedBucket(leg);
    const left = this.ledger.balance(bucket);
    if (left.isPositive()) this.ledger.book({ kind: "isolated-release", t, bucket, amount: left });
  }

  #chargeFee(t: number, leg: string, bucket: BalanceBucket, fee: Decimal): void {
    const amount = settle(fee);
    if (amount.isPositive()) this.ledger.book({ kind: "trading-fee", t, bucket, amount, leg });
  }
}
