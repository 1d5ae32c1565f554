import type { Account } from "@mstress/core";
import type { MarketPath } from "../models/market-path.js";
import type { PathMarket } from "./path-market.js";

/**
 * The route's PnL as an affine function of the prices, valid between two bookings: margin balances (wallet and
 * isolated allocations) minus deposits, plus each perp's side * qty * (mark - entry), plus each spot holding's
 * side * qty * (index - entry). Refreshed from the float mirrors after a booking, it then costs a few
 * multiply-adds per step, so the drawdown can follow the PnL at every step of every path.
 */
export class RoutePnl {
  readonly #markWeight: Float64Array;
  readonly #indexWeight: Float64Array;
  /** -deposits - sum of weight x entry: fixed while the positions are. */
  #entries = 0;
  #constant = 0;

  constructor(assets: number) {
    this.#markWeight = new Float64Array(assets);
    this.#indexWeight = new Float64Array(assets);
  }

  /** Recomputes the whole form (after positions changed). */
  refresh(accounts: readonly Account[], deposits: number, market: PathMarket): void {
    this.#markWeight.fill(0);
    this.#indexWeight.fill(0);
    let entries = -deposits;
    for (const account of accounts) {
      for (const position of account.positions) {
        const a = market.assetIndex(position.terms.base);
        const weight = position.side * position.quantityValue;
        this.#markWeight[a] = (this.#markWeight[a] ?? 0) + weight;
        entries -= weight * position.entryValue;
      }
      for (const holding of account.spot) {
        const a = market.assetIndex(holding.asset);
        const weight = holding.side * holding.quantityValue;
        this.#indexWeight[a] = (this.#indexWeight[a] ?? 0) + weight;
        entries -= weight * holding.entryValue;
      }
    }
    this.#entries = entries;
    this.refreshBalances(accounts);
  }

  /** Recomputes the balances' part (after a booking that left the positions as they were, such as funding). */
  refreshBalances(accounts: readonly Account[]): void {
    let balances = 0;
    for (const account of accounts) {
      balances += account.walletBalance();
      if (account.mode === "isolated") for (const position of account.positions) balances += account.isolatedMargin(position.leg);
    }
    this.#constant = this.#entries + balances;
  }

  /** The part that does not move with prices (balances less deposits and entry values). */
  get constantTerm(): number {
    return this.#constant;
  }

  /** Asset a's part of the PnL at this index and basis (mark = index x (1 + basis)). */
  assetValue(a: number, index: number, basis: number): number {
    return (this.#markWeight[a] ?? 0) * index * (1 + basis) + (this.#indexWeight[a] ?? 0) * index;
  }

  /** The PnL at the market's current prices. */
  atMarket(market: PathMarket): number {
    let pnl = this.#constant;
    for (let a = 0; a < this.#markWeight.length; a++) pnl += (this.#markWeight[a] ?? 0) * (market.mark[a] ?? 0) + (this.#indexWeight[a] ?? 0) * (market.index[a] ?? 0);
    return pnl;
  }

  /** The PnL at point s of the path (t_s: the start for s = 0, else the end of step s). */
  at(path: MarketPath, s: number): number {
    const n = this.#markWeight.length;
    let pnl = this.#constant;
    for (let a = 0; a < n; a++) {
      const index = path.index[s * n + a] ?? 0;
      pnl += (this.#markWeight[a] ?? 0) * index * (1 + (path.basis[s * n + a] ?? 0)) + (this.#indexWeight[a] ?? 0) * index;
    }
    return pnl;
  }
}
