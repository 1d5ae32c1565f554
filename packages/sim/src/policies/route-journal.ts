/**
 * One thing a rule of the route, or the venue's auto-deleveraging, did on a path: replay prints these in time
 * order and `--json` lists them. Kept only when asked for (replay, backtest); the Monte Carlo keeps none.
 */
export interface RouteJournalEntry {
  /** Seconds from the start. */
  readonly t: number;
  /** The policy's name, or `adl` for the venue. */
  readonly by: string;
  readonly action: "top-up" | "transfer-out" | "transfer-in" | "de-risk" | "unwind" | "exit" | "sell-spot" | "adl" | "reserve-exhausted";
  readonly leg?: string;
  readonly account?: string;
  /** Base quantity traded, at `price` (the fill, slippage included). */
  readonly quantity?: number;
  readonly price?: number;
  /** Quote-currency amount moved. */
  readonly amount?: number;
  readonly note?: string;
}

export type RouteJournal = RouteJournalEntry[];
