/**
 * The per-path outcomes of one margin mode, the input of `summariseMode`. Fields are listed in the order the
 * summary reads them; their meaning and units:
 * - liquidated: 1 if any forced close happened on the path, else 0
 * - liquidatedAt: seconds from the start to the first forced close, NaN if none
 * - hedgeBroken: 1 if one leg was closed by liquidation while another stayed open, else 0
 * - hedgeBrokenAt: seconds from the start to that close, NaN if none
 * - loss: what the trader lost to forced closes, >= 0, 0 when not liquidated
 * - pnl: route PnL over the horizon in quote currency, positive = profit
 * - fundingReceived: net funding in quote currency, positive = received
 * - tradingFees, liquidationFees: fees paid, >= 0
 * - capitalEmployed: peak margin capital tied up, in quote currency
 * - minDistanceToLiquidation: smallest |liquidation price − mark| / mark seen on the path, NaN if no position ever
 *   had a liquidation price
 * - maxDrawdown (optional: results written before it existed lack it): the largest peak-to-trough fall of the route
 *   PnL on the path, quote currency, >= 0
 * - adl, hedgeBrokenByAdl (optional, likewise): 1 if the venue auto-deleveraged a leg on the path; 1 if the hedge
 *   broke by such a close rather than a liquidation (NaN when the hedge held)
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
] as const;

export type OutcomeField = (typeof outcomeFields)[number];

// Columns rather than an array of per-path records: one Float64Array per field can be filled by a worker and
// transferred without copying, and the statistics read it in index (= path) order. NaN means "not applicable".
// The contract is checked by validate-mode-outcomes.ts.
export interface ModeOutcomes {
  readonly paths: number;
  readonly columns: Readonly<Record<OutcomeField, Float64Array>> & { readonly maxDrawdown?: Float64Array; readonly adl?: Float64Array; readonly hedgeBrokenByAdl?: Float64Array };
}
