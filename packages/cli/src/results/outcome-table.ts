import { MstressError, type MarginMode } from "@mstress/core";
import { outcomeFields as kernelFields, outcomeWidth } from "@mstress/sim";
import { outcomeFields as summaryFields, type ModeOutcomes } from "@mstress/report";

// outcomes.csv, the tidy per-path table: one row per (path, mode), one column per outcome field, an empty cell
// where a field does not apply. Numbers are written in JavaScript's shortest round-trip form, so reading the file
// back gives the very same doubles: `mstress merge` rebuilds a single run's summary from shards to the bit.

const header = ["path", "mode", ...kernelFields];

export function outcomesCsv(rows: Float64Array, firstPath: number, modes: readonly MarginMode[]): string {
  const lines = [header.join(",")];
  const paths = rows.length / (modes.length * outcomeWidth);
  for (let i = 0; i < paths; i++) {
    modes.forEach((mode, m) => {
      const at = (i * modes.length + m) * outcomeWidth;
      const cells = [String(firstPath + i), mode];
      for (let f = 0; f < outcomeWidth; f++) {
        const value = rows[at + f] ?? Number.NaN;
        cells.push(Number.isNaN(value) ? "" : String(value));
      }
      lines.push(cells.join(","));
    });
  }
  return `${lines.join("\n")}\n`;
}

/** Reads outcomes.csv back into rows (paths x modes x fields) for paths [firstPath, firstPath + paths). */
export function parseOutcomesCsv(text: string, origin: string, firstPath: number, paths: number, modes: readonly MarginMode[]): Float64Array {
  const lines = text.split("\n").filter((line) => line !== "");
  if (lines[0] !== header.join(",")) throw new MstressError("E_BAD_INPUT", `${origin}: expected the header ${header.join(",")}`);
  const rows = new Float64Array(paths * modes.length * outcomeWidth);
  if (lines.length - 1 !== paths * modes.length) throw new MstressError("E_BAD_INPUT", `${origin}: expected ${paths * modes.length} rows (${paths} paths x ${modes.length} modes), got ${lines.length - 1}`);
  lines.slice(1).forEach((line, r) => {
    const cells = line.split(",");
    const path = Number(cells[0]);
    const m = modes.indexOf(cells[1] as MarginMode);
    if (path !== firstPath + Math.floor(r / modes.length) || m !== r % modes.length) throw new MstressError("E_BAD_INPUT", `${origin}: row ${r + 2}: expected path ${firstPath + Math.floor(r / modes.length)} mode ${modes[r % modes.length] ?? ""}`);
    for (let f = 0; f < outcomeWidth; f++) {
      const cell = cells[f + 2] ?? "";
      rows[r * outcomeWidth + f] = cell === "" ? Number.NaN : Number(cell);
    }
  });
  return rows;
}

/** One mode's columns, in path order, as the summary takes them. */
export function modeOutcomes(rows: Float64Array, modes: number, m: number): ModeOutcomes {
  const paths = rows.length / (modes * outcomeWidth);
  const columns = Object.fromEntries(
    summaryFields.map((field) => {
      const f = kernelFields.indexOf(field);
      const column = new Float64Array(paths);
      for (let i = 0; i < paths; i++) column[i] = rows[(i * modes + m) * outcomeWidth + f] ?? Number.NaN;
      return [field, column];
    }),
  ) as ModeOutcomes["columns"];
  return { paths, columns };
}

/** pnl-paths.csv: the fan chart's sample, the route's PnL after every step of the first paths. */
export function pnlPathsCsv(pnl: Float64Array, paths: number, modes: readonly MarginMode[], steps: number, stepSeconds: number): string {
  const lines = ["path,mode,t,pnl"];
  for (let i = 0; i < paths; i++) {
    modes.forEach((mode, m) => {
      for (let s = 0; s < steps; s++) lines.push(`${i},${mode},${(s + 1) * stepSeconds},${String(pnl[(i * modes.length + m) * steps + s] ?? Number.NaN)}`);
    });
  }
  return `${lines.join("\n")}\n`;
}

export function parsePnlPathsCsv(text: string, paths: number, modes: readonly MarginMode[], steps: number): Float64Array {
  const pnl = new Float64Array(paths * modes.length * steps);
  const lines = text.split("\n").filter((line) => line !== "").slice(1);
  lines.forEach((line, r) => {
    pnl[r] = Number(line.split(",")[3]);
  });
  return pnl;
}
