import { MstressError } from "@mstress/core";
import {
  accountOutcomeFields,
  accountOutcomeLines,
  accountOutcomesHeader,
  policyOutcomeFields,
  policyOutcomeLines,
  policyOutcomesHeader,
  routeOutcomeFields,
  routeOutcomeLines,
  routeOutcomesHeader,
} from "@mstress/sim";
import { asciiText } from "./outcome-table.js";
import { readTableRows, tableNumber } from "./table-rows.js";

// account-outcomes.csv, route-outcomes.csv and policy-outcomes.csv: tidy tables of what happened to each account
// that holds positions, to each route, and what each policy did, one row per (path, mode, entity) in path, mode,
// entity order. Numbers in JavaScript's
// shortest round-trip form and an empty cell for NaN, as in outcomes.csv, so `mstress merge` reads back the
// very doubles a run wrote and writes the same bytes (the lines are formatted by the sim's table-lines.ts, which
// the workers use for a run's own chunks).

type EntityKind = "account" | "route" | "policy";

const fieldsOf = { account: accountOutcomeFields, route: routeOutcomeFields, policy: policyOutcomeFields } as const;

function header(kind: EntityKind): string {
  return { account: accountOutcomesHeader, route: routeOutcomesHeader, policy: policyOutcomesHeader }[kind];
}

/** account-outcomes.csv from the kernel's rows (paths x modes x accounts x fields, paths from `firstPath`). */
export function accountOutcomesCsv(rows: Float64Array, firstPath: number, modes: readonly string[], accounts: readonly string[]): string {
  return `${accountOutcomesHeader}\n${asciiText(accountOutcomeLines(rows, firstPath, modes, accounts))}`;
}

/** route-outcomes.csv from the kernel's rows (paths x modes x routes x fields, paths from `firstPath`). */
export function routeOutcomesCsv(rows: Float64Array, firstPath: number, modes: readonly string[], routes: readonly string[]): string {
  return `${routeOutcomesHeader}\n${asciiText(routeOutcomeLines(rows, firstPath, modes, routes))}`;
}

/** policy-outcomes.csv from the kernel's rows (paths x modes x policies x fields, paths from `firstPath`). */
export function policyOutcomesCsv(rows: Float64Array, firstPath: number, modes: readonly string[], policies: readonly string[]): string {
  return `${policyOutcomesHeader}\n${asciiText(policyOutcomeLines(rows, firstPath, modes, policies))}`;
}

/** Where a shard's entity rows go: the kernel's layout (paths x modes x entities x fields) of the whole run. */
export interface EntityRowsTarget {
  readonly rows: Float64Array;
  /** The first path of the target array (0 for a whole run). */
  readonly firstPathOfRows: number;
}

function readEntityRows(kind: EntityKind, lines: Iterable<string>, origin: string, layout: { readonly firstPath: number; readonly paths: number; readonly modes: readonly string[]; readonly names: readonly string[] }, target?: EntityRowsTarget): Float64Array {
  const fields = fieldsOf[kind] as readonly string[];
  const { firstPath, paths, modes, names } = layout;
  const perPath = modes.length * names.length;
  const rows = target?.rows ?? new Float64Array(paths * perPath * fields.length);
  const offset = target === undefined ? 0 : (firstPath - target.firstPathOfRows) * perPath * fields.length;
  readTableRows(lines, { origin, header: header(kind), rows: paths * perPath, shape: `${String(paths)} paths x ${String(modes.length)} modes x ${String(names.length)} ${kind}s` }, (cells, r, where) => {
    if (cells.length !== 3 + fields.length) throw new MstressError("E_BAD_INPUT", `${where}: expected ${String(3 + fields.length)} cells, got ${String(cells.length)}`);
    const path = firstPath + Math.floor(r / perPath);
    const mode = modes[Math.floor(r / names.length) % modes.length] ?? "";
    const name = names[r % names.length] ?? "";
    if (cells[0] !== String(path) || cells[1] !== mode || cells[2] !== name) throw new MstressError("E_BAD_INPUT", `${where}: expected path ${String(path)} mode ${mode} ${kind} ${name}`);
    for (let f = 0; f < fields.length; f++) rows[offset + r * fields.length + f] = tableNumber(cells[3 + f] ?? "", where, fields[f] ?? "");
  });
  return rows;
}

/**
 * Reads account-outcomes.csv lines (header `path,mode,account,liquidated,liquidatedAt,loss,minDistanceToLiquidation`)
 * that must hold exactly the paths [firstPath, firstPath + paths), in path, mode and account order, into the
 * kernel's row layout: into `target` at the paths' offset (how `mstress merge` puts a shard back in place), or a
 * new array. A cell is a number or empty (NaN); anything else names the file, row and column.
 */
export function readAccountRows(lines: Iterable<string>, origin: string, layout: { readonly firstPath: number; readonly paths: number; readonly modes: readonly string[]; readonly accounts: readonly string[] }, target?: EntityRowsTarget): Float64Array {
  return readEntityRows("account", lines, origin, { ...layout, names: layout.accounts }, target);
}

/** Reads route-outcomes.csv lines (header `path,mode,route,liquidated,liquidatedAt,hedgeBroken,hedgeBrokenAt`) as `readAccountRows` does. */
export function readRouteRows(lines: Iterable<string>, origin: string, layout: { readonly firstPath: number; readonly paths: number; readonly modes: readonly string[]; readonly routes: readonly string[] }, target?: EntityRowsTarget): Float64Array {
  return readEntityRows("route", lines, origin, { ...layout, names: layout.routes }, target);
}

/** Reads policy-outcomes.csv lines (header `path,mode,policy,actions,moved,reserveExhausted,costs,firstActionAt`) as `readAccountRows` does. */
export function readPolicyRows(lines: Iterable<string>, origin: string, layout: { readonly firstPath: number; readonly paths: number; readonly modes: readonly string[]; readonly policies: readonly string[] }, target?: EntityRowsTarget): Float64Array {
  return readEntityRows("policy", lines, origin, { ...layout, names: layout.policies }, target);
}
