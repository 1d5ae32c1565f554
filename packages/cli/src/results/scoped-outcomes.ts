import type { AccountOutcomes, PolicyOutcomes, RouteOutcomes } from "@mstress/report";
import { accountOutcomeFields, policyOutcomeFields, routeOutcomeFields } from "@mstress/sim";

// The kernel's per-account and per-route rows (a run's in memory, or a merge's read back from the shards'
// account-outcomes.csv and route-outcomes.csv by entity-outcomes.ts) as the columns `runSummary` takes.

/** Which rows to take: every mode's, or only those of the mode at index `mode` of `modes`. */
interface ScopedLayout {
  readonly firstPath: number;
  readonly modes: readonly string[];
  readonly mode?: number;
}

/**
 * Columns from the kernel's rows, laid out paths x modes x entities x fields (the fields in the order of the CSV
 * header after the names), for paths firstPath.. in order: every mode's rows, or one mode's (`layout.mode`).
 */
function scopedColumns(rows: Float64Array, layout: ScopedLayout & { readonly names: readonly string[]; readonly width: number }) {
  const { firstPath, modes, names, width } = layout;
  const perPath = modes.length * names.length;
  const paths = perPath === 0 ? 0 : rows.length / (perPath * width);
  const taken = layout.mode === undefined ? modes : modes.slice(layout.mode, layout.mode + 1);
  const fromMode = layout.mode ?? 0;
  const count = paths * taken.length * names.length;
  const path = new Float64Array(count);
  const mode: string[] = new Array<string>(count);
  const name: string[] = new Array<string>(count);
  const fields = Array.from({ length: width }, () => new Float64Array(count));
  for (let r = 0; r < count; r++) {
    const i = Math.floor(r / (taken.length * names.length));
    const m = Math.floor(r / names.length) % taken.length;
    const e = r % names.length;
    const source = (i * perPath + (fromMode + m) * names.length + e) * width;
    path[r] = firstPath + i;
    mode[r] = taken[m] ?? "";
    name[r] = names[e] ?? "";
    for (let f = 0; f < width; f++) {
      const column = fields[f];
      if (column !== undefined) column[r] = rows[source + f] ?? Number.NaN;
    }
  }
  return { path, mode, name, fields };
}

export function accountOutcomesOfRows(rows: Float64Array, layout: ScopedLayout & { readonly accounts: readonly string[] }): AccountOutcomes {
  const { path, mode, name, fields } = scopedColumns(rows, { ...layout, names: layout.accounts, width: accountOutcomeFields.length });
  const [liquidated, liquidatedAt, loss, minDistanceToLiquidation] = fields;
  if (liquidated === undefined || liquidatedAt === undefined || loss === undefined || minDistanceToLiquidation === undefined) throw new Error("accountOutcomesOfRows: four fields expected");
  return { path, mode, account: name, liquidated, liquidatedAt, loss, minDistanceToLiquidation };
}

export function routeOutcomesOfRows(rows: Float64Array, layout: ScopedLayout & { readonly routes: readonly string[] }): RouteOutcomes {
  const { path, mode, name, fields } = scopedColumns(rows, { ...layout, names: layout.routes, width: routeOutcomeFields.length });
  const [liquidated, liquidatedAt, hedgeBroken, hedgeBrokenAt] = fields;
  if (liquidated === undefined || liquidatedAt === undefined || hedgeBroken === undefined || hedgeBrokenAt === undefined) throw new Error("routeOutcomesOfRows: four fields expected");
  return { path, mode, route: name, liquidated, liquidatedAt, hedgeBroken, hedgeBrokenAt };
}

export function policyOutcomesOfRows(rows: Float64Array, layout: ScopedLayout & { readonly policies: readonly string[] }): PolicyOutcomes {
  const { path, mode, name, fields } = scopedColumns(rows, { ...layout, names: layout.policies, width: policyOutcomeFields.length });
  const [actions, moved, reserveExhausted, costs, firstActionAt] = fields;
  if (actions === undefined || moved === undefined || reserveExhausted === undefined || costs === undefined || firstActionAt === undefined) throw new Error("policyOutcomesOfRows: five fields expected");
  return { path, mode, policy: name, actions, moved, reserveExhausted, costs, firstActionAt };
}
