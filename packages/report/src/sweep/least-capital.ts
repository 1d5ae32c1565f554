import { pathsToDecide } from "../statistics/paths-to-decide.js";
import type { SweepRow } from "./sweep-table.js";

// The 95 % two-sided normal quantile: the sweep's Wilson intervals are at 95 %.
const z95 = 1.959963984540054;

/** The liquidation probability a mode must stay under, and where that level came from. */
export interface LiquidationLevel {
  readonly level: number;
  /** "limit" (the scenario's liquidationProbability limit for the mode) or "default" (the sweep's --under). */
  readonly source: "limit" | "default";
}

/**
 * Per mode and market: the grid point with the least capital employed whose liquidation probability is shown to be
 * under the level (its interval's upper end below it, as a limit is judged), or none when no point is. This is
 * the figure a desk compares across modes: the least deposit (or allocation) that keeps the route safe enough.
 */
export interface LeastCapital {
  readonly mode: string;
  readonly market: string;
  readonly level: number;
  readonly levelSource: LiquidationLevel["source"];
  /** The point, or null when none of the mode's points is under the level. */
  readonly point: number | null;
  readonly label: string | null;
  readonly capitalEmployed: number | null;
  readonly liquidationProbability: number | null;
  readonly liquidationProbabilityHigh: number | null;
  readonly aprOnCapital: number | null;
  readonly aprOnCapitalLow: number | null;
  readonly aprOnCapitalHigh: number | null;
  /**
   * When no point is under the level and the sweep's paths per point are too few for even a point without a
   * liquidation to be shown under it: the paths per point that would be needed; else null.
   */
  readonly pathsNeeded: number | null;
}

/** The least-capital point of every (mode, market) group of the sweep's rows, in the order the groups first appear. */
export function leastCapital(rows: readonly SweepRow[], levelOf: (mode: string) => LiquidationLevel, pathsPerPoint: number): LeastCapital[] {
  const groups = new Map<string, SweepRow[]>();
  for (const row of rows) {
    const key = JSON.stringify([row.mode, row.market]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return [...groups.values()].map((group) => {
    const first = group[0];
    if (first === undefined) throw new RangeError("leastCapital: an empty group");
    const { level, source } = levelOf(first.mode);
    const under = group.filter((row) => row.liquidationProbabilityHigh < level);
    // Ties on capital go to the safer point, then to the earlier one (the grid's order), so the answer is stable.
    const best = under.reduce<SweepRow | undefined>(
      (chosen, row) => (chosen === undefined || row.capitalEmployed < chosen.capitalEmployed || (row.capitalEmployed === chosen.capitalEmployed && row.liquidationProbabilityHigh < chosen.liquidationProbabilityHigh) ? row : chosen),
      undefined,
    );
    const needed = pathsToDecide(0, level, z95);
    return {
      mode: first.mode,
      market: first.market,
      level,
      levelSource: source,
      point: best?.point ?? null,
      label: best?.label ?? null,
      capitalEmployed: best?.capitalEmployed ?? null,
      liquidationProbability: best?.liquidationProbability ?? null,
      liquidationProbabilityHigh: best?.liquidationProbabilityHigh ?? null,
      aprOnCapital: best?.aprOnCapital ?? null,
      aprOnCapitalLow: best?.aprOnCapitalLow ?? null,
      aprOnCapitalHigh: best?.aprOnCapitalHigh ?? null,
      pathsNeeded: best === undefined && needed !== null && needed > pathsPerPoint ? needed : null,
    };
  });
}
