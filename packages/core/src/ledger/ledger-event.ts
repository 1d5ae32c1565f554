import type { Decimal } from "decimal.js";

/**
 * Where a balance lives: an account's wallet (cross / portfolio pool, or the free balance beside isolated
 * positions), or the margin allocated to one isolated position (named by its leg).
 */
export interface BalanceBucket {
  readonly account: string;
  readonly isolatedLeg?: string;
}

interface EventBase {
  /** Seconds since the start of the path. */
  readonly t: number;
  readonly bucket: BalanceBucket;
  /** Always positive; the event kind says which way it moves. */
  readonly amount: Decimal;
}

/**
 * What made a trade other than the opening, a liquidation and the horizon exit: an auto-deleveraging close by the
 * venue, or a rule of the route (a policy) acting. It tags the trade's realised-PnL and fee events.
 */
export type TradeAction = "adl" | "de-risk" | "unwind" | "exit" | "sell-spot";

/** Every balance change the simulator books. Accounts change only by applying these. */
export type LedgerEvent =
  | (EventBase & { readonly kind: "deposit" })
  /** Wallet -> isolated margin of `bucket.isolatedLeg` (the bucket names the isolated side). */
  | (EventBase & { readonly kind: "isolated-allocation" })
  /** Isolated margin -> wallet, e.g. what is left after a position closes under mark settlement. */
  | (EventBase & { readonly kind: "isolated-release" })
  | (EventBase & { readonly kind: "realised-profit"; readonly leg: string; readonly price: Decimal; readonly quantity: Decimal; readonly action?: TradeAction })
  | (EventBase & { readonly kind: "realised-loss"; readonly leg: string; readonly price: Decimal; readonly quantity: Decimal; readonly action?: TradeAction })
  | (EventBase & { readonly kind: "trading-fee"; readonly leg: string; readonly action?: TradeAction })
  | (EventBase & { readonly kind: "funding-received"; readonly leg: string; readonly rate: number })
  | (EventBase & { readonly kind: "funding-paid"; readonly leg: string; readonly rate: number })
  /** Charged on the liquidated notional; goes to the insurance fund. */
  | (EventBase & { readonly kind: "liquidation-fee"; readonly leg: string })
  /** What remains of an isolated position's margin taken over at the bankruptcy price; to the insurance fund. */
  | (EventBase & { readonly kind: "insurance-contribution"; readonly leg: string })
  /** The insurance fund absorbs a negative balance: the trader's equity never goes below zero. */
  | (EventBase & { readonly kind: "insurance-cover" })
  /** A policy adds margin: wallet (free balance) -> the isolated allocation of `bucket.isolatedLeg`. */
  | (EventBase & { readonly kind: "margin-top-up"; readonly policy: string })
  /** A policy sends cash from this wallet to another account's; it is in flight until its `transfer-in`. */
  | (EventBase & { readonly kind: "transfer-out"; readonly to: string; readonly policy: string })
  | (EventBase & { readonly kind: "transfer-in"; readonly from: string; readonly policy: string })
  /** The cost of a transfer, charged to the receiving wallet on arrival. */
  | (EventBase & { readonly kind: "transfer-fee"; readonly policy: string })
  /**
   * Cash into the wallet from selling spot (`quantity` at `price`, after slippage), net of the spot fee `fee`. The
   * spot itself is held outside the ledger (its value is marked to the index), so the sale's proceeds enter here.
   */
  | (EventBase & { readonly kind: "spot-sale"; readonly leg: string; readonly price: Decimal; readonly quantity: Decimal; readonly fee: Decimal; readonly action: TradeAction });

export type LedgerEventKind = LedgerEvent["kind"];
