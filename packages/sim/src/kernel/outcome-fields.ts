/**
 * The per-path, per-mode outcome row: one Float64Array slot per field, NaN where a field does not apply (no
 * liquidation time on a path that was never liquidated). Rows are laid out path-major, then mode, in the order
 * of the run's modes; chunks come back from workers as one transferable Float64Array of such rows.
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
  "capitalReserved",
  "minDistanceToLiquidation",
  "finalEquity",
] as const;

export type OutcomeField = (typeof outcomeFields)[number];

export const outcomeWidth = outcomeFields.length;

/** Column offset of a field within a row. */
export const outcomeColumn: Readonly<Record<OutcomeField, number>> = Object.fromEntries(outcomeFields.map((f, i) => [f, i])) as Record<OutcomeField, number>;
