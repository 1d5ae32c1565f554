import { describe, expect, it } from "vitest";
import { chooseAutoStep, lowerStepForFunding, policiesTimedInsideStep, type AutoStepMarket } from "./auto-step.js";

// Each rule of the default step on its own, the binding constraint read off by hand from the candidates 8h, 4h,
// 2h, 1h (28,800, 14,400, 7,200, 3,600 s). The figures each step gives are tested in auto-step-figures.test.ts (sim).

const hour = 3600;
const gbm = { BTC: { model: { kind: "gbm" } } };
const market = (fields: Partial<AutoStepMarket> = {}): AutoStepMarket => ({ horizon: 30 * 24 * hour, assets: gbm, stress: [], ...fields });

describe("chooseAutoStep: the coarsest step every rule allows", () => {
  it("takes 8h for a plain market over a whole number of 8 h", () => {
    expect(chooseAutoStep(market(), false).step).toBe(8 * hour);
  });

  it("divides the horizon: 12 h is not a whole number of 8 h steps, so 4h", () => {
    const choice = chooseAutoStep(market({ horizon: 12 * hour }), false);
    expect(choice).toEqual({ step: 4 * hour, reason: "4h: the coarsest step that divides the horizon" });
  });

  it("divides every overlay's at and over: a move over 1 h starting at 1 d gives 1h", () => {
    expect(chooseAutoStep(market({ stress: [{ at: 24 * hour, over: hour }] }), false).step).toBe(hour);
    expect(chooseAutoStep(market({ stress: [{ at: 24 * hour, over: 4 * hour }] }), false).step).toBe(4 * hour);
  });

  it("is at most adl.within (3 h: 2h) and at most 1h with policies", () => {
    expect(chooseAutoStep(market({ adl: { within: 3 * hour } }), false).step).toBe(2 * hour);
    const withPolicies = chooseAutoStep(market(), true);
    expect(withPolicies.step).toBe(hour);
    expect(withPolicies.reason).toContain("policies");
  });

  it("counts as timed inside a step every policy but a free-balance top-up without cooldown", () => {
    const autoAdd = { kind: "topUp", from: "free-balance", cooldown: 0 };
    expect(policiesTimedInsideStep([])).toBe(false);
    expect(policiesTimedInsideStep([autoAdd, autoAdd])).toBe(false);
    expect(policiesTimedInsideStep([{ ...autoAdd, cooldown: 3600 }])).toBe(true);
    expect(policiesTimedInsideStep([{ ...autoAdd, from: "account:reserve" }])).toBe(true);
    expect(policiesTimedInsideStep([{ ...autoAdd, from: "sell-spot:long-spot" }])).toBe(true);
    expect(policiesTimedInsideStep([autoAdd, { kind: "unwind" }])).toBe(true);
    expect(policiesTimedInsideStep([{ kind: "deRisk", cooldown: 0 }])).toBe(true);
    expect(policiesTimedInsideStep([{ kind: "exit" }])).toBe(true);
  });

  it("keeps the expected jumps a step at most 0.5: 2,000 a year gives 1.83 at 8 h, 0.91 at 4 h, 0.457 at 2 h", () => {
    const jumps = { BTC: { model: { kind: "jump-diffusion", jumps: { down: { intensity: 2000 } } } } };
    expect(chooseAutoStep(market({ assets: jumps }), false).step).toBe(2 * hour);
  });

  it("switches regime in at most 5 % of steps: 6 + 50 a year is 0.051 at 8 h, 0.026 at 4 h", () => {
    expect(chooseAutoStep(market({ regime: { calmToStress: 6, stressToCalm: 50, jumpIntensityMultiplier: 1 } }), false).step).toBe(4 * hour);
  });

  it("keeps 1h for garch-t and the bootstrap, whose parameters are per step of hourly data", () => {
    expect(chooseAutoStep(market({ assets: { BTC: { model: { kind: "garch-t" } } } }), false).step).toBe(hour);
    expect(chooseAutoStep(market({ assets: { BTC: { model: { kind: "bootstrap" } } } }), false).step).toBe(hour);
  });

  it("falls back to 1h when no candidate fits (a horizon of 90 min is then refused by the schema)", () => {
    expect(chooseAutoStep(market({ horizon: 90 * 60 }), false).step).toBe(hour);
  });
});

describe("lowerStepForFunding: an auto step divides every funding interval", () => {
  it("keeps 8h for 8 h venues, lowers to 4h for a 4 h symbol and to 1h for an hourly venue", () => {
    const eight = { step: 8 * hour, reason: "8h: the coarsest candidate" };
    expect(lowerStepForFunding(eight, [8 * hour])).toBe(eight);
    expect(lowerStepForFunding(eight, [8 * hour, 4 * hour]).step).toBe(4 * hour);
    const hourly = lowerStepForFunding(eight, [8 * hour, hour]);
    expect(hourly.step).toBe(hour);
    expect(hourly.reason).toContain("funding interval");
  });
});
