import { formatCount, formatPercent } from "../format/format-figures.js";
import type { RunSummary } from "../summary/run-summary.js";
import type { SamplingPlan } from "./convergence-notes.js";

/** Why sampling stopped, spelt out for a header line: the manifest's `stopReason` in words. */
export function stopReasonText(paths: number, sampling: SamplingPlan): string {
  const target = sampling.precision === null ? "" : `±${formatPercent(sampling.precision.halfWidth)}`;
  switch (sampling.stopReason) {
    case "precision":
      return `stopped when every mode's 95 % liquidation-probability interval was within ${target}`;
    case "max-paths":
      return `stopped at the --max-paths cap of ${formatCount(sampling.precision?.maxPaths ?? paths)} before reaching ${target}`;
    default:
      return `the ${formatCount(paths)} paths asked for`;
  }
}

/**
 * The closing line of a run sampled to a precision: whether every mode's 95 % interval met the tolerance, or the
 * path cap was hit first and by how much the widest interval misses it. Null for a run of a fixed path count.
 */
export function precisionOutcome(summary: RunSummary, sampling: SamplingPlan): string | null {
  const { precision } = sampling;
  if (precision === null) return null;
  const target = `±${formatPercent(precision.halfWidth)}`;
  if (sampling.stopReason === "precision") return `Sampled to a precision of ${target}: reached after ${formatCount(summary.paths)} paths.`;
  const widest = Object.entries(summary.modes)
    .map(([mode, s]) => ({ mode, halfWidth: (s.liquidationProbabilityCi[1] - s.liquidationProbabilityCi[0]) / 2 }))
    .reduce<{ mode: string; halfWidth: number } | null>((a, b) => (a === null || b.halfWidth > a.halfWidth ? b : a), null);
  const miss = widest === null ? "" : ` (the widest interval is ${widest.mode}'s, ±${formatPercent(widest.halfWidth)})`;
  return `Sampled towards a precision of ${target} but stopped at the cap of ${formatCount(precision.maxPaths)} paths before reaching it${miss}: raise --max-paths or loosen --precision.`;
}
