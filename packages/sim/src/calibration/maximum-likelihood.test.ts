import { describe, expect, it } from "vitest";
import { maxExpectedJumpsPerStep } from "@mstress/core";
import { maxJumpsPerStep } from "./jump-diffusion-likelihood.js";
import { fitPriceModel } from "./maximum-likelihood.js";
import { recoveryCases, recoveryStepSeconds, recoverySteps } from "./recovery-cases.js";
import { simulatedHistory } from "./simulated-history.js";

// Recovery: on 50,000 hourly steps drawn by the simulator's own generator with known parameters (fixed seeds), the
// maximum-likelihood estimate of every parameter lies within 3 of its reported standard errors of the truth. For a
// consistent estimator with correct standard errors each check fails with probability about 0.27 % (|N(0,1)| > 3),
// so the 15 checks fail together about 4 % of the time for an arbitrary seed; the seeds are fixed, so the outcome
// is the same on every run. That the standard errors themselves are the right size (against the spread of the
// estimates over 20 replications) is measured by bench/calibration-recovery.mjs, too slow for the suite.

describe("maximum likelihood recovers the simulator's own parameters", () => {
  for (const recovery of recoveryCases) {
    it(`${recovery.model.kind}: every parameter within 3 standard errors of the truth`, { timeout: 120_000 }, () => {
      const history = simulatedHistory({ price: 60_000, model: recovery.model }, recoverySteps, recoveryStepSeconds, `recovery-${recovery.model.kind}`);
      const fit = fitPriceModel(recovery.likelihood(history.series));
      expect(fit.observations).toBe(recoverySteps);
      for (const parameter of fit.parameters) {
        const truth = recovery.truth[parameter.field] ?? Number.NaN;
        const se = parameter.standardError;
        expect(se, `${fit.model} ${parameter.field}: no standard error (${fit.notes.join("; ")})`).not.toBeNull();
        const z = (parameter.value - truth) / (se ?? Number.NaN);
        expect(Math.abs(z), `${fit.model} ${parameter.field}: fitted ${String(parameter.value)} +- ${String(se)}, true ${String(truth)}`).toBeLessThan(3);
      }
      if (fit.model === "gbm") {
        // GBM's Fisher information has a closed form: the volatility's standard error is sigma / sqrt(2n).
        expect(fit.parameters[1]?.standardError ?? 0).toBeCloseTo(0.6 / Math.sqrt(2 * recoverySteps), 4);
      }
    });
  }

  it("searches jump intensities below the schema's own cap per step", () => {
    expect(maxJumpsPerStep).toBe(maxExpectedJumpsPerStep);
  });
});
