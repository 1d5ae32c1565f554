import numeric from "numeric";
import { choleskyFactor } from "@mstress/core/engine";
import { saturation } from "./free-parameter.js";
import type { Likelihood } from "./price-model-likelihood.js";

/** Standard errors from the observed information: sqrt of the diagonal of the inverse Hessian of -log L. */
export interface StandardErrors {
  /** Per natural parameter; null where it sits at its bound or the information is singular. */
  readonly standardErrors: readonly (number | null)[];
  /** Of the natural parameters (zero rows and columns for a parameter at its bound); null when singular. */
  readonly covariance: readonly (readonly number[])[] | null;
  /** Why some standard errors are missing, one line each. */
  readonly notes: readonly string[];
}

/** A free number this close to its saturation puts its parameter at its bound (an intensity at 0, persistence at 1). */
const atBound = saturation - 0.5;
const step = 1e-4;

/**
 * The observed information (Efron & Hinkley 1978) at the maximum `u` (in the free numbers the search moved): the
 * Hessian H of minus the log-likelihood is taken numerically in the free numbers, where every step stays inside
 * the model whatever the bounds, and carried to the natural parameters by the delta method,
 * Cov(theta) = J H^-1 J^T with J = d(theta)/du. At a maximum the gradient is zero, so this is exactly the inverse
 * of the natural parameters' Hessian (J^T H_theta J = H), in the scenario's units. With a closed-form gradient, H is
 * its central difference; otherwise second differences of -log L. A free number at its saturation puts its parameter at
 * a bound (a jump leg switched off, alpha + beta at 1): such a parameter, and any whose value depends on it, gets no
 * standard error, and the others are computed with it held fixed.
 */
export function observedInformation(likelihood: Likelihood, u: readonly number[]): StandardErrors {
  const theta = likelihood.fromFree(u);
  const f = (x: readonly number[]): number => likelihood.negativeLogLikelihood(likelihood.fromFree(x));
  const shifted = (changes: readonly (readonly [number, number])[]): number[] => {
    const x = [...u];
    for (const [i, delta] of changes) x[i] = (x[i] ?? 0) + delta;
    return x;
  };
  const jacobian = theta.map(() => new Array<number>(u.length).fill(0));
  u.forEach((_, j) => {
    const up = likelihood.fromFree(shifted([[j, 1e-6]]));
    const down = likelihood.fromFree(shifted([[j, -1e-6]]));
    theta.forEach((__, i) => {
      const row = jacobian[i];
      if (row !== undefined) row[j] = ((up[i] ?? 0) - (down[i] ?? 0)) / 2e-6;
    });
  });
  const bound = u.map((x) => Math.abs(x) > atBound);
  const free = u.map((_, j) => j).filter((j) => !bound[j]);
  // Which parameters move with a bound free number: probed one unit inside the saturation, where the map is alive.
  const dependsOnBound = theta.map(() => false);
  u.forEach((x, j) => {
    if (bound[j] !== true) return;
    const probe = [...u];
    probe[j] = Math.sign(x) * (saturation - 1);
    likelihood.fromFree(probe).forEach((value, i) => {
      if (value !== theta[i]) dependsOnBound[i] = true;
    });
  });
  const notes = theta.flatMap((x, i) => (dependsOnBound[i] ? [`${likelihood.parameters[i]?.field ?? String(i)} is at its bound (${x.toPrecision(4)}): no standard error`] : []));
  const none = { standardErrors: theta.map(() => null), covariance: null };
  if (free.length === 0) return { ...none, notes };

  const hessian = free.map(() => new Array<number>(free.length).fill(0));
  const gradient = freeGradient(likelihood);
  free.forEach((i, a) => {
    if (gradient !== undefined) {
      const up = gradient(shifted([[i, step]]));
      const down = gradient(shifted([[i, -step]]));
      free.forEach((j, b) => {
        const row = hessian[b];
        if (row !== undefined) row[a] = ((up[j] ?? 0) - (down[j] ?? 0)) / (2 * step);
      });
      return;
    }
    free.forEach((j, b) => {
      if (b < a) return;
      const value =
        i === j
          ? (f(shifted([[i, step]])) - 2 * f(u) + f(shifted([[i, -step]]))) / (step * step)
          : (f(shifted([[i, step], [j, step]])) - f(shifted([[i, step], [j, -step]])) - f(shifted([[i, -step], [j, step]])) + f(shifted([[i, -step], [j, -step]]))) / (4 * step * step);
      const rowA = hessian[a];
      const rowB = hessian[b];
      if (rowA !== undefined) rowA[b] = value;
      if (rowB !== undefined) rowB[a] = value;
    });
  });
  // Symmetrise: gradient differences are symmetric only to their own error.
  const symmetric = hessian.map((row, a) => row.map((value, b) => 0.5 * (value + (hessian[b]?.[a] ?? value))));
  if (!symmetric.every((row) => row.every(Number.isFinite)) || choleskyFactor(symmetric) === null) {
    return { ...none, notes: [...notes, "the observed information is not positive definite at the maximum (a flat or ill-determined direction): no standard errors"] };
  }
  const inverse = numeric.inv(symmetric);
  // Cov(theta) = J_free H^-1 J_free^T.
  const covariance = theta.map((_, i) =>
    theta.map((__, k) => {
      let sum = 0;
      free.forEach((j, a) => {
        free.forEach((l, b) => (sum += (jacobian[i]?.[j] ?? 0) * (inverse[a]?.[b] ?? 0) * (jacobian[k]?.[l] ?? 0)));
      });
      return sum;
    }),
  );
  const standardErrors = theta.map((_, i) => {
    const variance = covariance[i]?.[i] ?? Number.NaN;
    return dependsOnBound[i] || !(variance >= 0) ? null : Math.sqrt(variance);
  });
  return { standardErrors, covariance, notes };
}

/** -log L's gradient in the free numbers from the model's closed form, when it has one. */
export function freeGradient(likelihood: Likelihood): ((u: readonly number[]) => number[]) | undefined {
  const natural = likelihood.gradient?.bind(likelihood);
  const derivatives = likelihood.freeDerivatives?.bind(likelihood);
  if (natural === undefined || derivatives === undefined) return undefined;
  return (u) => {
    const d = derivatives(u);
    return natural(likelihood.fromFree(u)).map((value, i) => value * (d[i] ?? 0));
  };
}
