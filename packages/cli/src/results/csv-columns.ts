import { MstressError } from "@mstress/core";

export interface CsvColumns<N extends string, T extends string> {
  readonly rows: number;
  readonly numbers: Readonly<Record<N, Float64Array>>;
  readonly texts: Readonly<Record<T, string[]>>;
  /** The optional numeric columns the file has. */
  readonly present: ReadonlySet<string>;
}

/**
 * Reads a results CSV by its header's names: the `numbers` columns into Float64Arrays (an empty cell is NaN, "not
 * applicable"), the `texts` columns as strings; columns in `optional` may be absent (files written before they
 * existed) and read as all NaN. Result files hold no quoted cells (names are letters, digits, '.', '_', '-'), so a
 * line splits on commas. Bad input names the file, the row and the column, exit 2.
 */
export function csvColumns<N extends string, T extends string>(
  text: string,
  origin: string,
  spec: { readonly numbers: readonly N[]; readonly texts: readonly T[]; readonly optional?: readonly N[] },
): CsvColumns<N, T> {
  const lines = text.split("\n");
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const header = (lines[0] ?? "").split(",");
  const optional: readonly string[] = spec.optional ?? [];
  const missing = [...spec.texts, ...spec.numbers].filter((name) => !header.includes(name) && !optional.includes(name));
  if (missing.length > 0) throw new MstressError("E_BAD_INPUT", `${origin}: expected the columns ${missing.join(", ")} in the header, got ${JSON.stringify(lines[0] ?? "")}`);
  const rows = lines.length - 1;
  const numbers = {} as Record<N, Float64Array>;
  const texts = {} as Record<T, string[]>;
  const present = new Set<string>();
  const numberColumns = spec.numbers.map((name) => {
    const column = new Float64Array(rows).fill(Number.NaN);
    numbers[name] = column;
    if (header.includes(name)) present.add(name);
    return { name, index: header.indexOf(name), column };
  });
  const textColumns = spec.texts.map((name) => {
    const column: string[] = new Array<string>(rows);
    texts[name] = column;
    return { index: header.indexOf(name), column };
  });
  for (let r = 0; r < rows; r++) {
    const cells = (lines[r + 1] ?? "").split(",");
    if (cells.length !== header.length) throw new MstressError("E_BAD_INPUT", `${origin}: row ${r + 2}: expected ${header.length} cells, got ${cells.length}`);
    for (const { index, column } of textColumns) column[r] = cells[index] ?? "";
    for (const { name, index, column } of numberColumns) {
      if (index < 0) continue;
      const cell = cells[index] ?? "";
      if (cell === "") continue;
      const value = Number(cell);
      if (!Number.isFinite(value)) throw new MstressError("E_BAD_INPUT", `${origin}: row ${r + 2}, column ${name}: expected a number or an empty cell, got ${JSON.stringify(cell)}`);
      column[r] = value;
    }
  }
  return { rows, numbers, texts, present };
}
