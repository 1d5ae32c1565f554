import type { ChartRecord } from "../charts/report-chart.js";
import type { CalibrationResult, EstimatedValue, FittedModelResult } from "./calibration-result.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A model's parameters as the scenario nests them, each standard error beside its value:
 * `{ drift, driftStandardError, jumps: { up: { intensity, intensityStandardError, ... } } }`.
 */
export function nestedParameters(parameters: readonly ({ readonly field: string } & EstimatedValue)[]): { [key: string]: Json } {
  const root: { [key: string]: Json } = {};
  for (const { field, value, standardError } of parameters) {
    const path = field.split(".");
    const leaf = path.pop() ?? field;
    let node = root;
    for (const key of path) {
      const next = node[key];
      const child: { [key: string]: Json } = typeof next === "object" && next !== null && !Array.isArray(next) ? next : {};
      node[key] = child;
      node = child;
    }
    node[leaf] = value;
    node[`${leaf}StandardError`] = standardError;
  }
  return root;
}

function modelJson(result: CalibrationResult, fit: FittedModelResult): { [key: string]: Json } {
  return {
    ...nestedParameters(fit.parameters),
    logLikelihood: fit.logLikelihood,
    aic: fit.aic,
    bic: fit.bic,
    kolmogorovSmirnov: { ...fit.kolmogorovSmirnov },
    movesBeyond: result.thresholds.map((threshold, i) => ({ threshold, observed: result.observedMovesBeyond[i] ?? null, expected: fit.expectedMovesBeyond[i] ?? null })),
    squaredReturnAutocorrelation: fit.squaredReturnAutocorrelation === null ? null : [...fit.squaredReturnAutocorrelation],
    notes: [...fit.notes],
  };
}

/**
 * `mstress calibrate --json` and calibration.json: one object keyed by model name (`gbm`, `jump-diffusion`,
 * `garch-t`), each parameter under its scenario field with its standard error beside it, with the recommendation,
 * the data read, the funding fit and the YAML block alongside.
 */
export function calibrationJson(result: CalibrationResult): { [key: string]: Json } {
  const models = Object.fromEntries(result.models.map((fit) => [fit.model, modelJson(result, fit)]));
  return {
    asset: result.asset,
    ...models,
    recommendation: { ...result.recommendation },
    observed: { movesBeyond: result.thresholds.map((threshold, i) => ({ threshold, count: result.observedMovesBeyond[i] ?? null })), squaredReturnAutocorrelation: [...result.squaredReturnAutocorrelation] },
    data: JSON.parse(JSON.stringify(result.data)) as Json,
    funding: result.funding === null ? null : (JSON.parse(JSON.stringify(result.funding)) as Json),
    yaml: result.yaml,
  };
}

/** fits.csv: one row per model and parameter, the tidy form of the fitted values. */
export function fitRecords(result: CalibrationResult): ChartRecord[] {
  return result.models.flatMap((fit) =>
    fit.parameters.map((p) => ({ model: fit.model, field: p.field, value: p.value, standardError: p.standardError, logLikelihood: fit.logLikelihood, aic: fit.aic, bic: fit.bic, recommended: fit.model === result.recommendation.model ? "yes" : "no" })),
  );
}
