import { MstressError } from "@mstress/core";
import { outcomeFields as kernelFields, outcomeLines, outcomesHeader, outcomeWidth, pnlPathLines, pnlPathsHeader } from "@mstress/sim";
import { outcomeFields as summaryFields, type ModeOutcomes } from "@mstress/report";

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

/** Reads outcomes.csv back into rows (paths x modes x fields) for paths [firstPath, firstPath + paths). */
export function parseOutcomesCsv(text: string, origin: string, firstPath: number, paths: number, modes: readonly string[]): Float64Array {
  const lines = text.split("\n").filter((line) => line !== "");
  if (lines[0] !== outcomesHeader) throw new MstressError("E_BAD_INPUT", `${origin}: expected the header ${outcomesHeader}`);
  const rows = new Float64Array(paths * modes.length * outcomeWidth);
  if (lines.length - 1 !== paths * modes.length) throw new MstressError("E_BAD_INPUT", `${origin}: expected ${paths * modes.length} rows (${paths} paths x ${modes.length} modes), got ${lines.length - 1}`);
  lines.slice(1).forEach((line, r) => {
    const cells = line.split(",");
    const path = Number(cells[0]);
    const m = modes.indexOf(cells[1] ?? "");
    if (path !== firstPath + Math.floor(r / modes.length) || m !== r % modes.length) throw new MstressError("E_BAD_INPUT", `${origin}: row ${r + 2}: expected path ${firstPath + Math.floor(r / modes.length)} mode ${modes[r % modes.length] ?? ""}`);
    for (let f = 0; f < outcomeWidth; f++) {
      const cell = cells[f + 2] ?? "";
      rows[r * outcomeWidth + f] = cell === "" ? Number.NaN : Number(cell);
    }
  });
  return rows;
}

/** One mode's columns, in path order, as the summary takes them (with the kernel's max drawdown and ADL columns). */
export function modeOutcomes(rows: Float64Array, modes: number, m: number): ModeOutcomes {
  const paths = rows.length / (modes * outcomeWidth);
  const column = (field: (typeof kernelFields)[number]): Float64Array => {
    const f = kernelFields.indexOf(field);
    const values = new Float64Array(paths);
    for (let i = 0; i < paths; i++) values[i] = rows[(i * modes + m) * outcomeWidth + f] ?? Number.NaN;
    return values;
  };
  const columns = Object.fromEntries(summaryFields.map((field) => [field, column(field)])) as Record<(typeof summaryFields)[number], Float64Array>;
  return { paths, columns: { ...columns, maxDrawdown: column("maxDrawdown"), adl: column("adl"), hedgeBrokenByAdl: column("hedgeBrokenByAdl") } };
}

/**
 * pnl-paths.csv: the fan chart's sample, for the first paths of the run: the route's PnL and the mode's smallest
 * distance to liquidation (fraction of the mark; empty when no open position has a liquidation price, or on a step
 * where an account needing the one-factor solver was not evaluated) at every step end. Arrays: paths x modes x steps.
 */
export function pnlPathsCsv(pnl: Float64Array, distance: Float64Array, firstPath: number, paths: number, modes: readonly string[], steps: number, stepSeconds: number): string {
  return `${pnlPathsHeader}\n${asciiText(pnlPathLines(pnl, distance, firstPath, paths, modes, steps, stepSeconds))}`;
}

/** Reads pnl-paths.csv back (paths [firstPath, firstPath + paths), every mode and step) into the writer's arrays. */
export function parsePnlPathsCsv(text: string, origin: string, firstPath: number, paths: number, modes: readonly string[], steps: number): { pnl: Float64Array; distance: Float64Array } {
  const lines = text.split("\n");
  if (lines[0] !== pnlPathsHeader) throw new MstressError("E_BAD_INPUT", `${origin}: expected the header ${pnlPathsHeader}`);
  const count = paths * modes.length * steps;
  if (lines.length - 2 !== count || lines[lines.length - 1] !== "") throw new MstressError("E_BAD_INPUT", `${origin}: expected ${count} rows (${paths} paths x ${modes.length} modes x ${steps} steps), got ${lines.length - 2}`);
  const pnl = new Float64Array(count);
  const distance = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    const cells = (lines[r + 1] ?? "").split(",");
    const path = firstPath + Math.floor(r / (modes.length * steps));
    if (cells.length !== 5 || Number(cells[0]) !== path || cells[1] !== modes[Math.floor(r / steps) % modes.length]) {
      throw new MstressError("E_BAD_INPUT", `${origin}: row ${r + 2}: expected path ${path} mode ${modes[Math.floor(r / steps) % modes.length] ?? ""} and 5 cells`);
    }
    pnl[r] = cells[3] === "" ? Number.NaN : Number(cells[3]);
    distance[r] = cells[4] === "" ? Number.NaN : Number(cells[4]);
  }
  return { pnl, distance };
}
