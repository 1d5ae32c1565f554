import { describe, expect, it } from "vitest";
import { fitFunding } from "./funding-fit.js";
import { simulatedHistory } from "./simulated-history.js";

// The simulator's funding model on 50,000 hourly steps (fixed seed): the OU state per 8 h plus returnCoupling x
// the log return over the 8 h just ended, settled every 8 steps as an 8-hour venue settles it (funding-settlement.ts,
// rateAt, with no offset and no cap in reach). The fit must put every parameter within 3 standard errors of the
// truth (each check fails about 0.27 % of the time for an arbitrary seed; the seed is fixed).

describe("fitFunding recovers the simulator's funding process", () => {
  it("mean, stationary sd, half-life and return coupling within 3 standard errors; cap hits counted", () => {
    const truth = { mean: 0.0001, stdDev: 0.0002, halfLife: 2 * 86_400, returnCoupling: 0.01 };
    const history = simulatedHistory(
      { price: 60_000, model: { kind: "gbm", drift: 0, volatility: 0.6 }, funding: { mean: truth.mean, stdDev: truth.stdDev, halfLife: truth.halfLife, returnCoupling: truth.returnCoupling, venueOffset: {} } },
      50_000,
      3600,
      "recovery-funding",
    );
    const every = 8;
    const settlements = [];
    const returns = [];
    for (let s = every; s <= 50_000; s += every) {
      const r = Math.log((history.index[s] ?? 1) / (history.index[s - every] ?? 1));
      // As the venue publishes it: the rate per 8 h interval, to 1e-8.
      settlements.push({ time: s * 3600, rate: Math.round(((history.fundingState[s] ?? 0) + truth.returnCoupling * r) * 1e8) / 1e8, intervalHours: 8 });
      returns.push(r);
    }
    const fit = fitFunding({ settlements, intervalReturns: Float64Array.from(returns), limits: { cap: 0.003, floor: -0.003 } });
    const coupling = fit.returnCoupling;
    expect(coupling).not.toBeNull();
    expect(Math.abs(((coupling?.value ?? 0) - truth.returnCoupling) / (coupling?.standardError ?? 1))).toBeLessThan(3);
    for (const parameter of fit.process.parameters) {
      const expected = truth[parameter.field as "mean" | "stdDev" | "halfLife"];
      const z = (parameter.value - expected) / (parameter.standardError ?? Number.NaN);
      expect(Math.abs(z), `${parameter.field}: fitted ${String(parameter.value)} +- ${String(parameter.standardError)}, true ${String(expected)}`).toBeLessThan(3);
    }
    // The OU's sd is 0.0002 against a cap of 0.003 (15 sd): no settlement reaches it.
    expect(fit.capHits).toEqual({ cap: 0.003, floor: -0.003, atCap: 0, atFloor: 0 });
  });

  it("counts settlements at the cap and floor, and works without prices (no coupling)", () => {
    const rates = [0.0001, 0.003, 0.0002, -0.003, 0.0001, 0.00015, 0.003, 0.0001, 0.00005, 0.0002, 0.0001, 0.00012];
    const settlements = rates.map((rate, i) => ({ time: i * 8 * 3600, rate, intervalHours: 8 }));
    const fit = fitFunding({ settlements, intervalReturns: new Float64Array(rates.length).fill(Number.NaN), limits: { cap: 0.003, floor: -0.003 } });
    expect(fit.capHits).toEqual({ cap: 0.003, floor: -0.003, atCap: 2, atFloor: 1 });
    expect(fit.returnCoupling).toBeNull();
    expect(fit.notes.join(" ")).toContain("no return coupling fitted");
  });
});
