import { quantileSorted } from "../statistics/quantile.js";
import type { ReservoirPaths } from "./reservoir-paths.js";

const maxTimes = 360;

/** The step times to chart: every one when there are at most 360, else every k-th and the last, k as small as fits. */
function chartedTimes(times: Iterable<number>): Set<number> {
  const distinct = [...new Set(times)].sort((a, b) => a - b);
  const stride = Math.ceil(distinct.length / maxTimes);
  return new Set(distinct.filter((_, i) => (i + 1) % stride === 0 || i === distinct.length - 1));
}

/**
 * Percentiles of a reservoir column across paths at each (mode, time): one record per group {mode, t, paths,
 * <label>: quantile...}, paths being how many values were defined (NaN is skipped; a group with none gives null).
 * Quantiles are Hyndman & Fan type 7 (quantile.ts), as arquero's are in the summaries. The sample is a small dense
 * cube (100 paths x modes x steps) already in typed arrays, so it is gathered per group by hand: through an
 * arquero groupby it cost ~0.3 s of a 10,000-path run for the same figures. Time is thinned to at most 360 points
 * so the page stays light. Records come ordered by the modes given, then time.
 */
export function reservoirBands(
  reservoir: ReservoirPaths,
  column: Float64Array,
  quantiles: Readonly<Record<string, number>>,
  modes: readonly string[],
): { mode: string; t: number; paths: number; values: Record<string, number | null> }[] {
  // Grouped by mode, then time, over every time; thinned afterwards on the times the groups hold.
  const groups = new Map<string, Map<number, number[]>>();
  for (let i = 0; i < reservoir.t.length; i++) {
    const mode = reservoir.mode[i] ?? "";
    const t = reservoir.t[i] ?? Number.NaN;
    let byTime = groups.get(mode);
    if (byTime === undefined) groups.set(mode, (byTime = new Map<number, number[]>()));
    let values = byTime.get(t);
    if (values === undefined) byTime.set(t, (values = []));
    const value = column[i] ?? Number.NaN;
    if (!Number.isNaN(value)) values.push(value);
  }
  const keep = chartedTimes([...groups.values()].flatMap((byTime) => [...byTime.keys()]));
  const labels = Object.entries(quantiles);
  return modes.flatMap((mode) =>
    [...(groups.get(mode) ?? new Map<number, number[]>())]
      .filter(([t]) => keep.has(t))
      .sort(([a], [b]) => a - b)
      .map(([t, values]) => {
        const sorted = Float64Array.from(values).sort();
        const figures = labels.map(([label, p]): [string, number | null] => {
          const value = sorted.length === 0 ? Number.NaN : quantileSorted(sorted, p);
          return [label, Number.isFinite(value) ? value : null];
        });
        return { mode, t, paths: sorted.length, values: Object.fromEntries(figures) };
      }),
  );
}
