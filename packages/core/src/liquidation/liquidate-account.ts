import type { Decimal } from "decimal.js";
import type { Account, PerpetualPosition } from "../account/account.js";
import { unrealisedPnl } from "../account/account.js";
import { accountEquity, breachedLegs, marginSurplus } from "../account/account-risk.js";
import type { MarketSnapshot } from "../account/market-snapshot.js";
import { MstressError } from "../errors/mstress-error.js";
import { money, priceAtTick, settle } from "../ledger/money.js";
import { maintenanceMargin } from "../margin/maintenance-margin.js";

/** One forced close (whole or partial) of a leg. */
export interface LiquidationRecord {
  readonly t: number;
  readonly account: string;
  readonly leg: string;
  readonly route: string;
  readonly markPrice: number;
  readonly quantity: number;
  /** True when the leg is gone after this close. */
  readonly closesLeg: boolean;
  /** What the trader lost on the closed part: realised loss since entry, liquidation fee, margin seized. */
  readonly loss: number;
  readonly liquidationFee: number;
  /** Deficit absorbed by the insurance fund so the trader's equity stays at zero, not below. */
  readonly insuranceCover: number;
}

const maxCloses = 10_000;

/**
 * Applies the venue's liquidation to every position or account whose trigger is met at `market`, and returns
 * what was closed. Isolated: each breached position alone. Cross / portfolio: an account event; positions are
 * closed largest loss first until the account is back above its threshold, or all at once, per the venue
 * profile (docs/domain.md "Liquidation"). Partial closes follow the venue's risk-limit tiers.
 */
export function liquidateDue(account: Account, t: number, market: MarketSnapshot): LiquidationRecord[] {
  const records: LiquidationRecord[] = [];
  if (account.mode === "isolated") {
    for (const leg of breachedLegs(account, market)) {
      const position = account.positions.find((p) => p.leg === leg);
      if (position !== undefined) liquidateIsolated(account, position, t, market, records);
    }
    return records;
  }
  if (marginSurplus(account, market) > 0) return records;
  for (let closes = 0; account.positions.length > 0 && marginSurplus(account, market) <= 0; closes++) {
    if (closes >= maxCloses) throw new MstressError("E_INVARIANT", `liquidation of account ${account.name} did not converge`);
    const targets =
      account.venue.liquidation.cross === "all-at-once"
        ? [...account.positions]
        : [largestLoss(account.positions, market)];
    for (const position of targets) {
      const quantity = chunkToClose(position, market);
      records.push(forcedClose(account, position, quantity, t, market, () => Math.max(0, accountEquity(account, market))));
    }
  }
  coverNegativeAccount(account, t, market, records);
  return records;
}

function largestLoss(positions: readonly PerpetualPosition[], market: MarketSnapshot): PerpetualPosition {
  return positions.reduce((worst, p) =>
    unrealisedPnl(p, market.markPrice(p.terms)) < unrealisedPnl(worst, market.markPrice(worst.terms)) ? p : worst,
  );
}

function liquidateIsolated(account: Account, position: PerpetualPosition, t: number, market: MarketSnapshot, records: LiquidationRecord[]): void {
  const bucket = account.isolatedBucket(position.leg);
  const stillBreached = (): boolean => breachedLegs(account, market).includes(position.leg);
  for (let closes = 0; account.positions.includes(position) && stillBreached(); closes++) {
    if (closes >= maxCloses) throw new MstressError("E_INVARIANT", `liquidation of leg ${position.leg} did not converge`);
    const quantity = chunkToClose(position, market);
    const record = forcedClose(account, position, quantity, t, market, () => Math.max(0, account.ledger.balance(bucket).toNumber()));
    if (account.positions.includes(position)) {
      records.push(record);
      continue;
    }
    // The leg is gone: settle what is left of its allocation.
    const left = account.ledger.balance(bucket);
    let seized = 0;
    let cover = record.insuranceCover;
    if (left.isNegative()) {
      account.ledger.book({ kind: "insurance-cover", t, bucket, amount: left.negated() });
      cover += left.negated().toNumber();
    } else if (left.isPositive() && account.venue.liquidation.settlement === "bankruptcy") {
      account.ledger.book({ kind: "insurance-contribution", t, bucket, amount: left, leg: position.leg });
      seized = left.toNumber();
    } else {
      account.releaseIsolated(t, position.leg);
    }
    records.push({ ...record, loss: record.loss + seized - (cover - record.insuranceCover), insuranceCover: cover });
  }
}

