import { op, table } from "arquero";
import type { ReservoirPaths } from "./reservoir-paths.js";

const maxTimes = 360;

/** The step times to chart: every one when there are at most 360, else every k-th and the last, k as small as fits. */
function chartedTimes(t: Float64Array): Set<number> {
  const distinct = [...new Set(t)].sort((a, b) => a - b);
  const stride = Math.ceil(distinct.length / maxTimes);
  return new Set(distinct.filter((_, i) => (i + 1) % stride === 0 || i === distinct.length - 1));
}

/**
 * Percentiles of a reservoir column across paths at each (mode, time), rolled up with arquero: one record per
 * group {mode, t, paths, <label>: quantile...}, paths being how many values were defined (arquero skips NaN). Time
 * is thinned to at most 360 points so the page stays light. Records come ordered by the modes given, then time.
 */
export function reservoirBands(
  reservoir: ReservoirPaths,
  column: Float64Array,
  quantiles: Readonly<Record<string, number>>,
  modes: readonly string[],
): { mode: string; t: number; paths: number; values: Record<string, number | null> }[] {
  const keep = chartedTimes(reservoir.t);
  const kept: number[] = [];
  for (let i = 0; i < reservoir.t.length; i++) if (keep.has(reservoir.t[i] ?? Number.NaN)) kept.push(i);
  const rolled = table({
    mode: kept.map((i) => reservoir.mode[i] ?? ""),
    t: Float64Array.from(kept, (i) => reservoir.t[i] ?? Number.NaN),
    value: Float64Array.from(kept, (i) => column[i] ?? Number.NaN),
  })
    .groupby("mode", "t")
    .rollup({ paths: op.valid("value"), ...Object.fromEntries(Object.entries(quantiles).map(([label, p]) => [label, op.quantile("value", p)])) })
    .objects() as Record<string, unknown>[];
  return rolled
    .map((group) => ({
      mode: String(group["mode"]),
      t: Number(group["t"]),
      paths: Number(group["paths"]),
      values: Object.fromEntries(Object.keys(quantiles).map((label) => {
        const value = group[label];
        return [label, typeof value === "number" && Number.isFinite(value) ? value : null];
      })),
    }))
    .filter((group) => modes.includes(group.mode))
    .sort((a, b) => modes.indexOf(a.mode) - modes.indexOf(b.mode) || a.t - b.t);
}
