import type { Decimal } from "decimal.js";
import { MstressError } from "../errors/mstress-error.js";
import { settledFundingRate } from "../funding/funding-payment.js";
import { bucketKey, type Ledger } from "../ledger/ledger.js";
import type { BalanceBucket } from "../ledger/ledger-event.js";
import { money, priceAtTick, settle } from "../ledger/money.js";
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

/** Spot held as a route's leg. It is margin collateral only in portfolio mode (domain.md "Cross"). */
export interface SpotHolding {
  readonly leg: string;
  readonly route: string;
  readonly asset: string;
  readonly side: Side;
  readonly quantity: Decimal;
  readonly entryPrice: Decimal;
  readonly quantityValue: number;
  readonly entryValue: number;
}

/**
 * What one funding settlement pays a position (positive: received): notional at the mark, booked at the tick,
 * times the already-capped per-interval rate; longs pay shorts when the rate is positive (domain.md "Funding").
 */
export function fundingReceived(position: PerpetualPosition, markPrice: number, cappedRate: number): Decimal {
  const owed = position.quantity.times(priceAtTick(markPrice, position.terms.tickSize)).times(cappedRate);
  return settle(position.side === 1 ? owed.negated() : owed);
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

  constructor(
    readonly name: string,
    readonly venue: VenueProfile,
    readonly mode: MarginMode,
    readonly ledger: Ledger,
  ) {
    if (mode === "portfolio" && venue.portfolio === undefined) {
      throw new MstressError("E_BAD_INPUT", `margin mode portfolio is not offered by venue ${venue.name} (its profile has no portfolio block)`);
    }
    this.#walletKey = bucketKey(this.wallet);
  }

  get wallet(): BalanceBucket {
    return { account: this.name };
  }

  isolatedBucket(leg: string): BalanceBucket {
    return { account: this.name, isolatedLeg: leg };
  }

  /** The bucket that backs a position: its own isolated margin, or the account wallet. */
  bucketOf(position: PerpetualPosition): BalanceBucket {
    return this.mode === "isolated" ? this.isolatedBucket(position.leg) : this.wallet;
  }

  walletBalance(): number {
    return this.ledger.balanceValue(this.#walletKey);
  }

  isolatedMargin(leg: string): number {
    let key = this.#isolatedKeys.get(leg);
    if (key === undefined) {
      key = bucketKey(this.isolatedBucket(leg));
      this.#isolatedKeys.set(leg, key);
    }
    return this.ledger.balanceValue(key);
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
   * bucket that backs the position (funding moves the liquidation price, domain.md "Funding").
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
   * Closes `quantity` of a position at `price` (booked at the tick) and books the realised PnL into its bucket.
   * Returns the realised PnL (decimal). Removes the position when nothing is left.
   */
  closePerpetual(t: number, position: PerpetualPosition, quantity: Decimal, price: number): Decimal {
    const fill = priceAtTick(price, position.terms.tickSize);
    const pnl = settle(fill.minus(position.entryPrice).times(quantity).times(position.side));
    const bucket = this.bucketOf(position);
    if (pnl.isPositive()) {
      this.ledger.book({ kind: "realised-profit", t, bucket, amount: pnl, leg: position.leg, price: fill, quantity });
    } else if (pnl.isNegative()) {
      this.ledger.book({ kind: "realised-loss", t, bucket, amount: pnl.negated(), leg: position.leg, price: fill, quantity });
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
