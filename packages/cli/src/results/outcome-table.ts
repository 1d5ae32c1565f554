import { MstressError } from "@mstress/core";
import { outcomeColumn, outcomeFields as kernelFields, outcomeLines, outcomesHeader, outcomeWidth, pnlPathLines, pnlPathsHeader } from "@mstress/sim";
import { outcomeFields as summaryFields, type ModeOutcomes } from "@mstress/report";
import { readTableRows, tableNumber } from "./table-rows.js";

// outcomes.csv, the tidy per-path table: one row per (path, mode), one column per outcome field, an empty cell
// where a field does not apply. Numbers are written in JavaScript's shortest round-trip form, so reading the file
// back gives the very same doubles: `mstress merge` rebuilds a single run's summary from shards to the bit.
// The lines are formatted by the sim's table-lines.ts, which the workers use for a run's own chunks.

export function outcomesCsv(rows: Float64Array, firstPath: number, modes: readonly string[]): string {
  return `${outcomesHeader}\n${asciiText(outcomeLines(rows, firstPath, modes))}`;
}

/** The tables' lines come as ASCII bytes (sim/src/tables/ascii-lines.ts). */
export function asciiText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/**
 * Reads outcomes.csv lines back into rows (paths x modes x fields) for paths [firstPath, firstPath + paths): into
 * `target` (whose first path is `targetFirstPath`) at the paths' offset, or a new array. Each row must be the
 * expected path and mode, each cell a number or empty (NaN); anything else names the file, row and column.
 */
export function readOutcomeRows(lines: Iterable<string>, origin: string, layout: { readonly firstPath: number; readonly paths: number; readonly modes: readonly string[] }, target?: { readonly rows: Float64Array; readonly firstPathOfRows: number }): Float64Array {
  const { firstPath, paths, modes } = layout;
  const rows = target?.rows ?? new Float64Array(paths * modes.length * outcomeWidth);
  const offset = target === undefined ? 0 : (firstPath - target.firstPathOfRows) * modes.length * outcomeWidth;
  readTableRows(lines, { origin, header: outcomesHeader, rows: paths * modes.length, shape: `${String(paths)} paths x ${String(modes.length)} modes` }, (cells, r, where) => {
    const path = firstPath + Math.floor(r / modes.length);
    const mode = modes[r % modes.length] ?? "";
    if (cells.length !== outcomeWidth + 2) throw new MstressError("E_BAD_INPUT", `${where}: expected ${String(outcomeWidth + 2)} cells, got ${String(cells.length)}`);
    if (cells[0] !== String(path) || cells[1] !== mode) throw new MstressError("E_BAD_INPUT", `${where}: expected path ${String(path)} mode ${mode}`);
    for (let f = 0; f < outcomeWidth; f++) rows[offset + r * outcomeWidth + f] = tableNumber(cells[f + 2] ?? "", where, kernelFields[f] ?? "");
  });
  return rows;
}

type KernelField = (typeof kernelFields)[number];

/** One mode's columns as the summary takes them (with the kernel's max drawdown and ADL columns), each from `column`. */
function outcomesOfColumns(paths: number, column: (field: KernelField) => Float64Array): ModeOutcomes {
  const fields = Object.fromEntries(summaryFields.map((field) => [field, column(field)])) as Record<(typeof summaryFields)[number], Float64Array>;
  return { paths, columns: { ...fields, maxDrawdown: column("maxDrawdown"), adl: column("adl"), hedgeBrokenByAdl: column("hedgeBrokenByAdl") } };
}

/** One mode's columns, in path order, copied out of the outcome rows (paths x modes x fields). */
export function modeOutcomes(rows: Float64Array, modes: number, m: number): ModeOutcomes {
  const paths = rows.length / (modes * outcomeWidth);
  return outcomesOfColumns(paths, (field) => {
    const f = kernelFields.indexOf(field);
    const values = new Float64Array(paths);
    for (let i = 0; i < paths; i++) values[i] = rows[(i * modes + m) * outcomeWidth + f] ?? Number.NaN;
    return values;
  });
}

/**
 * Where mode m's field f lies in outcome rows transposed in place (`transposeInPlace(rows, paths, modes ×
 * outcomeWidth)`): the (m · outcomeWidth + f)-th column of `paths` values.
 */
function transposedColumn(columns: Float64Array, modes: number, m: number, f: number): Float64Array {
  const paths = columns.length / (modes * outcomeWidth);
  const start = (m * outcomeWidth + f) * paths;
  return columns.subarray(start, start + paths);
}

/** One mode's columns as `modeOutcomes` gives them, as views into the transposed rows: the same doubles, not copied. */
export function modeOutcomesOfColumns(columns: Float64Array, modes: number, m: number): ModeOutcomes {
  return outcomesOfColumns(columns.length / (modes * outcomeWidth), (field) => transposedColumn(columns, modes, m, kernelFields.indexOf(field)));
}

/**
 * Each mode's PnL column in path order, copied out of the transposed rows: all a report needs of the rows, so they
 * can go. x + 0 makes −0 the +0 outcomes.csv gives back, so a report from the run equals one rebuilt from its files.
 */
export function pnlByModeOfColumns(columns: Float64Array, modes: readonly string[]): Map<string, Float64Array> {
  return new Map(modes.map((mode, m) => [mode, transposedColumn(columns, modes.length, m, outcomeColumn.pnl).map((pnl) => pnl + 0)]));
}

/**
 * pnl-paths.csv: the fan chart's sample, for the first paths of the run: the route's PnL and the mode's smallest
 * distance to liquidation (fraction of the mark; empty when no open position has a liquidation price, or on a step
 * where an account needing the one-factor solver was not evaluated) at every step end. Arrays: paths x modes x steps.
 */
export function pnlPathsCsv(pnl: Float64Array, distance: Float64Array, firstPath: number, paths: number, modes: readonly string[], steps: number, stepSeconds: number): string {
  return `${pnlPathsHeader}\n${asciiText(pnlPathLines(pnl, distance, firstPath, paths, modes, steps, stepSeconds))}`;
}

/**
 * Reads pnl-paths.csv lines (paths [firstPath, firstPath + paths), every mode and step) into `target`'s pnl and
 * distance arrays (paths x modes x steps, from path `firstPathOfRows`) at the paths' offset.
 */
export function readPnlPaths(lines: Iterable<string>, origin: string, layout: { readonly firstPath: number; readonly paths: number; readonly modes: readonly string[]; readonly steps: number }, target: { readonly pnl: Float64Array; readonly distance: Float64Array; readonly firstPathOfRows: number }): void {
  const { firstPath, paths, modes, steps } = layout;
  const offset = (firstPath - target.firstPathOfRows) * modes.length * steps;
  readTableRows(lines, { origin, header: pnlPathsHeader, rows: paths * modes.length * steps, shape: `${String(paths)} paths x ${String(modes.length)} modes x ${String(steps)} steps` }, (cells, r, where) => {
    const path = firstPath + Math.floor(r / (modes.length * steps));
    const mode = modes[Math.floor(r / steps) % modes.length] ?? "";
    if (cells.length !== 5 || cells[0] !== String(path) || cells[1] !== mode) throw new MstressError("E_BAD_INPUT", `${where}: expected path ${String(path)} mode ${mode} and 5 cells`);
    target.pnl[offset + r] = tableNumber(cells[3] ?? "", where, "pnl");
    target.distance[offset + r] = tableNumber(cells[4] ?? "", where, "distanceToLiquidation");
  });
}
