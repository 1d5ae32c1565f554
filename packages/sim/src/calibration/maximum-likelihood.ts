import numeric from "numeric";
import { freeGradient, observedInformation } from "./observed-information.js";
import type { FittedModel, FittedPriceModel, Likelihood, PriceModelLikelihood } from "./price-model-likelihood.js";

export interface FittedParameter {
  /** The scenario's field within the model block (`volatility`, `jumps.down.intensity`). */
  readonly field: string;
  readonly value: number;
  /** From the observed information; null at a bound or where the information is singular (see `notes`). */
  readonly standardError: number | null;
}

/** One start of the search and where it ended. */
export interface SearchRun {
  readonly start: readonly number[];
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly stop: string;
}

export interface MaximumLikelihoodFit {
  readonly parameters: readonly FittedParameter[];
  readonly theta: readonly number[];
  readonly logLikelihood: number;
  /** Akaike: 2k - 2 log L. */
  readonly aic: number;
  /** Schwarz: k ln n - 2 log L, n the observations. */
  readonly bic: number;
  readonly observations: number;
  readonly covariance: readonly (readonly number[])[] | null;
  readonly runs: readonly SearchRun[];
  readonly notes: readonly string[];
}

/** A price model's fit, with its block for a scenario. */
export interface ModelFit extends MaximumLikelihoodFit {
  readonly model: FittedModel;
  readonly scenarioModel: FittedPriceModel;
}

/** A price model fitted by maximum likelihood. */
export function fitPriceModel(likelihood: PriceModelLikelihood): ModelFit {
  const fit = maximumLikelihood(likelihood);
  return { ...fit, model: likelihood.model, scenarioModel: likelihood.scenarioModel(fit.theta) };
}

/** Restarts of the quasi-Newton search from where it stopped, while each improves the fit. */
const restarts = 4;
/** Iterations each starting point gets before the best of them is refined. */
const exploratoryIterations = 60;

/**
 * Maximum likelihood by BFGS (numeric.js `uncmin`) in the free numbers of the model's transformation, from every
 * starting point the model proposes: each is searched for 60 iterations, and the best of them is then refined to
 * convergence (a multi-start that spends its time where the maximum is). The objective is -log L / n, so its size does not
 * depend on the length of the history; the gradient is the model's closed form where it has one (through the
 * transformation's derivatives), else central differences in the free numbers. A search that stops on a line
 * search (the BFGS inverse-Hessian estimate gone stale) is restarted from where it stopped with a fresh one.
 */
export function maximumLikelihood(likelihood: Likelihood): MaximumLikelihoodFit {
  const n = likelihood.observations;
  if (n < 2 * likelihood.parameters.length) throw new RangeError(`maximumLikelihood: ${String(n)} observations are too few to fit ${String(likelihood.parameters.length)} parameters`);
  const objective = (u: number[]): number => {
    const value = likelihood.negativeLogLikelihood(likelihood.fromFree(u)) / n;
    return Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
  };
  const gradient = objectiveGradient(likelihood, objective, n);
  // Every start is searched for a while; the most promising is then refined to convergence (the others are
  // reported where they got to). A run stopping on a failed line search is restarted with a fresh BFGS estimate.
  const search = (from: number[], value: number, maxit: number): { u: number[]; value: number; iterations: number; stop: string } => {
    let u = from;
    let iterations = 0;
    let stop = "";
    for (let attempt = 0; attempt <= restarts; attempt++) {
      const result = numeric.uncmin(objective, u, 1e-8, gradient, maxit);
      iterations += result.iterations;
      stop = result.message === "" ? "iteration limit" : result.message;
      // A restart must gain at least 1e-4 in log L to be worth another.
      const improved = result.f < value - 1e-4 / n;
      if (result.f <= value) {
        u = result.solution;
        value = result.f;
      }
      if (!improved || stop === "Newton step smaller than tol" || result.iterations >= maxit) break;
    }
    return { u, value, iterations, stop };
  };
  const explored = likelihood.startingPoints().flatMap((start) => {
    const u = likelihood.toFree(start);
    const value = objective(u);
    return Number.isFinite(value) ? [{ start, ...search(u, value, exploratoryIterations) }] : [];
  });
  const leader = explored.reduce<(typeof explored)[number] | undefined>((a, b) => (a === undefined || b.value < a.value ? b : a), undefined);
  if (leader === undefined) throw new RangeError("maximumLikelihood: no starting point has a finite likelihood");
  const refined = search(leader.u, leader.value, 2000);
  const runs: SearchRun[] = explored.map((run) => {
    const final = run === leader ? { ...refined, iterations: run.iterations + refined.iterations } : run;
    return { start: run.start, logLikelihood: -final.value * n, iterations: final.iterations, stop: final.stop };
  });
  const best = refined;
  const theta = likelihood.fromFree(best.u);
  const logLikelihood = -likelihood.negativeLogLikelihood(theta);
  const k = theta.length;
  const information = observedInformation(likelihood, best.u);
  return {
    parameters: likelihood.parameters.map((p, i) => ({ field: p.field, value: theta[i] ?? Number.NaN, standardError: information.standardErrors[i] ?? null })),
    theta,
    logLikelihood,
    aic: 2 * k - 2 * logLikelihood,
    bic: k * Math.log(n) - 2 * logLikelihood,
    observations: n,
    covariance: information.covariance,
    runs,
    notes: information.notes,
  };
}

/** The objective's gradient in the free numbers: the closed form through the chain rule, or central differences. */
function objectiveGradient(likelihood: Likelihood, objective: (u: number[]) => number, n: number): (u: number[]) => number[] {
  const closedForm = freeGradient(likelihood);
  if (closedForm !== undefined) return (u) => closedForm(u).map((value) => value / n);
  return (u) =>
    u.map((ui, i) => {
      const h = 1e-5 * Math.max(1, Math.abs(ui));
      const up = [...u];
      const down = [...u];
      up[i] = ui + h;
      down[i] = ui - h;
      return (objective(up) - objective(down)) / (2 * h);
    });
}
