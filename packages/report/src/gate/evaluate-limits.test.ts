import { parseScenario, standardNormalQuantile, type ScenarioLimit } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { outcomeFields, type ModeOutcomes } from "../summary/mode-outcomes.js";
import type { RunSummary } from "../summary/run-summary.js";
import { summariseMode } from "../summary/summarise-mode.js";
import { evaluateLimits } from "./evaluate-limits.js";

const day = 86_400;

// `paths` paths of which the first `liquidated` are liquidated (loss 1000, PnL −1000) and the rest earn `pnl`.
function outcomes(paths: number, liquidated: number, pnl: number): ModeOutcomes {
  const columns = Object.fromEntries(outcomeFields.map((field) => [field, new Float64Array(paths)])) as Record<(typeof outcomeFields)[number], Float64Array>;
  for (let i = 0; i < paths; i++) {
    const hit = i < liquidated;
    columns.liquidated[i] = hit ? 1 : 0;
    columns.liquidatedAt[i] = hit ? 3600 : Number.NaN;
    columns.hedgeBroken[i] = hit ? 1 : 0;
    columns.hedgeBrokenAt[i] = hit ? 3600 : Number.NaN;
    columns.loss[i] = hit ? 1000 : 0;
    columns.pnl[i] = hit ? -1000 : pnl;
    columns.capitalEmployed[i] = 10_000;
    columns.minDistanceToLiquidation[i] = hit ? 0 : 0.1;
  }
  return { paths, columns };
}

// isolated: 1,500 of 2,000 liquidated. cross: none of 2,000. portfolio: 3 of 2,000.
const summary: RunSummary = {
  scenario: "gate-test",
  scenarioSha256: "0".repeat(64),
  seed: "1",
  paths: 2000,
  horizonSeconds: day,
  modes: {
    isolated: summariseMode(outcomes(2000, 1500, 10), { horizonSeconds: day }),
    cross: summariseMode(outcomes(2000, 0, 10), { horizonSeconds: day }),
    portfolio: summariseMode(outcomes(2000, 3, 10), { horizonSeconds: day }),
  },
  routes: { cross: { carry: { paths: 2000, liquidations: 0, liquidationProbability: 0, liquidationProbabilityCi: [0, 0.0019], hedgeBreaks: 0, hedgeBrokenProbability: 0, hedgeBrokenProbabilityCi: [0, 0.0019], medianTimeToLiquidation: null, medianTimeToHedgeBreak: null } } },
};

const limit = (fields: Omit<ScenarioLimit, "mode" | "metric"> & Pick<ScenarioLimit, "mode" | "metric">): ScenarioLimit => fields;

