import { describe, expect, it } from "vitest";
import { outcomeFields } from "./mode-outcomes.js";
import type { ModeOutcomes, OutcomeField } from "./mode-outcomes.js";
import { validateModeOutcomes } from "./validate-mode-outcomes.js";


// Two paths: path 0 survives, path 1 is liquidated at 60 s and its hedge breaks then.
function twoPaths(overrides: Partial<Record<OutcomeField, readonly number[]>> = {}): ModeOutcomes {
  const base: Record<OutcomeField, readonly number[]> = {
    liquidated: [0, 1],
    liquidatedAt: [NaN, 60],
    hedgeBroken: [0, 1],
    hedgeBrokenAt: [NaN, 60],
    loss: [0, 300],
    pnl: [12, -310],
    fundingReceived: [3, 1],
    tradingFees: [1, 1],
    liquidationFees: [0, 9],
    capitalEmployed: [1000, 300],
    minDistanceToLiquidation: [NaN, 0],
  };
  const columns = Object.fromEntries(
    outcomeFields.map((field) => [field, Float64Array.from(overrides[field] ?? base[field])]),
  ) as Record<OutcomeField, Float64Array>;
  return { paths: 2, columns };
}

describe("validateModeOutcomes", () => {
  it("accepts outcomes that keep the contract", () => {
    expect(() => { validateModeOutcomes(twoPaths(), 3600); }).not.toThrow();
  });

  it("names the column, the rule, the number of offending paths and the first one", () => {
    expect(() => { validateModeOutcomes(twoPaths({ liquidated: [0.5, 1] }), 3600); }).toThrow(
      "outcomes.liquidated: expected 0 or 1; 1 path(s) violate it, first path 0 (value 0.5)",
    );
  });

  it("checks the pairings: a time exactly when flagged, within the horizon; no loss or broken hedge unliquidated", () => {
    expect(() => { validateModeOutcomes(twoPaths({ liquidatedAt: [NaN, 7200] }), 3600); }).toThrow(/outcomes\.liquidatedAt/);
    expect(() => { validateModeOutcomes(twoPaths({ liquidatedAt: [5, 60] }), 3600); }).toThrow(/outcomes\.liquidatedAt/);
    expect(() => { validateModeOutcomes(twoPaths({ loss: [1, 300] }), 3600); }).toThrow(/outcomes\.loss: expected 0 on a path/);
    expect(() => {
      validateModeOutcomes(twoPaths({ hedgeBroken: [1, 1], hedgeBrokenAt: [10, 60] }), 3600);
    }).toThrow(/outcomes\.hedgeBroken: expected 0 on a path with neither a liquidation nor an auto-deleveraging/);
  });

  it("accepts a hedge broken by an auto-deleveraging on a path that was not liquidated", () => {
    const outcomes = twoPaths({ hedgeBroken: [1, 1], hedgeBrokenAt: [10, 60] });
    const adl = Float64Array.from([1, 1]);
    expect(() => { validateModeOutcomes({ ...outcomes, columns: { ...outcomes.columns, adl } }, 3600); }).not.toThrow();
  });

  it("checks the ranges of the money and distance columns, one line per violated rule", () => {
    const outcomes = twoPaths({ pnl: [Number.POSITIVE_INFINITY, 0], tradingFees: [-1, 0], minDistanceToLiquidation: [-0.1, NaN] });
    expect(() => { validateModeOutcomes(outcomes, 3600); }).toThrow(
      [
        "outcomes.pnl: expected finite; 1 path(s) violate it, first path 0 (value Infinity)",
        "outcomes.tradingFees: expected finite and >= 0; 1 path(s) violate it, first path 0 (value -1)",
        "outcomes.minDistanceToLiquidation: expected finite and >= 0, or NaN; 1 path(s) violate it, first path 0 (value -0.1)",
      ].join("\n"),
    );
  });

  it("checks the shape: paths, horizon, and a Float64Array of the right length per field", () => {
    const outcomes = twoPaths();
    expect(() => { validateModeOutcomes({ ...outcomes, paths: 3 }, 3600); }).toThrow(/expected 3 values/);
    expect(() => { validateModeOutcomes({ ...outcomes, paths: 0 }, 3600); }).toThrow(/positive integer/);
    expect(() => { validateModeOutcomes(outcomes, 0); }).toThrow(/horizonSeconds/);
    const withoutPnl = Object.fromEntries(Object.entries(outcomes.columns).filter(([field]) => field !== "pnl"));
    expect(() => { validateModeOutcomes({ paths: 2, columns: withoutPnl as ModeOutcomes["columns"] }, 3600); }).toThrow(
      "outcomes.pnl: expected a Float64Array",
    );
  });
});
