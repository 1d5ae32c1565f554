import { op, table } from "arquero";

/** One rolled-up (mode, name) group: its row count, event counts and the requested statistics (null when empty). */
export interface ScopedGroup {
  readonly mode: string;
  readonly name: string;
  readonly rows: number;
  readonly figures: Readonly<Record<string, number | null>>;
}

export type ScopedStatistic =
  | { readonly kind: "sum"; readonly column: string }
  | { readonly kind: "mean"; readonly column: string }
  | { readonly kind: "quantile"; readonly column: string; readonly p: number };

/**
 * Groups scoped outcome columns by (mode, name) with arquero and rolls each group up: `sum` (event counts), `mean`
 * and `quantile` over the group's valid values. arquero skips null and NaN in aggregates, so a column holding NaN
 * where a figure does not apply (a loss on a path that was not liquidated) gives the statistic over the paths where
 * it does, and null for a group with none. arquero's quantile interpolates as Hyndman & Fan type 7, like
 * quantile.ts. Groups come back ordered by mode as in `modes`, then by name in order of first appearance, so the
 * result depends only on the rows in path order.
 */
export function scopedRollup(
  keys: { readonly mode: readonly string[]; readonly name: readonly string[] },
  columns: Readonly<Record<string, Float64Array>>,
  statistics: Readonly<Record<string, ScopedStatistic>>,
  modes: readonly string[],
): ScopedGroup[] {
  const aggregates = Object.fromEntries(
    Object.entries(statistics).map(([label, s]) => {
      switch (s.kind) {
        case "sum":
          return [label, op.sum(s.column)];
        case "mean":
          return [label, op.mean(s.column)];
        case "quantile":
          return [label, op.quantile(s.column, s.p)];
      }
    }),
  );
  const rolled = table({ mode: keys.mode, name: keys.name, ...columns })
    .groupby("mode", "name")
    .rollup({ rows: op.count(), ...aggregates })
    .objects() as Record<string, unknown>[];
  const names: string[] = [];
  for (const name of keys.name) if (!names.includes(name)) names.push(name);
  const rank = (group: Record<string, unknown>): number => modes.indexOf(String(group["mode"])) * names.length + names.indexOf(String(group["name"]));
  return rolled
    .sort((a, b) => rank(a) - rank(b))
    .map((group) => {
      const figures: Record<string, number | null> = {};
      for (const label of Object.keys(statistics)) {
        const value = group[label];
        figures[label] = typeof value === "number" && Number.isFinite(value) ? value : null;
      }
      return { mode: String(group["mode"]), name: String(group["name"]), rows: Number(group["rows"]), figures };
    });
}
