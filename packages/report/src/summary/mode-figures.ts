import type { ModeSummary } from "./summarise-mode.js";

/** The figures a mode's row carries in the sweep's and the trend's tables: flat, so each is a column. */
export interface ModeFigures {
  readonly liquidationProbability: number;
  readonly liquidationProbabilityLow: number;
  readonly liquidationProbabilityHigh: number;
  readonly hedgeBrokenProbability: number;
  readonly hedgeBrokenProbabilityLow: number;
  readonly hedgeBrokenProbabilityHigh: number;
  readonly pnlMean: number;
  readonly valueAtRisk99: number;
  readonly capitalEmployed: number;
  readonly aprOnCapital: number | null;
  /** APR's interval (null where the run gives none). */
  readonly aprOnCapitalLow: number | null;
  readonly aprOnCapitalHigh: number | null;
}

export function modeFigures(summary: ModeSummary): ModeFigures {
  return {
    liquidationProbability: summary.liquidationProbability,
    liquidationProbabilityLow: summary.liquidationProbabilityCi[0],
    liquidationProbabilityHigh: summary.liquidationProbabilityCi[1],
    hedgeBrokenProbability: summary.hedgeBrokenProbability,
    hedgeBrokenProbabilityLow: summary.hedgeBrokenProbabilityCi[0],
    hedgeBrokenProbabilityHigh: summary.hedgeBrokenProbabilityCi[1],
    pnlMean: summary.pnl.mean,
    valueAtRisk99: summary.valueAtRisk.p99,
    capitalEmployed: summary.capitalEmployed.mean,
    aprOnCapital: summary.aprOnCapital,
    aprOnCapitalLow: summary.aprOnCapitalCi?.[0] ?? null,
    aprOnCapitalHigh: summary.aprOnCapitalCi?.[1] ?? null,
  };
}
