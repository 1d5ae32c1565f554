import { standardNormalQuantile } from "@mstress/core";
import { wilsonInterval } from "../statistics/wilson-interval.js";
import type { RouteOutcomes } from "./scoped-outcomes.js";
import { scopedRollup } from "./scoped-rollup.js";
import type { ScopedSummaryOptions } from "./summarise-accounts.js";
import { flagAndTimeRules, validateScopedOutcomes } from "./validate-scoped-outcomes.js";

export interface RouteSummary {
  readonly paths: number;
  readonly liquidations: number;
  readonly liquidationProbability: number;
  readonly liquidationProbabilityCi: readonly [number, number];
  readonly hedgeBreaks: number;
  readonly hedgeBrokenProbability: number;
  readonly hedgeBrokenProbabilityCi: readonly [number, number];
  readonly medianTimeToLiquidation: number | null;
  readonly medianTimeToHedgeBreak: number | null;
}

/**
 * Per margin mode and route: the probability that a leg of the route is liquidated and that its hedge breaks
 * (one leg liquidated while another lives), each with its Wilson interval, and the median times of both, rolled
 * up with arquero (scoped-rollup.ts). A shared cross account shows here as good routes liquidated by a bad one.
 * Tested on a hand-computed table in summarise-routes.test.ts.
 */
export function summariseRoutes(outcomes: RouteOutcomes, options: ScopedSummaryOptions): Record<string, Record<string, RouteSummary>> {
  const { horizonSeconds } = options;
  const z = standardNormalQuantile(1 - (1 - (options.confidence ?? 0.95)) / 2);
  const { liquidated, liquidatedAt, hedgeBroken, hedgeBrokenAt } = outcomes;
  validateScopedOutcomes(
    "route outcomes",
    { mode: outcomes.mode, name: outcomes.route },
    [
      ...flagAndTimeRules("liquidated", liquidated, "liquidatedAt", liquidatedAt, horizonSeconds),
      ...flagAndTimeRules("hedgeBroken", hedgeBroken, "hedgeBrokenAt", hedgeBrokenAt, horizonSeconds),
    ],
    options,
  );
  const groups = scopedRollup(
    { mode: outcomes.mode, name: outcomes.route },
    { liquidated, liquidatedAt, hedgeBroken, hedgeBrokenAt },
    {
      liquidations: { kind: "sum", column: "liquidated" },
      hedgeBreaks: { kind: "sum", column: "hedgeBroken" },
      liquidationMedian: { kind: "quantile", column: "liquidatedAt", p: 0.5 },
      hedgeBreakMedian: { kind: "quantile", column: "hedgeBrokenAt", p: 0.5 },
    },
    options.modes,
  );
  const result: Record<string, Record<string, RouteSummary>> = {};
  for (const g of groups) {
    const liquidations = g.figures["liquidations"] ?? 0;
    const hedgeBreaks = g.figures["hedgeBreaks"] ?? 0;
    const byName = (result[g.mode] ??= {});
    byName[g.name] = {
      paths: g.rows,
      liquidations,
      liquidationProbability: liquidations / g.rows,
      liquidationProbabilityCi: wilsonInterval(liquidations, g.rows, z),
      hedgeBreaks,
      hedgeBrokenProbability: hedgeBreaks / g.rows,
      hedgeBrokenProbabilityCi: wilsonInterval(hedgeBreaks, g.rows, z),
      medianTimeToLiquidation: g.figures["liquidationMedian"] ?? null,
      medianTimeToHedgeBreak: g.figures["hedgeBreakMedian"] ?? null,
    };
  }
  return result;
}
