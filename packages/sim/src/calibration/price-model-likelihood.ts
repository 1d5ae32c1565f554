import type { PriceModelSpec } from "@mstress/core";
import type { ReturnSeries } from "./return-series.js";

/** The price models mstress fits: every modelled kind the simulator has (the bootstrap needs no fit). */
export const fittedModels = ["gbm", "jump-diffusion", "garch-t"] as const;
export type FittedModel = (typeof fittedModels)[number];

/** A fitted model's block as a scenario writes it (`market.assets.<ASSET>.model`). */
export type FittedPriceModel = Exclude<PriceModelSpec, { kind: "bootstrap" }>;

export interface ModelParameter {
  /** The scenario's field, dotted within its block: `volatility`, `jumps.up.intensity`, `halfLife`. */
  readonly field: string;
  /** A typical size, for finite-difference steps relative to it when the value itself is near 0. */
  readonly typical: number;
}

/**
 * A log-likelihood to maximise, in natural parameters (the scenario's fields and units) searched through free
 * numbers: `fromFree` maps any real vector inside the model, so the search cannot leave it. Parameters outside the
 * model give an infinite negative log-likelihood.
 */
export interface Likelihood {
  readonly parameters: readonly ModelParameter[];
  /** Observations the likelihood sums over (n in BIC). */
  readonly observations: number;
  toFree(theta: readonly number[]): number[];
  fromFree(u: readonly number[]): number[];
  negativeLogLikelihood(theta: readonly number[]): number;
  /** Its gradient in the natural parameters, in closed form where there is one (else it is taken numerically). */
  gradient?(theta: readonly number[]): number[];
  /** d(natural_i)/d(free_i) where each parameter is transformed on its own, so the gradient serves the search. */
  freeDerivatives?(u: readonly number[]): number[];
  /** Several starting points (natural parameters), from the data's moments and spread over plausible shapes. */
  startingPoints(): number[][];
}

/**
 * One price model's likelihood on a return series, in the simulator's own parameterisation (the scenario's fields
 * and units: annualised drift and volatility, jump intensities per year, GARCH at the step), so a fit can be pasted
 * into a scenario and runs as the same process.
 */
export interface PriceModelLikelihood extends Likelihood {
  readonly model: FittedModel;
  readonly series: ReturnSeries;
  /** P(R_s <= r_s | the past) for each step (NaN where the step is not observed): uniform if the model is right. */
  probabilityIntegralTransforms(theta: readonly number[]): Float64Array;
  /** The expected number of observed steps whose simple move exceeds +threshold or falls below -threshold. */
  expectedMovesBeyond(theta: readonly number[], threshold: number): number;
  /** The model's autocorrelation of squared returns at lags 1..lags, or null where it does not exist. */
  squaredReturnAutocorrelation(theta: readonly number[], lags: number): number[] | null;
  scenarioModel(theta: readonly number[]): FittedPriceModel;
}
