import { formatPercent } from "../format/format-figures.js";
import { wilsonInterval } from "../statistics/wilson-interval.js";

/** The two-sided 5 % critical value of the standard normal, as in the Wilson intervals. */
const critical = 1.959963984540054;

export type ModelVerdict = "understates" | "overstates" | "agrees";

/** The Monte Carlo's liquidation probability beside the historical frequency of one mode, and what the test says. */
export interface ModelCheck {
  /** The run it came from: a results directory, or the run made on the spot (paths and seed). */
  readonly source: string;
  readonly paths: number;
  readonly monteCarloProbability: number;
  readonly monteCarloCi: readonly [number, number];
  readonly historicalFrequency: number;
  readonly historicalCi: readonly [number, number];
  readonly effectiveWindows: number;
  /** (history − model) / its standard error: positive when history liquidates more often than the model says. */
  readonly z: number;
  readonly verdict: ModelVerdict;
  /** The sentence a sign-off quotes. */
  readonly line: string;
}

export const modelCheckMethod =
  "two-proportion z-test at 5 % (two-sided): the historical frequency f on the effective count n_eff of windows against the Monte Carlo probability p on its n paths, z = (f - p) / sqrt(q (1 - q) (1 / n_eff + 1 / n)) with q the pooled proportion (f n_eff + p n) / (n_eff + n)";

/**
 * Puts a mode's Monte Carlo liquidation probability (liquidations of `paths`) beside its historical frequency
 * (on the effective count of windows) and tests whether they differ: the pooled two-proportion z-test, the
 * history counted as f x n_eff events in n_eff trials, since overlapping windows are not independent. Under the
 * model, the history's non-overlapping windows are draws of the route's fate like the paths, so the test asks
 * whether one history is a plausible draw from the model. |z| > 1.96: the model understates (history liquidates
 * more often) or overstates the risk; else it agrees within sampling error. A normal approximation: with a handful
 * of effective windows or events it is rough, and the line gives the counts so a reader can judge.
 */
export function modelCheck(
  label: string,
  history: { readonly frequency: number; readonly ci: readonly [number, number]; readonly windows: number; readonly effectiveWindows: number },
  monteCarlo: { readonly liquidations: number; readonly paths: number; readonly source: string },
): ModelCheck {
  const p = monteCarlo.liquidations / monteCarlo.paths;
  const f = history.frequency;
  const nEff = history.effectiveWindows;
  const pooled = (f * nEff + monteCarlo.liquidations) / (nEff + monteCarlo.paths);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nEff + 1 / monteCarlo.paths));
  // se = 0 only when both are all liquidated or all not: they agree exactly.
  const z = se === 0 ? 0 : (f - p) / se;
  const verdict: ModelVerdict = z > critical ? "understates" : z < -critical ? "overstates" : "agrees";
  const ci = wilsonInterval(monteCarlo.liquidations, monteCarlo.paths);
  const said = verdict === "agrees" ? "the model agrees with history within sampling error" : `the model ${verdict} the liquidation risk history shows`;
  const range = ([low, high]: readonly [number, number]): string => `[${formatPercent(low)}, ${formatPercent(high)}]`;
  const line = `${label}: ${said}: Monte Carlo ${formatPercent(p)} ${range(ci)} over ${String(monteCarlo.paths)} paths against ${formatPercent(f)} ${range(history.ci)} in history (${String(history.windows)} windows, ${nEff.toFixed(1)} effective); z = ${z.toFixed(2)}, ${Math.abs(z) > critical ? "beyond" : "within"} ±1.96`;
  return {
    source: monteCarlo.source,
    paths: monteCarlo.paths,
    monteCarloProbability: p,
    monteCarloCi: ci,
    historicalFrequency: f,
    historicalCi: history.ci,
    effectiveWindows: nEff,
    z,
    verdict,
    line,
  };
}