/**
 * How much of a position one liquidation step closes: the whole position, or (venues with risk-limit tiers) just
 * enough to bring it down to the next lower tier's cap, or the venue's fraction of a large position.
 */
function chunkToClose(position: PerpetualPosition, market: MarketSnapshot): Decimal {
  const partial = position.terms.partialLiquidation;
  const mark = market.markPrice(position.terms);
  const price = position.terms.convention === "entry-value" ? position.entryValue : mark;
  switch (partial.kind) {
    case "none":
      return position.quantity;
    case "to-lower-tier": {
      const bracket = maintenanceMargin(position.terms, position.quantityValue, mark, position.entryValue).bracket;
      const lower = position.terms.brackets[bracket.tier - 2];
      if (lower === undefined) return position.quantity;
      const keep = money(lower.cap / price).toDecimalPlaces(8, 1);
      const chunk = position.quantity.minus(keep);
      return chunk.isPositive() ? chunk : position.quantity;
    }
    case "fraction":
      return position.quantityValue * mark > partial.minNotional
        ? position.quantity.times(partial.fraction).toDecimalPlaces(8, 0)
        : position.quantity;
  }
}

/**
 * Closes `quantity` at the mark, then charges the liquidation fee on the closed notional, capped at what the
 * trader still has (`available`): the fee can take equity to zero, never below.
 */
function forcedClose(
  account: Account,
  position: PerpetualPosition,
  quantity: Decimal,
  t: number,
  market: MarketSnapshot,
  available: () => number,
): LiquidationRecord {
  const mark = market.markPrice(position.terms);
  const bucket = account.bucketOf(position);
  const pnl = account.closePerpetual(t, position, quantity, mark);
  const fullFee = settle(quantity.times(priceAtTick(mark, position.terms.tickSize)).times(position.terms.liquidationFeeRate));
  const fee = minDecimal(fullFee, settle(money(available())));
  if (fee.isPositive()) account.ledger.book({ kind: "liquidation-fee", t, bucket, amount: fee, leg: position.leg });
  return {
    t,
    account: account.name,
    leg: position.leg,
    route: position.route,
    markPrice: mark,
    quantity: quantity.toNumber(),
    closesLeg: !account.positions.includes(position),
    loss: fee.minus(pnl).toNumber(),
    liquidationFee: fee.toNumber(),
    insuranceCover: 0,
  };
}

function minDecimal(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}

/**
 * After a cross or portfolio account has been liquidated flat, a negative wallet that its spot collateral cannot
 * repay is absorbed by the insurance fund. In portfolio mode a negative wallet backed by spot is a margin loan
 * and stays.
 */
function coverNegativeAccount(account: Account, t: number, market: MarketSnapshot, records: LiquidationRecord[]): void {
  if (account.positions.length > 0) return;
  const spotValue =
    account.mode === "portfolio"
      ? account.spot.reduce((sum, h) => sum + Math.max(0, h.side * h.quantityValue * market.indexPrice(h.asset)), 0)
      : 0;
  const wallet = account.ledger.balance(account.wallet);
  const deficit = wallet.plus(spotValue);
  if (!deficit.isNegative()) return;
  const amount = settle(minDecimal(deficit.negated(), wallet.negated()));
  if (!amount.isPositive()) return;
  account.ledger.book({ kind: "insurance-cover", t, bucket: account.wallet, amount });
  const last = records[records.length - 1];
  if (last !== undefined) {
    records[records.length - 1] = { ...last, insuranceCover: last.insuranceCover + amount.toNumber(), loss: last.loss - amount.toNumber() };
  }
}
