import type { AssetSpec } from "@mstress/core";
import { garchTLikelihood } from "./garch-t-likelihood.js";
import { gbmLikelihood } from "./gbm-likelihood.js";
import { jumpDiffusionLikelihood } from "./jump-diffusion-likelihood.js";
import type { PriceModelLikelihood } from "./price-model-likelihood.js";
import type { ReturnSeries } from "./return-series.js";

/**
 * The known-parameter histories the calibration is checked on (maximum-likelihood.test.ts, one seed each, and
 * bench/calibration-recovery.mjs, 20 replications): one per fitted model, 50,000 hourly steps drawn by the
 * simulator, and the true value of every fitted parameter under its scenario field. The jumps are well apart from
 * the diffusion (7 to 10 hourly standard deviations), so the legs are identified and the asymptotic standard errors
 * apply; the GARCH has a finite fourth moment (nu = 5, 3 alpha^2 (nu-2)/(nu-4) + 2 alpha beta + beta^2 < 1).
 */
export interface RecoveryCase {
  readonly model: AssetSpec["model"];
  readonly truth: Readonly<Record<string, number>>;
  readonly likelihood: (series: ReturnSeries) => PriceModelLikelihood;
}

export const recoverySteps = 50_000;
export const recoveryStepSeconds = 3600;

export const recoveryCases: readonly RecoveryCase[] = [
  { model: { kind: "gbm", drift: 0.2, volatility: 0.6 }, truth: { drift: 0.2, volatility: 0.6 }, likelihood: gbmLikelihood },
  {
    model: { kind: "jump-diffusion", drift: 0.1, volatility: 0.5, jumps: { up: { intensity: 20, mean: 0.04, stdDev: 0.01 }, down: { intensity: 30, mean: -0.05, stdDev: 0.015 } } },
    truth: { drift: 0.1, volatility: 0.5, "jumps.up.intensity": 20, "jumps.up.mean": 0.04, "jumps.up.stdDev": 0.01, "jumps.down.intensity": 30, "jumps.down.mean": -0.05, "jumps.down.stdDev": 0.015 },
    likelihood: jumpDiffusionLikelihood,
  },
  {
    model: { kind: "garch-t", drift: 0, volatility: 0.6, alpha: 0.08, beta: 0.9, degreesOfFreedom: 5 },
    truth: { drift: 0, volatility: 0.6, alpha: 0.08, beta: 0.9, degreesOfFreedom: 5 },
    likelihood: garchTLikelihood,
  },
];
