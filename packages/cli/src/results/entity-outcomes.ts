import { MstressError, isModeLabel } from "@mstress/core";
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
  type AccountOutcomeField,
  type PolicyOutcomeField,
  type RouteOutcomeField,
} from "@mstress/sim";
import { asciiText } from "./outcome-table.js";

// account-outcomes.csv, route-outcomes.csv and policy-outcomes.csv: tidy tables of what happened to each account
// that holds positions, to each route and what each policy did, one row per (path, mode, entity) in path, mode, entity order. Numbers in JavaScript's
// shortest round-trip form and an empty cell for NaN, as in outcomes.csv, so `mstress merge` reads back the
// very doubles a run wrote and writes the same bytes (the lines are formatted by the sim's table-lines.ts, which
// the workers use for a run's own chunks).

type EntityKind = "account" | "route" | "policy";

const fieldsOf = { account: accountOutcomeFields, route: routeOutcomeFields, policy: policyOutcomeFields } as const;

function header(kind: EntityKind): string {
  return { account: accountOutcomesHeader, route: routeOutcomesHeader, policy: policyOutcomesHeader }[kind];
}

/** A parsed entity table: one typed column per field (NaN for an empty cell), plus the row keys. */
export interface EntityOutcomeTable<F extends string> {
  /** Entity names (accounts or routes) in the order the file lists them for each path and mode. */
  readonly names: readonly string[];
  /** Modes in the order the file lists them for each path. */
  readonly modes: readonly string[];
  readonly rows: number;
  /** Per row: the path index, the mode (index into `modes`), the entity (index into `names`). */
  readonly path: Float64Array;
  readonly mode: Uint8Array;
  readonly entity: Uint32Array;
  readonly columns: Readonly<Record<F, Float64Array>>;
}

export type AccountOutcomeTable = EntityOutcomeTable<AccountOutcomeField>;
export type RouteOutcomeTable = EntityOutcomeTable<RouteOutcomeField>;
export type PolicyOutcomeTable = EntityOutcomeTable<PolicyOutcomeField>;

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

function parseEntityOutcomesCsv<F extends string>(kind: EntityKind, text: string, origin: string): EntityOutcomeTable<F> {
  const fields = fieldsOf[kind] as readonly string[];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines[0] !== header(kind)) throw new MstressError("E_BAD_INPUT", `${origin}: expected the header ${header(kind)}`);
  const rows = lines.length - 1;
  const path = new Float64Array(rows);
  const mode = new Uint8Array(rows);
  const entity = new Uint32Array(rows);
  const columns = fields.map(() => new Float64Array(rows));
  const modes: string[] = [];
  const names: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = (lines[r + 1] ?? "").split(",");
    const where = `${origin}: row ${r + 2}`;
    if (cells.length !== 3 + fields.length) throw new MstressError("E_BAD_INPUT", `${where}: expected ${3 + fields.length} cells, got ${cells.length}`);
    const pathCell = cells[0] ?? "";
    if (!/^\d+$/.test(pathCell)) throw new MstressError("E_BAD_INPUT", `${where}: path: expected a non-negative integer, got ${JSON.stringify(pathCell)}`);
    path[r] = Number(pathCell);
    const modeCell = cells[1] ?? "";
    if (!isModeLabel(modeCell)) throw new MstressError("E_BAD_INPUT", `${where}: mode: expected isolated, cross or portfolio (or one of them with -passive), got ${JSON.stringify(modeCell)}`);
    let m = modes.indexOf(modeCell);
    if (m === -1) m = modes.push(modeCell) - 1;
    mode[r] = m;
    const name = cells[2] ?? "";
    let e = names.indexOf(name);
    if (e === -1) e = names.push(name) - 1;
    entity[r] = e;
    for (let f = 0; f < fields.length; f++) {
      const cell = cells[3 + f] ?? "";
      const value = cell === "" ? Number.NaN : Number(cell);
      if (cell !== "" && !Number.isFinite(value)) throw new MstressError("E_BAD_INPUT", `${where}: ${fields[f] ?? ""}: expected a number or an empty cell, got ${JSON.stringify(cell)}`);
      const column = columns[f];
      if (column !== undefined) column[r] = value;
    }
  }
  return {
    names,
    modes,
    rows,
    path,
    mode,
    entity,
    columns: Object.fromEntries(fields.map((field, f) => [field, columns[f]])) as Record<F, Float64Array>,
  };
}

/** Reads account-outcomes.csv (header `path,mode,account,liquidated,liquidatedAt,loss,minDistanceToLiquidation`). */
export function parseAccountOutcomesCsv(text: string, origin: string): AccountOutcomeTable {
  return parseEntityOutcomesCsv<AccountOutcomeField>("account", text, origin);
}

/** Reads route-outcomes.csv (header `path,mode,route,liquidated,liquidatedAt,hedgeBroken,hedgeBrokenAt`). */
export function parseRouteOutcomesCsv(text: string, origin: string): RouteOutcomeTable {
  return parseEntityOutcomesCsv<RouteOutcomeField>("route", text, origin);
}

/** Reads policy-outcomes.csv (header `path,mode,policy,actions,moved,reserveExhausted,costs,firstActionAt`). */
export function parsePolicyOutcomesCsv(text: string, origin: string): PolicyOutcomeTable {
  return parseEntityOutcomesCsv<PolicyOutcomeField>("policy", text, origin);
}

/**
 * The kernel's row layout (paths x modes x entities x fields) of a parsed table that must hold exactly the paths
 * [firstPath, firstPath + paths), in path, mode (`modes`) and entity (`names`) order: how `mstress merge` puts a
 * shard back at its path offset.
 */
export function entityRows<F extends string>(table: EntityOutcomeTable<F>, origin: string, firstPath: number, paths: number, modes: readonly string[], names: readonly string[], fields: readonly F[]): Float64Array {
  const perPath = modes.length * names.length;
  if (table.rows !== paths * perPath) throw new MstressError("E_BAD_INPUT", `${origin}: expected ${paths * perPath} rows (${paths} paths x ${modes.length} modes x ${names.length} entities), got ${table.rows}`);
  const out = new Float64Array(table.rows * fields.length);
  for (let r = 0; r < table.rows; r++) {
    const path = firstPath + Math.floor(r / perPath);
    const mode = modes[Math.floor(r / names.length) % modes.length];
    const name = names[r % names.length];
    if (table.path[r] !== path || table.modes[table.mode[r] ?? 0] !== mode || table.names[table.entity[r] ?? 0] !== name) {
      throw new MstressError("E_BAD_INPUT", `${origin}: row ${r + 2}: expected path ${path} mode ${mode ?? ""} ${name ?? ""}`);
    }
    fields.forEach((field, f) => {
      out[r * fields.length + f] = table.columns[field][r] ?? Number.NaN;
    });
  }
  return out;
}