describe("evaluateLimits", () => {
  it("has the verdict 'no limits' and exit 0 when the scenario sets none", () => {
    expect(evaluateLimits(undefined, summary)).toEqual({ verdict: "no limits", exitCode: 0, evaluations: [] });
    expect(evaluateLimits([], summary).verdict).toBe("no limits");
  });

  it("passes a probability limit whose whole interval is below the maximum (exit 0)", () => {
    // cross 0/2000: 95 % Wilson upper end z²/(2000 + z²) = 3.841459/2003.841459 = 0.1917 % < 0.5 %.
    const gate = evaluateLimits([limit({ mode: "cross", metric: "liquidationProbability", max: 0.005 })], summary);
    expect(gate.verdict).toBe("pass");
    expect(gate.exitCode).toBe(0);
    expect(gate.evaluations[0]?.interval?.[1]).toBeCloseTo(0.0019170, 6);
    expect(gate.evaluations[0]?.reason).toBe("upper end of the 95 % interval 0.192 % < 0.500 %");
  });

  it("fails when the interval's lower end is above the maximum, whatever else passes (exit 1)", () => {
    // isolated 1500/2000 = 0.75: lower end 0.7306 > 0.5.
    const gate = evaluateLimits(
      [limit({ mode: "cross", metric: "liquidationProbability", max: 0.005 }), limit({ mode: "isolated", metric: "liquidationProbability", max: 0.5 })],
      summary,
    );
    expect(gate.evaluations.map((e) => e.outcome)).toEqual(["pass", "fail"]);
    expect(gate.verdict).toBe("fail");
    expect(gate.exitCode).toBe(1);
    expect(gate.evaluations[1]?.interval?.[0]).toBeCloseTo(0.730556, 5);
  });

  it("is undecided, not a pass, when 0 liquidations in 2,000 paths cannot show p < 0.1 % (exit 3)", () => {
    // Upper end 0.1917 % > 0.1 % > lower end 0: undecided. Paths needed: ⌊z²(1 − L)/L⌋ + 1 = ⌊3837.62⌋ + 1 = 3,838.
    const gate = evaluateLimits([limit({ mode: "cross", metric: "liquidationProbability", max: 0.001 })], summary);
    expect(gate.verdict).toBe("undecided");
    expect(gate.exitCode).toBe(3);
    expect(gate.evaluations[0]?.pathsToDecide).toBe(3838);
    expect(gate.evaluations[0]?.reason).toBe("0 liquidations in 2,000 paths cannot show p < 0.100 % at 95 %; run >= 3,838 paths if the rate holds");
  });

  it("lets a failure outrank an undecided limit", () => {
    const gate = evaluateLimits(
      [limit({ mode: "cross", metric: "liquidationProbability", max: 0.001 }), limit({ mode: "isolated", metric: "hedgeBrokenProbability", max: 0.02 })],
      summary,
    );
    expect(gate.verdict).toBe("fail");
  });

  it("judges at the limit's own confidence: 3/2000 passes 0.5 % at 95 % but not at 99 %", () => {
    // p = 0.0015. 95 %: d = 1.00192073, centre = 0.00245565, half = 1.956207·√(7.48875e-7 + 2.40091e-7) = 0.00194538
    // → upper 0.440 %. 99 % (z = 2.575829): d = 1.00331745, centre = 0.00314828,
    // half = 2.567312·√(7.48875e-7 + 4.14681e-7) = 0.00276931 → upper 0.592 % > 0.5 %: undecided.
    const at95 = evaluateLimits([limit({ mode: "portfolio", metric: "liquidationProbability", max: 0.005 })], summary);
    const at99 = evaluateLimits([limit({ mode: "portfolio", metric: "liquidationProbability", max: 0.005, confidence: 0.99 })], summary);
    expect(at95.evaluations[0]?.interval?.[1]).toBeCloseTo(0.00440103, 7);
    expect(at95.verdict).toBe("pass");
    expect(at99.evaluations[0]?.interval?.[1]).toBeCloseTo(0.00591759, 7);
    expect(at99.verdict).toBe("undecided");
  });

  it("judges a minimum on a probability on the mirror side", () => {
    // isolated: lower end 73.06 % > 70 % passes a minimum of 70 %; below a minimum of 80 % (upper end 76.85 %) it fails.
    expect(evaluateLimits([limit({ mode: "isolated", metric: "liquidationProbability", min: 0.7 })], summary).verdict).toBe("pass");
    expect(evaluateLimits([limit({ mode: "isolated", metric: "liquidationProbability", min: 0.8 })], summary).verdict).toBe("fail");
  });

  it("judges other metrics on their interval: here the intervals collapse on the estimate, so bounds are inclusive", () => {
    // cross: every path earns 10 on 10,000 over a day: APR = 0.001·365 = 36.5 %, with no spread at all. isolated
    // VaR 99 % = 1000: the order statistics bracketing the 1 % quantile (ranks 11 and 29 of 2,000) are both -1000.
    const apr = summary.modes.cross?.aprOnCapital ?? Number.NaN;
    expect(apr).toBeCloseTo(0.365, 12);
    expect(summary.modes.cross?.aprOnCapitalCi).toEqual([apr, apr]);
    expect(evaluateLimits([limit({ mode: "cross", metric: "aprOnCapital", min: 0.08 })], summary).verdict).toBe("pass");
    expect(evaluateLimits([limit({ mode: "cross", metric: "aprOnCapital", min: 0.5 })], summary).verdict).toBe("fail");
    expect(summary.modes.isolated?.valueAtRisk.p99Ci).toEqual([1000, 1000]);
    expect(evaluateLimits([limit({ mode: "isolated", metric: "valueAtRisk99", max: 1000 })], summary).verdict).toBe("pass");
    expect(evaluateLimits([limit({ mode: "isolated", metric: "valueAtRisk99", max: 999 })], summary).verdict).toBe("fail");
    // No max drawdown in these outcomes: undecided, with the reason.
    const drawdown = evaluateLimits([limit({ mode: "cross", metric: "maxDrawdownP95", max: 100 })], summary);
    expect(drawdown.verdict).toBe("undecided");
    expect(drawdown.evaluations[0]?.reason).toBe("maxDrawdownP95 is not defined for this run");
  });

  it("is undecided on an APR whose interval straddles the bound, and says how many paths would decide it", () => {
    // 2,000 paths with PnL -1000, -999, ..., 999 on 10,000 of capital over a day: mean -0.5, sd = sqrt(2000 x 2001 /
    // 12) = 577.49 (the sample sd of consecutive integers), APR = -0.5 / 10,000 x 365 = -1.825 %, half-width
    // 1.96 x 577.49 / sqrt(2000) / 10,000 x 365 = 92.4 %. A minimum of -50 % is inside [-94.2 %, 90.6 %]:
    // undecided; the interval would clear it at 2,000 x (0.924 / 0.4818)^2 = 7,356 paths.
    const spread = outcomes(2000, 0, 0);
    for (let i = 0; i < 2000; i++) spread.columns.pnl[i] = i - 1000;
    const mode = summariseMode(spread, { horizonSeconds: day });
    const sd = Math.sqrt((2000 * 2001) / 12);
    const half = (standardNormalQuantile(0.975) * sd) / Math.sqrt(2000) / 10_000 * 365;
    expect(mode.aprOnCapital).toBeCloseTo(-0.01825, 12);
    expect(mode.aprOnCapitalCi?.[1]).toBeCloseTo(-0.01825 + half, 9);
    const gate = evaluateLimits([limit({ mode: "cross", metric: "aprOnCapital", min: -0.5 })], { ...summary, modes: { cross: mode } });
    expect(gate.verdict).toBe("undecided");
    expect(gate.evaluations[0]?.pathsToDecide).toBe(Math.ceil(2000 * (half / (0.5 - 0.01825)) ** 2));
  });

  it("reads account and route limits from their own figures, and is undecided on what the run lacks", () => {
    expect(evaluateLimits([limit({ mode: "cross", metric: "hedgeBrokenProbability", route: "carry", max: 0.005 })], summary).verdict).toBe("pass");
    const account = evaluateLimits([limit({ mode: "cross", metric: "liquidationProbability", account: "futures", max: 0.005 })], summary);
    expect(account.verdict).toBe("undecided");
    expect(account.evaluations[0]?.reason).toBe("this run has no per-account outcomes");
    const twoModes: RunSummary["modes"] = Object.fromEntries(Object.entries(summary.modes).filter(([mode]) => mode !== "portfolio"));
    const notRun = evaluateLimits([limit({ mode: "portfolio", metric: "liquidationProbability", max: 0.005 })], { ...summary, modes: twoModes });
    expect(notRun.evaluations[0]?.reason).toBe("mode portfolio was not simulated in this run");
  });
});

