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

/** Every balance change the simulator books. Accounts change only by applying these. */
export type LedgerEvent =
  | (EventBase & { readonly kind: "deposit" })
  /** Wallet -> isolated margin of `bucket.isolatedLeg` (the bucket names the isolated side). */
  | (EventBase & { readonly kind: "isolated-allocation" })
  /** Isolated margin -> wallet, e.g. what is left after a position closes under mark settlement. */
  | (EventBase & { readonly kind: "isolated-release" })
  | (EventBase & { readonly kind: "realised-profit"; readonly leg: string; readonly price: Decimal; readonly quantity: Decimal })
  | (EventBase & { readonly kind: "realised-loss"; readonly leg: string; readonly price: Decimal; readonly quantity: Decimal })
  | (EventBase & { readonly kind: "trading-fee"; readonly leg: string })
  | (EventBase & { readonly kind: "funding-received"; readonly leg: string; readonly rate: number })
  | (EventBase & { readonly kind: "funding-paid"; readonly leg: string; readonly rate: number })
  /** Charged on the liquidated notional; goes to the insurance fund. */
  | (EventBase & { readonly kind: "liquidation-fee"; readonly leg: string })
  /** What remains of an isolated position's margin taken over at the bankruptcy price; to the insurance fund. */
  | (EventBase & { readonly kind: "insurance-contribution"; readonly leg: string })
  /** The insurance fund absorbs a negative balance: the trader's equity never goes below zero. */
  | (EventBase & { readonly kind: "insurance-cover" });

export type LedgerEventKind = LedgerEvent["kind"];
