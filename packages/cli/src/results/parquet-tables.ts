import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MstressError } from "@mstress/core/errors";
import { ParquetWriter, fileWriter, type ColumnSource } from "hyparquet-writer";
import { fileLines, textLines } from "./csv-line-reader.js";
import { faultPoint } from "./fault-point.js";
import { columnMeaning, type ColumnKind } from "./table-columns.js";

/** The per-path tables written as Parquet too, with the CSV each is made from. */
export const parquetTables = [
  ["outcomes.csv", "outcomes.parquet"],
  ["account-outcomes.csv", "account-outcomes.parquet"],
  ["route-outcomes.csv", "route-outcomes.parquet"],
  ["policy-outcomes.csv", "policy-outcomes.parquet"],
] as const;

export type ParquetSourceName = (typeof parquetTables)[number][0];

// Rows per row group: each group is one block of CSV lines, so the file depends only on the table's content,
// never on how a run was chunked or sharded (a merge writes the single run's bytes).
const rowsPerGroup = 100_000;

// One data page per column chunk. A chunk of a group holds at most 100,000 values of at most 8 bytes (doubles; the
// text columns are dictionary indexes), 800 KB, under the writer's 1 MiB default page, so it was one page already:
// saying so skips the writer's size estimate of every value (the same bytes, 5 % of the writing).
const onePagePerChunk = 0;

const parquetType: Readonly<Record<ColumnKind, "INT32" | "STRING" | "BOOLEAN" | "DOUBLE">> = { path: "INT32", text: "STRING", flag: "BOOLEAN", number: "DOUBLE" };

/**
 * One per-path table as the kernel's rows rather than its CSV: `rows` laid out paths x modes x entities x `width`
 * fields (no entity level when `entities` is null: outcomes.csv), written under the CSV's `header`.
 */
export interface RowTable {
  readonly header: string;
  readonly rows: Float64Array;
  readonly width: number;
  readonly firstPath: number;
  readonly modes: readonly string[];
  readonly entities: readonly string[] | null;
}

/** The tables a run holds as rows; a table left out is not written (policy-outcomes without policies). */
export type RowTables = Readonly<Partial<Record<ParquetSourceName, RowTable>>>;

/**
 * Writes outcomes.parquet, account-outcomes.parquet, route-outcomes.parquet (and policy-outcomes.parquet for a
 * scenario with policies) into `directory`, each from its
 * CSV (read from `csv` when given, else from the directory), and schema.json describing every column of the
 * tables (type, unit with money in `quoteCurrency`, meaning). Numbers are the CSV's doubles exactly (an empty cell
 * is null), flags are booleans, the path an INT32. Uncompressed, with statistics: readable by pandas, polars,
 * DuckDB and Observable without a codec.
 */
export function writeParquetTables(directory: string, quoteCurrency: string, csv?: Readonly<Partial<Record<ParquetSourceName, string>>>): void {
  writeTablesWith(directory, quoteCurrency, (source, file) => {
    // policy-outcomes.csv exists only for a scenario with policies.
    const text = csv?.[source];
    if (csv === undefined ? !existsSync(join(directory, source)) : text === undefined) return null;
    return writeParquetTable(text === undefined ? fileLines(join(directory, source)) : textLines(text), file, source);
  });
}

/**
 * The same files, byte for byte, from the rows the CSV was formatted from (a run small enough to hold them while it
 * summarises): no CSV to read back and parse, which was most of the Parquet thread's time. The bytes are the same
 * because a CSV number is the double's shortest round-trip form, so parsing it gives the double back; the two
 * exceptions are written as the CSV reads: NaN (an empty cell) as null and -0 (written "0") as 0.
 */
export function writeParquetTablesOfRows(directory: string, quoteCurrency: string, tables: RowTables): void {
  writeTablesWith(directory, quoteCurrency, (source, file) => {
    const table = tables[source];
    return table === undefined ? null : writeParquetTableOfRows(table, file);
  });
}

/** Writes each table that `write` writes (it returns the header's names, or null for a table the run lacks) and schema.json. */
function writeTablesWith(directory: string, quoteCurrency: string, write: (source: ParquetSourceName, file: string) => string[] | null): void {
  faultPoint("parquet");
  const schema: Record<string, unknown> = {};
  mkdirSync(directory, { recursive: true });
  for (const [source, target] of parquetTables) {
    const header = write(source, join(directory, target));
    if (header === null) continue;
    schema[target] = {
      csv: source,
      columns: header.map((name) => {
        const column = columnMeaning(name);
        return { name, type: parquetType[column.kind], unit: column.unit === "quote" ? quoteCurrency : column.unit, meaning: column.meaning };
      }),
    };
  }
  const document = { quoteCurrency, note: "Money columns are in the quote currency of the route's venues; a null is an empty CSV cell (not applicable).", tables: schema };
  writeFileSync(join(directory, "schema.json"), `${JSON.stringify(document, null, 2)}\n`);
}

