import { describe, expect, it } from "vitest";
import { outcomeFields, type ModeOutcomes } from "../summary/mode-outcomes.js";
import type { RunSummary } from "../summary/run-summary.js";
import { summariseMode } from "../summary/summarise-mode.js";
import { convergenceNotes } from "./convergence-notes.js";
import { evaluateLimits } from "./evaluate-limits.js";
import { gateRows, verdictLine } from "./gate-table.js";

function outcomes(paths: number, liquidated: number): ModeOutcomes {
  const columns = Object.fromEntries(outcomeFields.map((field) => [field, new Float64Array(paths)])) as Record<(typeof outcomeFields)[number], Float64Array>;
  for (let i = 0; i < paths; i++) {
    columns.liquidated[i] = i < liquidated ? 1 : 0;
    columns.liquidatedAt[i] = i < liquidated ? 60 : Number.NaN;
    columns.hedgeBrokenAt[i] = Number.NaN;
    columns.capitalEmployed[i] = 100;
    columns.minDistanceToLiquidation[i] = Number.NaN;
  }
  return { paths, columns };
}

// 2,000 paths: isolated 500 liquidations, cross none.
const summary: RunSummary = {
  scenario: "notes",
  scenarioSha256: "b".repeat(64),
  seed: "1",
  paths: 2000,
  horizonSeconds: 3600,
  modes: { isolated: summariseMode(outcomes(2000, 500), { horizonSeconds: 3600 }), cross: summariseMode(outcomes(2000, 0), { horizonSeconds: 3600 }) },
};

describe("convergenceNotes", () => {
  const gate = evaluateLimits([{ mode: "cross", metric: "liquidationProbability", max: 0.001 }, { mode: "isolated", metric: "liquidationProbability", max: 0.5 }], summary);

  it("states the widest interval, what no liquidation rules out, and the paths an undecided limit needs", () => {
    // isolated 500/2000 = 0.25: d = 1.00192073, centre = (0.25 + 0.000960365)/d = 0.250480; half =
    // (1.959964/d)·√(0.1875/2000 + 3.841459/16e6) = 1.956207·√(9.375e-5 + 2.40091e-7) = 0.0189633 → ±1.90 %.
    // cross 0/2000: upper end 3.841459/2003.841459 = 0.1917 %; needs ⌊3.841459·0.999/0.001⌋ + 1 = 3,838 paths.
    expect(convergenceNotes(summary, gate, { stopReason: "paths", precision: null })).toEqual([
      "2,000 paths: the widest 95 % interval of a liquidation probability is ±1.90 % (isolated).",
      "cross: no liquidation in 2,000 paths; the 95 % upper bound is 0.192 %, so smaller probabilities cannot be told apart.",
      "cross liquidationProbability: 0 liquidations in 2,000 paths cannot show p < 0.100 % at 95 %; run >= 3,838 paths if the rate holds.",
    ]);
  });

  it("says whether a requested precision was reached", () => {
    const reached = convergenceNotes(summary, gate, { stopReason: "precision", precision: { halfWidth: 0.02, maxPaths: 100_000 } });
    expect(reached[1]).toBe("Sampled to a precision of ±2.00 %: reached after 2,000 paths.");
    const capped = convergenceNotes(summary, gate, { stopReason: "max-paths", precision: { halfWidth: 0.005, maxPaths: 2000 } });
    // The widest interval is isolated's ±1.90 % (derived in the test above), over the ±0.500 % asked for.
    expect(capped[1]).toBe("Sampled towards a precision of ±0.500 % but stopped at the cap of 2,000 paths before reaching it (the widest interval is isolated's, ±1.90 %): raise --max-paths or loosen --precision.");
  });
});

describe("gate table", () => {
  it("prints one row per limit under a header, and the verdict in words", () => {
    const gate = evaluateLimits([{ mode: "cross", metric: "liquidationProbability", max: 0.005 }, { mode: "cross", metric: "aprOnCapital", min: 0.08, max: 2 }], summary);
    expect(verdictLine(gate)).toBe("1 of 2 limits failed");
    expect(gateRows(gate)).toEqual([
      ["limit", "estimate", "interval", "outcome", "why"],
      ["cross liquidationProbability <= 0.500 %", "0 %", "[0 %, 0.192 %] at 95 %", "pass", "upper end of the 95 % interval 0.192 % < 0.500 %"],
      ["cross aprOnCapital <= 200.00 % and >= 8.00 %", "0 %", "[0 %, 0 %] at 95 %", "fail", "upper end of the 95 % interval 0 % < 8.00 %"],
    ]);
    expect(verdictLine(evaluateLimits([{ mode: "cross", metric: "liquidationProbability", max: 0.005 }], summary))).toBe("the limit passes");
    expect(verdictLine(evaluateLimits(undefined, summary))).toBe("the scenario sets no sign-off limits");
  });
});
