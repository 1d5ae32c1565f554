/**
 * The per-path, per-mode outcome row: one Float64Array slot per field, NaN where a field does not apply (no
 * liquidation time on a path that was never liquidated). Rows are laid out path-major, then mode, in the order
 * of the run's modes; chunks come back from workers as one transferable Float64Array of such rows.
 * `maxDrawdown` is the largest peak-to-trough fall of the route's PnL (USD, >= 0), the PnL sampled right after
 * opening, at every step end, and after the horizon exit. `adl` is 1 when the venue auto-deleveraged a leg (at
 * `adlAt`); `hedgeBrokenByAdl` is 1 when the hedge broke by an ADL close rather than a liquidation (NaN when the
 * hedge held).
 */
export const outcomeFields = [
  "liquidated",
  "liquidatedAt",
  "hedgeBroken",
  "hedgeBrokenAt",
  "loss",
  "pnl",
  "fundingReceived",
  "tradingFees",
  "liquidationFees",
  "capitalEmployed",
  "minDistanceToLiquidation",
  "finalEquity",
  "maxDrawdown",
  "adl",
  "adlAt",
  "hedgeBrokenByAdl",
] as const;

export type OutcomeField = (typeof outcomeFields)[number];

export const outcomeWidth = outcomeFields.length;

/** Column offset of a field within a row. */
export const outcomeColumn: Readonly<Record<OutcomeField, number>> = Object.fromEntries(outcomeFields.map((f, i) => [f, i])) as Record<OutcomeField, number>;

/**
 * Per-account outcome row, one per (path, mode, account that holds positions), accounts in scenario order:
 * liquidated 0/1, liquidatedAt (seconds, NaN if never), loss (USD lost to forced closes in that account),
 * minDistanceToLiquidation (fraction of the mark at the account's worst point, 0 once liquidated, NaN if none).
 */
export const accountOutcomeFields = ["liquidated", "liquidatedAt", "loss", "minDistanceToLiquidation"] as const;

export type AccountOutcomeField = (typeof accountOutcomeFields)[number];

export const accountOutcomeWidth = accountOutcomeFields.length;

export const accountOutcomeColumn: Readonly<Record<AccountOutcomeField, number>> = Object.fromEntries(accountOutcomeFields.map((f, i) => [f, i])) as Record<AccountOutcomeField, number>;

/**
 * Per-route outcome row, one per (path, mode, route), routes in the plan's order: liquidated 0/1 (some leg of the
 * route was force-closed, fully or partly), liquidatedAt, hedgeBroken 0/1 (a leg of the route was closed by
 * liquidation while another of its legs stayed open), hedgeBrokenAt (seconds, NaN if never).
 */
export const routeOutcomeFields = ["liquidated", "liquidatedAt", "hedgeBroken", "hedgeBrokenAt"] as const;

export type RouteOutcomeField = (typeof routeOutcomeFields)[number];

export const routeOutcomeWidth = routeOutcomeFields.length;

export const routeOutcomeColumn: Readonly<Record<RouteOutcomeField, number>> = Object.fromEntries(routeOutcomeFields.map((f, i) => [f, i])) as Record<RouteOutcomeField, number>;

/**
 * Per-policy outcome row, one per (path, mode, policy), policies in scenario order: actions (how many times it
 * acted), moved (quote currency it moved: margin added, or notional traded by a de-risk, unwind or exit),
 * reserveExhausted 0/1 (it wanted more than its maxTotal or its source had left), costs (fees, slippage and transfer
 * fees it paid), firstActionAt (seconds, NaN if it never acted). All zero in an evaluation where it does not run.
 */
export const policyOutcomeFields = ["actions", "moved", "reserveExhausted", "costs", "firstActionAt"] as const;

export type PolicyOutcomeField = (typeof policyOutcomeFields)[number];

export const policyOutcomeWidth = policyOutcomeFields.length;

export const policyOutcomeColumn: Readonly<Record<PolicyOutcomeField, number>> = Object.fromEntries(policyOutcomeFields.map((f, i) => [f, i])) as Record<PolicyOutcomeField, number>;