/** One CSV (header first) as one Parquet file; returns the header's column names. */
export function writeParquetTable(lines: Iterator<string>, file: string, origin: string): string[] {
  const first = lines.next();
  if (first.done === true) throw new MstressError("E_INVARIANT", `${origin}: expected a header line`);
  const names = first.value.split(",");
  const kinds = names.map((name) => columnMeaning(name).kind);
  const writer = parquetWriter(file, names, kinds);
  let block: string[] = [];
  let row = 1;
  const flush = (): void => {
    if (block.length === 0) return;
    synchronous(writer.write({ columnData: columnsOf(block, names, kinds, origin, row - block.length), rowGroupSize: rowsPerGroup, pageSize: onePagePerChunk }));
    block = [];
  };
  for (let next = lines.next(); next.done !== true; next = lines.next()) {
    block.push(next.value);
    row++;
    if (block.length === rowsPerGroup) flush();
  }
  flush();
  synchronous(writer.finish());
  return names;
}

/** One table's rows as one Parquet file, the same bytes as its CSV gives (writeParquetTablesOfRows); returns the names. */
export function writeParquetTableOfRows(table: RowTable, file: string): string[] {
  const names = table.header.split(",");
  const kinds = names.map((name) => columnMeaning(name).kind);
  const leading = table.entities === null ? 2 : 3;
  if (names.length !== leading + table.width) throw new MstressError("E_INVARIANT", `${file}: ${String(names.length)} columns for ${String(table.width)} fields`);
  const perPath = table.width * table.modes.length * (table.entities === null ? 1 : table.entities.length);
  if (table.rows.length > 0 && (perPath === 0 || table.rows.length % perPath !== 0)) {
    throw new MstressError("E_INVARIANT", `${file}: ${String(table.rows.length)} values are not whole paths of ${String(perPath)}`);
  }
  const writer = parquetWriter(file, names, kinds);
  const count = table.rows.length / table.width;
  // Row groups cut at the same row counts as the CSV's blocks, so the file is the same.
  for (let start = 0; start < count; start += rowsPerGroup) {
    synchronous(writer.write({ columnData: columnsOfRows(table, names, kinds, start, Math.min(rowsPerGroup, count - start)), rowGroupSize: rowsPerGroup, pageSize: onePagePerChunk }));
  }
  synchronous(writer.finish());
  return names;
}

function parquetWriter(file: string, names: readonly string[], kinds: readonly ColumnKind[]): ParquetWriter {
  return new ParquetWriter({
    writer: fileWriter(file),
    schema: [
      { name: "root", num_children: names.length },
      ...names.map((name, c) => {
        const kind = kinds[c] ?? "number";
        const element = { name, repetition_type: kind === "path" || kind === "text" ? ("REQUIRED" as const) : ("OPTIONAL" as const) };
        return kind === "text" ? { ...element, type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const } : { ...element, type: parquetType[kind] === "STRING" ? ("BYTE_ARRAY" as const) : parquetType[kind] };
      }),
    ],
    codec: "UNCOMPRESSED",
    createdBy: "mstress",
  });
}

/** The file writer flushes synchronously, so the Parquet writer never hands back a promise; say so if it does. */
function synchronous(result: void | Promise<void>): void {
  if (result instanceof Promise) throw new MstressError("E_INVARIANT", "the Parquet writer went asynchronous; expected synchronous file writes");
}

