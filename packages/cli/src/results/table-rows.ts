import { MstressError } from "@mstress/core";

/**
 * Walks a results table's lines: the first must be `header`, then exactly `rows` data lines, each split on commas
 * (result files hold no quoted cells) and handed to `onRow` with its 0-based index and `<origin>: row <n>` for
 * messages. `shape` says what the rows are ("240 paths x 3 modes") when their count is wrong.
 */
export function readTableRows(lines: Iterable<string>, spec: { readonly origin: string; readonly header: string; readonly rows: number; readonly shape: string }, onRow: (cells: string[], r: number, where: string) => void): void {
  const { origin, header, rows, shape } = spec;
  const expected = `expected ${String(rows)} rows (${shape})`;
  let r = -1;
  for (const line of lines) {
    if (r === -1) {
      if (line !== header) throw new MstressError("E_BAD_INPUT", `${origin}: expected the header ${header}`);
    } else {
      if (r >= rows) throw new MstressError("E_BAD_INPUT", `${origin}: ${expected}, got more`);
      onRow(line.split(","), r, `${origin}: row ${String(r + 2)}`);
    }
    r++;
  }
  if (r === -1) throw new MstressError("E_BAD_INPUT", `${origin}: expected the header ${header}, got an empty file`);
  if (r !== rows) throw new MstressError("E_BAD_INPUT", `${origin}: ${expected}, got ${String(r)}`);
}

/** A cell of a results table: a number, or NaN for an empty cell; anything else names the row and column. */
export function tableNumber(cell: string, where: string, column: string): number {
  if (cell === "") return Number.NaN;
  const value = Number(cell);
  if (!Number.isFinite(value)) throw new MstressError("E_BAD_INPUT", `${where}: ${column}: expected a number or an empty cell`);
  return value;
}
