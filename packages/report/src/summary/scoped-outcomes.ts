/**
 * Per-path outcomes of one account or one route, the input of `summariseAccounts` and `summariseRoutes`: the
 * rows of account-outcomes.csv and route-outcomes.csv, one per (path, mode, account) or (path, mode, route), in
 * path order. Columns, not records, so 100,000 paths x 3 modes x a few accounts stay a few typed arrays. NaN
 * means "not applicable" (no liquidation time on a path that was never liquidated). Units as in mode-outcomes.ts.
 */
export interface AccountOutcomes {
  readonly path: Float64Array;
  readonly mode: readonly string[];
  readonly account: readonly string[];
  readonly liquidated: Float64Array;
  readonly liquidatedAt: Float64Array;
  readonly loss: Float64Array;
  readonly minDistanceToLiquidation: Float64Array;
}

export interface RouteOutcomes {
  readonly path: Float64Array;
  readonly mode: readonly string[];
  readonly route: readonly string[];
  readonly liquidated: Float64Array;
  readonly liquidatedAt: Float64Array;
  readonly hedgeBroken: Float64Array;
  readonly hedgeBrokenAt: Float64Array;
}

/** Per-path outcomes of one policy (policy-outcomes.csv), units as in the sim's outcome-fields.ts. */
export interface PolicyOutcomes {
  readonly path: Float64Array;
  readonly mode: readonly string[];
  readonly policy: readonly string[];
  readonly actions: Float64Array;
  readonly moved: Float64Array;
  readonly reserveExhausted: Float64Array;
  readonly costs: Float64Array;
  readonly firstActionAt: Float64Array;
}