describe("the scenario's limits block", () => {
  const scenario = (limits: string): string => `name: gate
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }
modes: [isolated, cross]
market: { horizon: 1d, assets: { BTC: { price: 60000, model: { kind: gbm, volatility: 0.5 } } } }
limits:
${limits}`;

  it("accepts the issue's examples and scoped limits", () => {
    const parsed = parseScenario(
      scenario(`  - { mode: cross, metric: liquidationProbability, max: 0.005, confidence: 0.95 }
  - { mode: isolated, metric: hedgeBrokenProbability, max: 0.02 }
  - { mode: cross, metric: aprOnCapital, min: 0.08 }
  - { mode: cross, metric: liquidationProbability, account: futures, max: 0.01 }
  - { mode: cross, metric: hedgeBrokenProbability, route: gate, max: 0.01 }`),
      "gate.yaml",
    );
    expect(parsed.limits).toHaveLength(5);
    expect(parsed.limits?.[1]).toEqual({ mode: "isolated", metric: "hedgeBrokenProbability", max: 0.02 });
  });

  // Each line names the file, the field's line and column, then the field; the locations are tested with the
  // scenario parser (parse-scenario.test.ts), so these read the rest.
  const problems = (limits: string): string => {
    try {
      parseScenario(scenario(limits), "gate.yaml");
    } catch (error) {
      return (error instanceof Error ? error.message : String(error)).replace(/^gate\.yaml:\d+:\d+: /gm, "gate.yaml: ");
    }
    return "";
  };

  it("names an unknown metric with the metrics it accepts", () => {
    expect(problems("  - { mode: cross, metric: liquidationOdds, max: 0.1 }")).toMatch(/^gate\.yaml: limits\.0\.metric: expected one of "liquidationProbability", "hedgeBrokenProbability", /);
  });

  it("names the field of every bad limit at once", () => {
    const message = problems(`  - { mode: cross, metric: liquidationProbability }
  - { mode: cross, metric: liquidationProbability, max: 5 }
  - { mode: cross, metric: aprOnCapital, min: 0.1, confidence: 0.9 }
  - { mode: cross, metric: valueAtRisk99, route: gate, max: 100 }
  - { mode: cross, metric: liquidationProbability, min: 0.2, max: 0.1 }`);
    expect(message.split("\n")).toEqual([
      "gate.yaml: limits.0: expected max or min (or both)",
      "gate.yaml: limits.1.max: expected a probability in [0, 1] for liquidationProbability, got 5",
      "gate.yaml: limits.2.confidence: applies only to probabilities, not aprOnCapital (judged on its interval in the summary, at the run's 95 % level)",
      "gate.yaml: limits.3.metric: expected liquidationProbability or hedgeBrokenProbability for a route's limit, got valueAtRisk99",
      "gate.yaml: limits.4.min: expected at most max (0.1), got 0.2",
    ]);
  });

  it("names a mode, account or route the scenario does not have", () => {
    const message = problems(`  - { mode: cross, metric: liquidationProbability, account: spot-wallet, max: 0.1 }
  - { mode: cross, metric: liquidationProbability, route: carry, max: 0.1 }
  - { mode: portfolio, metric: liquidationProbability, max: 0.1 }`);
    expect(message.split("\n")).toEqual([
      'gate.yaml: limits.0.account: expected an account holding a perp leg (futures), got "spot-wallet"',
      'gate.yaml: limits.1.route: expected one of the routes (gate), got "carry"',
      'gate.yaml: limits.2.mode: expected one of the scenario\'s modes (isolated, cross), got "portfolio"',
    ]);
  });
});

