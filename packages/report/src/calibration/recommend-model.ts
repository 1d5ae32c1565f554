import type { Recommendation } from "./calibration-result.js";

/**
 * The model with the lowest BIC (Schwarz 1978), which trades fit against parameters with a penalty that grows with
 * the history, and the reason in one line: its margin over the runner-up on the scale of Kass & Raftery (1995),
 * where a BIC difference above 10 is very strong evidence, 6 to 10 strong, 2 to 6 positive, below 2 barely worth a
 * mention.
 */
export function recommendModel(models: readonly { readonly model: string; readonly bic: number }[]): Recommendation {
  const ranked = [...models].sort((a, b) => a.bic - b.bic);
  const best = ranked[0];
  if (best === undefined) throw new RangeError("recommendModel: no fitted model");
  const next = ranked[1];
  if (next === undefined) return { model: best.model, reason: `${best.model} is the only model fitted (BIC ${best.bic.toFixed(1)})` };
  const margin = next.bic - best.bic;
  const strength = margin > 10 ? "very strong" : margin > 6 ? "strong" : margin > 2 ? "positive" : "barely worth a mention";
  return { model: best.model, reason: `lowest BIC (${best.bic.toFixed(1)}), ${margin.toFixed(1)} below ${next.model}'s: ${strength} evidence on Kass and Raftery's scale` };
}
