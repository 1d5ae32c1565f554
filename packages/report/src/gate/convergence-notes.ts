import { formatCount, formatLevel, formatPercent } from "../format/format-figures.js";
import type { RunSummary } from "../summary/run-summary.js";
import type { GateResult } from "./evaluate-limits.js";
import { precisionOutcome } from "./sampling-stop.js";

export interface SamplingPlan {
  /** Why the run stopped: "paths" (as asked), "precision" (reached), "max-paths" (cap before precision). */
  readonly stopReason: string;
  readonly precision: { readonly halfWidth: number; readonly maxPaths: number } | null;
}

/**
 * What the paths were enough for, in plain sentences: the widest liquidation-probability interval and whether a
 * requested precision was reached, the upper bound where a mode saw no liquidation (what "0 in n" can and cannot
 * rule out), and for each undecided probability limit the paths it needs (evaluate-limits.ts). Derived from the
 * summary, the gate and the sampling plan only, so shards merged give the same notes as one run.
 */
export function convergenceNotes(summary: RunSummary, gate: GateResult, sampling: SamplingPlan): string[] {
  const notes: string[] = [];
  const modes = Object.entries(summary.modes);
  let widest: { mode: string; halfWidth: number; level: number } | null = null;
  for (const [mode, s] of modes) {
    const halfWidth = (s.liquidationProbabilityCi[1] - s.liquidationProbabilityCi[0]) / 2;
    if (widest === null || halfWidth > widest.halfWidth) widest = { mode, halfWidth, level: s.confidence };
  }
  if (widest !== null) {
    notes.push(`${formatCount(summary.paths)} paths: the widest ${formatLevel(widest.level)} interval of a liquidation probability is ±${formatPercent(widest.halfWidth)} (${widest.mode}).`);
  }
  const reached = precisionOutcome(summary, sampling);
  if (reached !== null) notes.push(reached);
  for (const [mode, s] of modes) {
    if (s.liquidations === 0) {
      notes.push(`${mode}: no liquidation in ${formatCount(s.paths)} paths; the ${formatLevel(s.confidence)} upper bound is ${formatPercent(s.liquidationProbabilityCi[1])}, so smaller probabilities cannot be told apart.`);
    }
  }
  for (const e of gate.evaluations) if (e.outcome === "undecided" && e.pathsToDecide !== null) notes.push(`${e.scope} ${e.limit.metric}: ${e.reason}.`);
  return notes;
}