/** A block of CSV lines as typed columns. `firstRow` is the block's first line number after the header, for messages. */
function columnsOf(block: readonly string[], names: readonly string[], kinds: readonly ColumnKind[], origin: string, firstRow: number): ColumnSource[] {
  const width = names.length;
  // A number column is a Float64Array until its first empty cell (most never have one), then an array with nulls.
  const data = kinds.map((kind): ColumnData => {
    if (kind === "path") return new Int32Array(block.length);
    return kind === "number" ? new Float64Array(block.length) : new Array<number | string | boolean | null>(block.length);
  });
  // Cells are read in place by their commas (no array of cells per line): this parse was a quarter of the
  // Parquet writing's time with split and a callback per cell.
  for (let r = 0; r < block.length; r++) {
    const line = block[r] ?? "";
    let start = 0;
    for (let c = 0; c < width; c++) {
      const comma = line.indexOf(",", start);
      const last = c === width - 1;
      if (last ? comma >= 0 : comma < 0) throw new MstressError("E_BAD_INPUT", `${origin}: row ${firstRow + r + 1}: expected ${width} cells, got ${line.split(",").length}`);
      const end = last ? line.length : comma;
      let column = data[c] as ColumnData;
      switch (kinds[c]) {
        case "path":
          column[r] = Number(line.slice(start, end));
          break;
        case "text":
          column[r] = line.slice(start, end);
          break;
        case "flag":
          column[r] = end === start ? null : end === start + 1 && line.charCodeAt(start) === 49;
          break;
        default:
          if (end === start && column instanceof Float64Array) {
            column = Array.from(column.subarray(0, r), (value): number | null => value);
            column.length = block.length;
            data[c] = column;
          }
          column[r] = end === start ? null : Number(line.slice(start, end));
      }
      start = end + 1;
    }
  }
  return columnSources(names, kinds, data);
}

type ColumnData = (number | string | boolean | null)[] | Int32Array | Float64Array;

function columnSources(names: readonly string[], kinds: readonly ColumnKind[], data: readonly ColumnData[]): ColumnSource[] {
  // Outcome doubles rarely repeat, so a dictionary would not pay: written plain, which also skips the writer's
  // dictionary trial (a third of its time on a 10,000-path run).
  return names.map((name, c) => ({ name, data: data[c] ?? [], ...(kinds[c] === "number" ? { encoding: "PLAIN" as const } : {}) }));
}

/**
 * Rows [start, start + count) of a row table as the columns columnsOf makes of the same CSV lines: the path, the
 * mode and entity names, flags as booleans, numbers as a Float64Array, or, in a block with a NaN (an empty cell),
 * an array with null there.
 */
function columnsOfRows(table: RowTable, names: readonly string[], kinds: readonly ColumnKind[], start: number, count: number): ColumnSource[] {
  const { rows, width, modes, entities, firstPath } = table;
  const perMode = entities === null ? 1 : entities.length;
  const perPath = modes.length * perMode;
  const leading = entities === null ? 2 : 3;
  const data: ColumnData[] = [];
  const path = new Int32Array(count);
  const mode = new Array<string>(count);
  const entity = new Array<string>(entities === null ? 0 : count);
  // The rows run path by path, mode by mode, entity by entity: counters, not three divisions a row.
  let pathNumber = firstPath + Math.floor(start / perPath);
  let modeIndex = Math.floor(start / perMode) % modes.length;
  let entityIndex = start % perMode;
  for (let r = 0; r < count; r++) {
    path[r] = pathNumber;
    mode[r] = modes[modeIndex] ?? "";
    if (entities !== null) entity[r] = entities[entityIndex] ?? "";
    if (++entityIndex < perMode) continue;
    entityIndex = 0;
    if (++modeIndex < modes.length) continue;
    modeIndex = 0;
    pathNumber++;
  }
  data.push(path, mode);
  if (entities !== null) data.push(entity);
  for (let f = 0; f < width; f++) {
    const kind = kinds[leading + f];
    const first = start * width + f;
    if (kind === "flag") {
      const flags = new Array<boolean | null>(count);
      for (let r = 0, at = first; r < count; r++, at += width) {
        const value = rows[at] ?? Number.NaN;
        flags[r] = Number.isNaN(value) ? null : value === 1;
      }
      data.push(flags);
      continue;
    }
    if (kind !== "number") throw new MstressError("E_INVARIANT", `column ${names[leading + f] ?? ""}: a field of the rows cannot be a ${String(kind)} column`);
    const numbers = new Float64Array(count);
    let empty = false;
    for (let r = 0, at = first; r < count; r++, at += width) {
      const value = rows[at] ?? Number.NaN;
      // -0 is written "0" in the CSV, which reads back as 0.
      numbers[r] = value === 0 ? 0 : value;
      if (Number.isNaN(value)) empty = true;
    }
    if (!empty) {
      data.push(numbers);
      continue;
    }
    const withNulls = new Array<number | null>(count);
    for (let r = 0; r < count; r++) {
      const value = numbers[r] ?? Number.NaN;
      withNulls[r] = Number.isNaN(value) ? null : value;
    }
    data.push(withNulls);
  }
  return columnSources(names, kinds, data);
}
