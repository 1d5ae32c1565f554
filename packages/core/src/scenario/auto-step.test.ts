import { describe, expect, it } from "vitest";
import { chooseAutoStep, lowerStepForFunding, policiesTimedInsideStep, policySubStep, type AutoStepMarket } from "./auto-step.js";

// Each rule of the default step on its own, the binding constraint read off by hand from the candidates 8h, 4h,
// 2h, 1h (28,800, 14,400, 7,200, 3,600 s). The figures each step gives are tested in auto-step-figures.test.ts (sim).

const hour = 3600;
const gbm = { BTC: { model: { kind: "gbm" } } };
const market = (fields: Partial<AutoStepMarket> = {}): AutoStepMarket => ({ horizon: 30 * 24 * hour, assets: gbm, stress: [], ...fields });

describe("chooseAutoStep: the coarsest step every rule allows", () => {
  it("takes 8h for a plain market over a whole number of 8 h", () => {
    expect(chooseAutoStep(market()).step).toBe(8 * hour);
  });

  it("divides the horizon: 12 h is not a whole number of 8 h steps, so 4h", () => {
    const choice = chooseAutoStep(market({ horizon: 12 * hour }));
    expect(choice).toEqual({ step: 4 * hour, reason: "4h: the coarsest step that divides the horizon" });
  });

  it("divides every overlay's at and over: a move over 1 h starting at 1 d gives 1h", () => {
    expect(chooseAutoStep(market({ stress: [{ at: 24 * hour, over: hour }] })).step).toBe(hour);
    expect(chooseAutoStep(market({ stress: [{ at: 24 * hour, over: 4 * hour }] })).step).toBe(4 * hour);
  });

  it("is at most adl.within (3 h: 2h)", () => {
    expect(chooseAutoStep(market({ adl: { within: 3 * hour } })).step).toBe(2 * hour);
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
    expect(chooseAutoStep(market({ assets: jumps })).step).toBe(2 * hour);
  });

  it("switches regime in at most 5 % of steps: 6 + 50 a year is 0.051 at 8 h, 0.026 at 4 h", () => {
    expect(chooseAutoStep(market({ regime: { calmToStress: 6, stressToCalm: 50, jumpIntensityMultiplier: 1 } })).step).toBe(4 * hour);
  });

  it("keeps 1h for garch-t and the bootstrap, whose parameters are per step of hourly data", () => {
    expect(chooseAutoStep(market({ assets: { BTC: { model: { kind: "garch-t" } } } })).step).toBe(hour);
    expect(chooseAutoStep(market({ assets: { BTC: { model: { kind: "bootstrap" } } } })).step).toBe(hour);
  });

  it("falls back to 1h when no candidate fits (a horizon of 90 min is then refused by the schema)", () => {
    expect(chooseAutoStep(market({ horizon: 90 * 60 })).step).toBe(hour);
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

describe("policySubStep: the sub-step a policy that sets something in motion is timed on", () => {
  const transfer = (delay: number) => ({ kind: "topUp", from: "account:reserve", cooldown: 3600, delay });

  it("is the step itself with no such policy, or when the step is already that fine", () => {
    expect(policySubStep([], 8 * hour)).toBe(8 * hour);
    expect(policySubStep([{ kind: "topUp", from: "free-balance", cooldown: 0 }], 8 * hour)).toBe(8 * hour);
    expect(policySubStep([transfer(1800)], 900)).toBe(900);
  });

  it("is at most 15 minutes, and at most half the shortest delay, dividing the step", () => {
    // 30 min / 2 = 15 min; 1 h / 2 = 30 min, capped at 15; 12 min / 2 = 6 min: 5 min divides 8 h; 3 min / 2: 1 min.
    expect(policySubStep([transfer(1800)], 8 * hour)).toBe(900);
    expect(policySubStep([transfer(3600)], 8 * hour)).toBe(900);
    expect(policySubStep([transfer(12 * 60), transfer(3600)], 8 * hour)).toBe(300);
    expect(policySubStep([transfer(180)], 8 * hour)).toBe(60);
    // Not under a minute, whatever the delay.
    expect(policySubStep([transfer(10)], 8 * hour)).toBe(60);
    // An unwind without delay, or an exit: sub-steps of 15 minutes.
    expect(policySubStep([{ kind: "exit" }], 8 * hour)).toBe(900);
  });

  it("divides a written step no candidate divides into equal sub-steps", () => {
    // 1,000 s: no candidate of at most 900 s divides it, so two sub-steps of 500 s.
    expect(policySubStep([transfer(1800)], 1000)).toBe(500);
    // A 10 s delay asks for a minute at most; 1,000 s in 17 equal sub-steps would be 58.8 s, under the minute, so
    // 16 of 62.5 s.
    expect(policySubStep([transfer(10)], 1000)).toBe(62.5);
  });
});