describe("evaluateLimits on a policy's figures", () => {
  // The top-up of the managed isolated mode ran out of reserve on 30 of 2,000 paths and acted on 900.
  const policy = { paths: 2000, acted: 900, actedProbability: 0.45, actedProbabilityCi: [0.428, 0.472] as const, actions: { mean: 1 }, moved: { mean: 700, p95: 3000, max: 5000 }, reserveExhausted: 30, reserveExhaustedProbability: 0.015, reserveExhaustedProbabilityCi: [0.0105, 0.0213] as const, costs: { mean: 2 }, medianTimeToFirstAction: 3600 };
  const withPolicy: RunSummary = { ...summary, policies: { isolated: { "top-up": policy } } };

  it("judges reserveExhaustedProbability on its Wilson interval, by the policy's name", () => {
    // 30/2000 = 1.5 %: the 95 % interval's lower end (about 1.05 %) is above a 1 % maximum: fail.
    const fail = evaluateLimits([limit({ mode: "isolated", policy: "top-up", metric: "reserveExhaustedProbability", max: 0.01 })], withPolicy);
    expect(fail.verdict).toBe("fail");
    expect(fail.evaluations[0]?.scope).toBe("isolated, policy top-up");
    expect(fail.evaluations[0]?.events).toBe(30);
    // Its upper end (about 2.13 %) is under 3 %: pass.
    expect(evaluateLimits([limit({ mode: "isolated", policy: "top-up", metric: "reserveExhaustedProbability", max: 0.03 })], withPolicy).verdict).toBe("pass");
  });

  it("is undecided, naming why, for a policy the run does not have", () => {
    const gate = evaluateLimits([limit({ mode: "isolated", policy: "de-risk", metric: "policyActedProbability", max: 0.5 })], withPolicy);
    expect(gate.verdict).toBe("undecided");
    expect(gate.evaluations[0]?.reason).toBe("policy de-risk is not in this run");
  });
});
