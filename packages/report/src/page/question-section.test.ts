import { describe, expect, it } from "vitest";
import type { GateResult } from "../gate/evaluate-limits.js";
import { modeSummaryWith } from "../summary/mode-summary-filler.test-support.js";
import type { RunSummary } from "../summary/run-summary.js";
import { routeAnswer, scenarioQuestion } from "./question-section.js";

const noLimits: GateResult = { verdict: "no limits", exitCode: 0, evaluations: [] };

function summaryOf(modes: RunSummary["modes"]): RunSummary {
  return { scenario: "q", scenarioSha256: "a".repeat(64), seed: "1", paths: 1000, horizonSeconds: 86_400, modes };
}

describe("scenarioQuestion", () => {
  it("reads the # Question: comment, wherever it sits among the comments, and nothing else", () => {
    expect(scenarioQuestion("# Question: Which mode?\n# Answer: cross\nname: x\n")).toBe("Which mode?");
    expect(scenarioQuestion("# a note\n  #  Question:   Which mode, and at what cost?  \nname: x\n")).toBe("Which mode, and at what cost?");
    expect(scenarioQuestion("# Answer: cross\nname: x\n")).toBeNull();
    expect(scenarioQuestion("name: x\ndescription: 'Question: not a comment'\n")).toBeNull();
  });
});

describe("routeAnswer", () => {
  // Intervals as a summary gives them; the figures are the answer's inputs, not derived here.
  const safe = modeSummaryWith({ liquidationProbability: 0.001, liquidationProbabilityCi: [0.0002, 0.0057], aprOnCapital: 0.08, aprOnCapitalCi: [0.075, 0.085], capitalEmployed: { mean: 70_000, max: 70_000 } });
  const risky = modeSummaryWith({ liquidationProbability: 0.3, liquidationProbabilityCi: [0.272, 0.329], aprOnCapital: 0.04, aprOnCapitalCi: [0.01, 0.07], capitalEmployed: { mean: 70_000, max: 70_000 } });
  const close = modeSummaryWith({ liquidationProbability: 0.004, liquidationProbabilityCi: [0.0016, 0.0102], aprOnCapital: 0.09, aprOnCapitalCi: [0.08, 0.1], capitalEmployed: { mean: 63_000, max: 63_000 } });

  it("ranks by liquidation probability and says when the safest is told apart from the next", () => {
    const answer = routeAnswer(summaryOf({ cross: risky, portfolio: safe }), noLimits);
    expect(answer).toBe(
      "Safest: portfolio is liquidated on 0.100 % [0.0200 %, 0.570 %] of paths, APR on capital 8.00 % [7.50 %, 8.50 %] on 70,000 employed, clearly below cross (the intervals do not overlap). " +
        "Cross is liquidated on 30.00 % [27.20 %, 32.90 %] of paths, APR on capital 4.00 % [1.00 %, 7.00 %] on 70,000 employed.",
    );
  });

  it("says so when the intervals overlap, and answers for the route as run, leaving the passive baselines out", () => {
    const answer = routeAnswer(summaryOf({ portfolio: safe, "portfolio-passive": modeSummaryWith({ liquidationProbability: 0 }), isolated: close }), noLimits);
    expect(answer).toContain("Safest: portfolio is liquidated on 0.100 %");
    expect(answer).toContain("not told apart from isolated at 1,000 paths (the intervals overlap)");
    expect(answer).not.toContain("passive");
  });

  it("says what the top-ups drew from their reserve, for those that acted, and leaves the other rules to the table", () => {
    const acted = { paths: 1000, acted: 407, actedProbability: 0.407, actedProbabilityCi: [0.377, 0.4377] as const, actions: { mean: 1.2 }, moved: { mean: 1766, p95: 5000, max: 5000 }, reserveExhausted: 182, reserveExhaustedProbability: 0.182, reserveExhaustedProbabilityCi: [0.1593, 0.2071] as const, costs: { mean: 0 }, medianTimeToFirstAction: 3600 };
    const idle = { ...acted, acted: 0, actedProbability: 0, actedProbabilityCi: [0, 0.0038] as const, reserveExhausted: 0, reserveExhaustedProbability: 0 };
    const summary = { ...summaryOf({ cross: risky, portfolio: safe }), policies: { cross: { "reserve-top-up": acted, "unwind-spot": acted }, portfolio: { "reserve-top-up": idle } } };
    expect(routeAnswer(summary, noLimits, ["reserve-top-up"])).toMatch(
      /\. The reserve: in cross reserve-top-up acted on 40\.70 % \[37\.70 %, 43\.77 %\] of paths, moving 1,766 a path on average, its reserve short on 18\.20 % \[15\.93 %, 20\.71 %\]\.$/,
    );
  });

  it("gives each evaluation's worst limit outcome when the scenario sets limits", () => {
    const limit = (mode: "cross" | "portfolio", outcome: "pass" | "fail" | "undecided"): GateResult["evaluations"][number] => ({
      limit: { mode, metric: "liquidationProbability", max: 0.01 },
      scope: mode,
      estimate: 0,
      events: null,
      trials: null,
      confidence: null,
      interval: null,
      outcome,
      reason: "",
      pathsToDecide: null,
    });
    const gate: GateResult = { verdict: "fail", exitCode: 1, evaluations: [limit("portfolio", "pass"), limit("cross", "undecided"), limit("cross", "fail")] };
    expect(routeAnswer(summaryOf({ cross: risky, portfolio: safe }), gate)).toMatch(/Against the scenario's limits: portfolio pass, cross fail\.$/);
  });
});
