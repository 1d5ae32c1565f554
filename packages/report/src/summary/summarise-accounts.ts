import { standardNormalQuantile } from "@mstress/core";
import { wilsonInterval } from "../statistics/wilson-interval.js";
import type { AccountOutcomes } from "./scoped-outcomes.js";
import { scopedRollup } from "./scoped-rollup.js";
import { flagAndTimeRules, validateScopedOutcomes } from "./validate-scoped-outcomes.js";

export interface AccountSummary {
  readonly paths: number;
  readonly liquidations: number;
  readonly liquidationProbability: number;
  readonly liquidationProbabilityCi: readonly [number, number];
  // Over the paths where this account was liquidated; null when it never was.
  readonly lossGivenLiquidation: { readonly mean: number; readonly median: number; readonly p95: number } | null;
  readonly medianTimeToLiquidation: number | null;
  // Over the paths where the account had a liquidation price; null when it never had one.
  readonly minDistanceToLiquidation: { readonly p05: number; readonly median: number } | null;
}

export interface ScopedSummaryOptions {
  readonly modes: readonly string[];
  readonly paths: number;
  readonly horizonSeconds: number;
  readonly confidence?: number;
}

/**
 * Per margin mode and account, the figures docs/domain.md asks for "per account where there are several": the
 * account's liquidation probability with its Wilson interval, loss given liquidation, median time to liquidation
 * and worst distance to liquidation, grouped and rolled up with arquero (scoped-rollup.ts). Input checked first
 * (validate-scoped-outcomes.ts). Tested on a hand-computed table in summarise-accounts.test.ts.
 */
export function summariseAccounts(outcomes: AccountOutcomes, options: ScopedSummaryOptions): Record<string, Record<string, AccountSummary>> {
  const { horizonSeconds } = options;
  const z = standardNormalQuantile(1 - (1 - (options.confidence ?? 0.95)) / 2);
  const { liquidated, liquidatedAt, loss, minDistanceToLiquidation } = outcomes;
  validateScopedOutcomes(
    "account outcomes",
    { mode: outcomes.mode, name: outcomes.account },
    [
      ...flagAndTimeRules("liquidated", liquidated, "liquidatedAt", liquidatedAt, horizonSeconds),
      { name: "loss", values: loss, expected: "finite and >= 0, 0 when not liquidated", holds: (v, row) => Number.isFinite(v) && v >= 0 && (liquidated[row] === 1 || v === 0) },
      { name: "minDistanceToLiquidation", values: minDistanceToLiquidation, expected: "finite and >= 0, or empty", holds: (v) => Number.isNaN(v) || (Number.isFinite(v) && v >= 0) },
    ],
    options,
  );
  const lossIfLiquidated = loss.map((value, row) => (liquidated[row] === 1 ? value : Number.NaN));
  const groups = scopedRollup(
    { mode: outcomes.mode, name: outcomes.account },
    { liquidated, liquidatedAt, lossIfLiquidated, minDistanceToLiquidation },
    {
      liquidations: { kind: "sum", column: "liquidated" },
      lossMean: { kind: "mean", column: "lossIfLiquidated" },
      lossMedian: { kind: "quantile", column: "lossIfLiquidated", p: 0.5 },
      lossP95: { kind: "quantile", column: "lossIfLiquidated", p: 0.95 },
      timeMedian: { kind: "quantile", column: "liquidatedAt", p: 0.5 },
      distanceP05: { kind: "quantile", column: "minDistanceToLiquidation", p: 0.05 },
      distanceMedian: { kind: "quantile", column: "minDistanceToLiquidation", p: 0.5 },
    },
    options.modes,
  );
  const result: Record<string, Record<string, AccountSummary>> = {};
  for (const g of groups) {
    const liquidations = g.figures["liquidations"] ?? 0;
    const byName = (result[g.mode] ??= {});
    byName[g.name] = {
      paths: g.rows,
      liquidations,
      liquidationProbability: liquidations / g.rows,
      liquidationProbabilityCi: wilsonInterval(liquidations, g.rows, z),
      lossGivenLiquidation: liquidations === 0 ? null : { mean: g.figures["lossMean"] ?? 0, median: g.figures["lossMedian"] ?? 0, p95: g.figures["lossP95"] ?? 0 },
      medianTimeToLiquidation: g.figures["timeMedian"] ?? null,
      minDistanceToLiquidation: g.figures["distanceMedian"] === null ? null : { p05: g.figures["distanceP05"] ?? 0, median: g.figures["distanceMedian"] ?? 0 },
    };
  }
  return result;
}
