import { standardNormalQuantile } from "@mstress/core";
import { wilsonInterval } from "../statistics/wilson-interval.js";
import type { PolicyOutcomes } from "./scoped-outcomes.js";
import { scopedRollup } from "./scoped-rollup.js";
import type { ScopedSummaryOptions } from "./summarise-accounts.js";
import { validateScopedOutcomes } from "./validate-scoped-outcomes.js";

export interface PolicySummary {
  readonly paths: number;
  /** Paths on which the policy acted at least once, their share and its Wilson interval. */
  readonly acted: number;
  readonly actedProbability: number;
  readonly actedProbabilityCi: readonly [number, number];
  /** Actions per path (mean over every path). */
  readonly actions: { readonly mean: number };
  /** Quote currency the policy moved on a path (margin added, or notional traded): mean, 95th percentile, largest. */
  readonly moved: { readonly mean: number; readonly p95: number | null; readonly max: number | null };
  /** Paths on which it wanted more than its reserve (maxTotal, or its source) had left. */
  readonly reserveExhausted: number;
  readonly reserveExhaustedProbability: number;
  readonly reserveExhaustedProbabilityCi: readonly [number, number];
  /** Fees, slippage and transfer fees its actions paid, mean per path. */
  readonly costs: { readonly mean: number };
  /** Median time of its first action over the paths where it acted (seconds); null when it never did. */
  readonly medianTimeToFirstAction: number | null;
}

/**
 * Per mode and policy: how often the policy acted, what it moved and cost, and how often its reserve ran out,
 * with Wilson intervals on the two probabilities, rolled up with arquero (scoped-rollup.ts). Tested on a
 * hand-computed table in summarise-policies.test.ts.
 */
export function summarisePolicies(outcomes: PolicyOutcomes, options: ScopedSummaryOptions): Record<string, Record<string, PolicySummary>> {
  const z = standardNormalQuantile(1 - (1 - (options.confidence ?? 0.95)) / 2);
  const { actions, moved, reserveExhausted, costs, firstActionAt } = outcomes;
  const acted = actions.map((count) => (count > 0 ? 1 : 0));
  const nonNegative = (v: number): boolean => Number.isFinite(v) && v >= 0;
  validateScopedOutcomes(
    "policy outcomes",
    { mode: outcomes.mode, name: outcomes.policy },
    [
      { name: "actions", values: actions, expected: "a whole number >= 0", holds: (v) => Number.isInteger(v) && v >= 0 },
      { name: "moved", values: moved, expected: "finite and >= 0", holds: nonNegative },
      { name: "reserveExhausted", values: reserveExhausted, expected: "0 or 1", holds: (v) => v === 0 || v === 1 },
      { name: "costs", values: costs, expected: "finite and >= 0", holds: nonNegative },
      {
        name: "firstActionAt",
        values: firstActionAt,
        expected: `a time in [0, ${options.horizonSeconds}] s when it acted, empty otherwise`,
        holds: (v, row) => ((actions[row] ?? 0) > 0 ? Number.isFinite(v) && v >= 0 && v <= options.horizonSeconds : Number.isNaN(v)),
      },
    ],
    options,
  );
  const groups = scopedRollup(
    { mode: outcomes.mode, name: outcomes.policy },
    { acted, actions, moved, reserveExhausted, costs, firstActionAt },
    {
      acted: { kind: "sum", column: "acted" },
      actions: { kind: "mean", column: "actions" },
      moved: { kind: "mean", column: "moved" },
      movedP95: { kind: "quantile", column: "moved", p: 0.95 },
      movedMax: { kind: "quantile", column: "moved", p: 1 },
      reserveExhausted: { kind: "sum", column: "reserveExhausted" },
      costs: { kind: "mean", column: "costs" },
      firstActionMedian: { kind: "quantile", column: "firstActionAt", p: 0.5 },
    },
    options.modes,
  );
  const result: Record<string, Record<string, PolicySummary>> = {};
  for (const g of groups) {
    const actedPaths = g.figures["acted"] ?? 0;
    const exhausted = g.figures["reserveExhausted"] ?? 0;
    const byName = (result[g.mode] ??= {});
    byName[g.name] = {
      paths: g.rows,
      acted: actedPaths,
      actedProbability: actedPaths / g.rows,
      actedProbabilityCi: wilsonInterval(actedPaths, g.rows, z),
      actions: { mean: g.figures["actions"] ?? 0 },
      moved: { mean: g.figures["moved"] ?? 0, p95: g.figures["movedP95"] ?? null, max: g.figures["movedMax"] ?? null },
      reserveExhausted: exhausted,
      reserveExhaustedProbability: exhausted / g.rows,
      reserveExhaustedProbabilityCi: wilsonInterval(exhausted, g.rows, z),
      costs: { mean: g.figures["costs"] ?? 0 },
      medianTimeToFirstAction: g.figures["firstActionMedian"] ?? null,
    };
  }
  return result;
}
