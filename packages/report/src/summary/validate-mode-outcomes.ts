import { outcomeFields } from "./mode-outcomes.js";
import type { ModeOutcomes, OutcomeField } from "./mode-outcomes.js";

interface Rule {
  readonly field: OutcomeField | "maxDrawdown";
  readonly expected: string;
  readonly holds: (path: number) => boolean;
}

/**
 * Checks `outcomes` against the contract of mode-outcomes.ts before anything is summarised, so a simulator bug
 * surfaces as an error naming the column and the first offending path instead of as a plausible-looking figure.
 * Besides each column's own range it checks the pairings the summary relies on: a time is given exactly when its
 * flag is 1, falls within [0, horizon], there is no loss without a liquidation, and a broken hedge implies a
 * liquidation (docs/domain.md: the hedge breaks when a leg is closed by liquidation). `capitalEmployed` may be 0 so that
 * a route that never opened is representable; the summary then reports no APR. Throws a RangeError with one line
 * per violated rule. Tested in validate-mode-outcomes.test.ts.
 */
export function validateModeOutcomes(outcomes: ModeOutcomes, horizonSeconds: number): void {
  const { paths, columns } = outcomes;
  if (!Number.isSafeInteger(paths) || paths < 1) throw new RangeError(`outcomes: paths must be a positive integer, got ${paths}`);
  if (!(Number.isFinite(horizonSeconds) && horizonSeconds > 0)) {
    throw new RangeError(`outcomes: horizonSeconds must be finite and > 0, got ${horizonSeconds}`);
  }
  const shapeProblems: string[] = [];
  for (const field of outcomeFields) {
    const column = (columns as Partial<Record<string, unknown>>)[field];
    if (!(column instanceof Float64Array)) shapeProblems.push(`outcomes.${field}: expected a Float64Array`);
    else if (column.length !== paths) shapeProblems.push(`outcomes.${field}: expected ${paths} values (one per path), got ${column.length}`);
  }
  const { maxDrawdown } = columns;
  if (maxDrawdown !== undefined && (!(maxDrawdown instanceof Float64Array) || maxDrawdown.length !== paths)) {
    shapeProblems.push(`outcomes.maxDrawdown: expected a Float64Array of ${paths} values (one per path) when given`);
  }
  if (shapeProblems.length > 0) throw new RangeError(shapeProblems.join("\n"));

  const at = (column: Float64Array, path: number): number => column[path] ?? Number.NaN;
  const flag = (column: Float64Array) => (path: number) => at(column, path) === 0 || at(column, path) === 1;
  const finite = (column: Float64Array) => (path: number) => Number.isFinite(at(column, path));
  const nonNegative = (column: Float64Array) => (path: number) => Number.isFinite(at(column, path)) && at(column, path) >= 0;
  const timeOf = (flags: Float64Array, times: Float64Array) => (path: number) => {
    const time = at(times, path);
    return at(flags, path) === 1 ? Number.isFinite(time) && time >= 0 && time <= horizonSeconds : Number.isNaN(time);
  };
  const c = columns;
  const rules: Rule[] = [
    { field: "liquidated", expected: "0 or 1", holds: flag(c.liquidated) },
    { field: "liquidatedAt", expected: `a time in [0, ${horizonSeconds}] s when liquidated, NaN otherwise`, holds: timeOf(c.liquidated, c.liquidatedAt) },
    { field: "hedgeBroken", expected: "0 or 1", holds: flag(c.hedgeBroken) },
    {
      field: "hedgeBroken",
      expected: "0 on a path with neither a liquidation nor an auto-deleveraging",
      holds: (path) => at(c.hedgeBroken, path) !== 1 || at(c.liquidated, path) === 1 || (c.adl !== undefined && at(c.adl, path) === 1),
    },
    { field: "hedgeBrokenAt", expected: `a time in [0, ${horizonSeconds}] s when the hedge broke, NaN otherwise`, holds: timeOf(c.hedgeBroken, c.hedgeBrokenAt) },
    { field: "loss", expected: "finite and >= 0", holds: nonNegative(c.loss) },
    { field: "loss", expected: "0 on a path that was not liquidated", holds: (path) => at(c.liquidated, path) !== 0 || at(c.loss, path) === 0 },
    { field: "pnl", expected: "finite", holds: finite(c.pnl) },
    { field: "fundingReceived", expected: "finite", holds: finite(c.fundingReceived) },
    { field: "tradingFees", expected: "finite and >= 0", holds: nonNegative(c.tradingFees) },
    { field: "liquidationFees", expected: "finite and >= 0", holds: nonNegative(c.liquidationFees) },
    { field: "capitalEmployed", expected: "finite and >= 0", holds: nonNegative(c.capitalEmployed) },
    {
      field: "minDistanceToLiquidation",
      expected: "finite and >= 0, or NaN",
      holds: (path) => Number.isNaN(at(c.minDistanceToLiquidation, path)) || nonNegative(c.minDistanceToLiquidation)(path),
    },
  ];
  if (maxDrawdown !== undefined) rules.push({ field: "maxDrawdown", expected: "finite and >= 0", holds: nonNegative(maxDrawdown) });

  const problems: string[] = [];
  for (const rule of rules) {
    let violations = 0;
    let first = -1;
    for (let path = 0; path < paths; path++) {
      if (rule.holds(path)) continue;
      if (violations === 0) first = path;
      violations++;
    }
    if (violations > 0) {
      const value = at(c[rule.field] ?? new Float64Array(0), first);
      problems.push(`outcomes.${rule.field}: expected ${rule.expected}; ${violations} path(s) violate it, first path ${first} (value ${value})`);
    }
  }
  if (problems.length > 0) throw new RangeError(problems.join("\n"));
}
