import type { MarginMode, Scenario } from "@mstress/core";
import { formatAmount, formatCount } from "../format/format-figures.js";
import type { ModeSummary } from "../summary/summarise-mode.js";
import type { RunSummary } from "../summary/run-summary.js";

/** A footnote of the summary table: the marker its figures carry, the evaluations it concerns, and what it says. */
export interface SummaryNote {
  readonly marker: string;
  readonly labels: readonly string[];
  readonly text: string;
}

export interface SummaryNotes {
  /** A mean loss given liquidation above the margin the mode put up. */
  readonly lossAboveMargin?: SummaryNote;
  /** Liquidated paths on which the route still ended in profit. */
  readonly profitDespiteLiquidation?: SummaryNote;
}

export const noNotes: SummaryNotes = {};

const modeOfLabel = (label: string): MarginMode => label.replace(/-passive$/, "") as MarginMode;

/**
 * The margin the scenario puts up behind its perps in a mode: the isolated allocations of accounts running
 * isolated, the deposit of the other accounts that hold perps. What a liquidation can take, before funding and top-ups.
 */
export function marginPutUp(scenario: Scenario, mode: MarginMode): number {
  let margin = 0;
  for (const account of scenario.accounts) {
    const perps = scenario.legs.filter((leg) => leg.type === "perp" && leg.account === account.name);
    if (perps.length === 0) continue;
    if ((account.mode ?? mode) === "isolated") margin += perps.reduce((sum, leg) => sum + (leg.type === "perp" ? (leg.isolatedMargin ?? 0) : 0), 0);
    else margin += account.deposit;
  }
  return margin;
}

function list(labels: readonly string[]): string {
  return labels.length <= 1 ? (labels[0] ?? "") : `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1] ?? ""}`;
}

/**
 * The figures that read wrong at first sight, explained where they appear: a loss given liquidation above the
 * margin put up (funding received had been added to the margin, and is lost with it; top-ups too), and liquidated
 * paths that end in profit (the leg left open kept its gain: the route ran unhedged after the break).
 */
export function summaryNotes(summary: RunSummary, scenario: Scenario): SummaryNotes {
  const modes = Object.entries<ModeSummary>(summary.modes);
  const above = modes.filter(([label, s]) => s.lossGivenLiquidation !== null && s.lossGivenLiquidation.mean > marginPutUp(scenario, modeOfLabel(label)));
  const profitable = modes.filter(([, s]) => (s.pnlGivenLiquidation?.positive ?? 0) > 0);
  const hasPolicies = scenario.policies.length > 0;
  return {
    ...(above.length === 0
      ? {}
      : {
          lossAboveMargin: {
            marker: "†",
            labels: above.map(([label]) => label),
            text: `Loss given liquidation above the margin put up (${list(above.map(([label]) => `${label} ${formatAmount(marginPutUp(scenario, modeOfLabel(label)))}`))}): funding received is paid into the margin and is lost with it when the account is liquidated${hasPolicies ? ", as is margin a top-up added" : ""}, and a close beyond the bankruptcy price that the insurance fund does not cover costs more. The loss counts the realised loss on the closed positions, the liquidation fee and the margin seized.`,
          },
        }),
    ...(profitable.length === 0
      ? {}
      : {
          profitDespiteLiquidation: {
            marker: "‡",
            labels: profitable.map(([label]) => label),
            text: `Liquidated, yet in profit: ${list(profitable.map(([label, s]) => `${label} on ${formatCount(s.pnlGivenLiquidation?.positive ?? 0)} of its ${formatCount(s.liquidations)} liquidated paths`))}. The liquidation closed a leg and took its margin, but the leg it hedged stayed open and kept its gain (a short liquidated in a rally leaves the spot long, unhedged, to the horizon); the route's PnL counts both. "Loss given liquidation" is the first part alone.`,
          },
        }),
  };
}
