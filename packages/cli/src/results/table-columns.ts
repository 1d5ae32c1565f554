// What each column of the tidy tables holds, with its unit: written as schema.json beside the tables, so a
// notebook reading outcomes.parquet (or .csv) knows that `pnl` is in USDT and `liquidatedAt` in seconds.

export type ColumnKind = "path" | "text" | "flag" | "number";

export interface ColumnMeaning {
  readonly kind: ColumnKind;
  /** "quote" is replaced by the run's quote currency (USDT, USDC...). */
  readonly unit: string | null;
  readonly meaning: string;
}

const seconds = "seconds from the start of the path";

/** Columns by name; the three outcome tables share the names they have in common. */
export const tableColumns: Readonly<Record<string, ColumnMeaning>> = {
  path: { kind: "path", unit: null, meaning: "path number, 0-based, the same market path in every mode" },
  mode: { kind: "text", unit: null, meaning: "margin mode: isolated, cross or portfolio; with -passive, the same mode without the scenario's policies" },
  policy: { kind: "text", unit: null, meaning: "policy name (policy-outcomes only)" },
  account: { kind: "text", unit: null, meaning: "account name (accounts holding positions only)" },
  route: { kind: "text", unit: null, meaning: "route name" },
  liquidated: { kind: "flag", unit: null, meaning: "a forced close happened on this path (in this account or route)" },
  liquidatedAt: { kind: "number", unit: seconds, meaning: "time of the first forced close, located inside its step; null if none" },
  hedgeBroken: { kind: "flag", unit: null, meaning: "a leg was liquidated while another leg of its route stayed open" },
  hedgeBrokenAt: { kind: "number", unit: seconds, meaning: "time the hedge first broke, located inside its step; null if never" },
  hedgeBrokenByAdl: { kind: "number", unit: null, meaning: "1 when the hedge broke by an auto-deleveraging close, 0 by a liquidation; null if it held" },
  adl: { kind: "flag", unit: null, meaning: "the venue auto-deleveraged a leg on this path" },
  adlAt: { kind: "number", unit: seconds, meaning: "time of the first auto-deleveraging close; null if none" },
  actions: { kind: "number", unit: "actions", meaning: "times the policy acted on the path" },
  moved: { kind: "number", unit: "quote", meaning: "what the policy moved: margin added by a top-up, or notional traded by a de-risk, unwind or exit" },
  reserveExhausted: { kind: "flag", unit: null, meaning: "the policy wanted more than its maxTotal or its source had left" },
  costs: { kind: "number", unit: "quote", meaning: "fees, slippage and transfer fees the policy's actions paid" },
  firstActionAt: { kind: "number", unit: seconds, meaning: "time of the policy's first action; null if it never acted" },
  loss: { kind: "number", unit: "quote", meaning: "loss given liquidation: realised loss on the force-closed positions plus liquidation fees and margin seized, less insurance; 0 if none" },
  pnl: { kind: "number", unit: "quote", meaning: "route PnL at the horizon: equity change including fees and funding" },
  fundingReceived: { kind: "number", unit: "quote", meaning: "net funding received (negative when paid)" },
  tradingFees: { kind: "number", unit: "quote", meaning: "taker fees on entry and exit" },
  liquidationFees: { kind: "number", unit: "quote", meaning: "liquidation fees charged by the venue" },
  capitalEmployed: { kind: "number", unit: "quote", meaning: "cash the route ties up: spot cost, the margin the mode commits, opening fees and policy reserves (docs/methodology.md)" },
  minDistanceToLiquidation: { kind: "number", unit: "fraction of the mark", meaning: "distance to liquidation at the account's worst point, 0 once liquidated; null if no liquidation price" },
  finalEquity: { kind: "number", unit: "quote", meaning: "equity of the route's accounts at the horizon" },
  maxDrawdown: { kind: "number", unit: "quote", meaning: "largest fall of the route's PnL from its running peak, step by step" },
};

/** A column this version does not know (a newer writer's): a nullable number without a stated unit. */
export function columnMeaning(name: string): ColumnMeaning {
  return tableColumns[name] ?? { kind: "number", unit: null, meaning: "not documented by this version" };
}
