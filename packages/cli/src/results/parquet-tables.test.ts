import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import {
  accountOutcomeFields,
  accountOutcomeLines,
  accountOutcomesHeader,
  accountOutcomeWidth,
  outcomeLines,
  outcomesHeader,
  outcomeWidth,
  routeOutcomeFields,
  routeOutcomeLines,
  routeOutcomesHeader,
  routeOutcomeWidth,
} from "@mstress/sim";
import { describe, expect, it } from "vitest";
import { textLines } from "./csv-line-reader.js";
import { writeParquetTable, writeParquetTables, writeParquetTablesOfRows, type RowTables } from "./parquet-tables.js";
import { tableColumns } from "./table-columns.js";

const work = mkdtempSync(join(tmpdir(), "mstress-parquet-"));

async function readBack(file: string): Promise<Record<string, unknown>[]> {
  const bytes = readFileSync(file);
  return parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
}

// Two rows of outcomes.csv as the tables write them: shortest round-trip doubles, an empty cell where a field does
// not apply, flags 0/1.
const csv = `${outcomesHeader}
0,isolated,1,3600,1,7200,2993.0999999999995,-3012.4,1.25e-7,60,0,3000,0.000012345678901234567,0,3012.4,1,1800,0
0,cross,0,,0,,0,0.30000000000000004,-5e-324,60,0,10000,0.16169,10000.3,1.7976931348623157e308,0,,
`;

describe("Parquet tables", () => {
  it("holds the CSV's values exactly: the same doubles, null for an empty cell, flags as booleans", async () => {
    const file = join(work, "outcomes.parquet");
    const names = writeParquetTable(textLines(csv), file, "outcomes.csv");
    expect(names).toEqual(outcomesHeader.split(","));
    const rows = await readBack(file);
    const cells = csv.trim().split("\n").slice(1).map((line) => line.split(","));
    expect(rows).toHaveLength(cells.length);
    rows.forEach((row, r) => {
      names.forEach((name, c) => {
        const cell = cells[r]?.[c] ?? "";
        const kind = tableColumns[name]?.kind;
        const expected = kind === "text" ? cell : cell === "" ? null : kind === "flag" ? cell === "1" : Number(cell);
        expect(Object.is(row[name], expected), `${name} of row ${r}: ${String(row[name])} vs ${String(expected)}`).toBe(true);
      });
    });
  });

  it("cuts row groups by row count only, so the file depends on the table and not on how it was produced", async () => {
    const lines = [outcomesHeader, ...Array.from({ length: 100_001 }, (_, i) => `${i},cross,0,,0,,0,${i / 7},0,0,0,1,0.5,1,0,0,,`)];
    const file = join(work, "long.parquet");
    writeParquetTable(lines[Symbol.iterator](), file, "long.csv");
    const bytes = readFileSync(file);
    const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([100_000, 1]);
    const rows = await readBack(file);
    expect(rows[100_000]?.path).toBe(100_000);
    expect(rows[70]?.pnl).toBe(10);
  });

  it("refuses a row with a cell missing or one too many, naming the row and the counts", () => {
    const [header = "", first = ""] = csv.split("\n");
    const short = first.slice(0, first.lastIndexOf(","));
    for (const [line, cells] of [[short, 17], [`${first},1`, 19]] as const) {
      const lines = [header, first, line][Symbol.iterator]();
      expect(() => writeParquetTable(lines, join(work, "bad.parquet"), "outcomes.csv")).toThrow(new RegExp(`^outcomes.csv: row 3: expected 18 cells, got ${cells}$`));
    }
  });

  it("documents every column of the three outcome tables in schema.json, money in the run's quote currency", () => {
    for (const header of [outcomesHeader, accountOutcomesHeader, routeOutcomesHeader]) {
      for (const name of header.split(",")) expect(tableColumns[name], `${name} needs a unit and a meaning in table-columns.ts`).toBeDefined();
    }
    const dir = join(work, "tables");
    const accounts = `${accountOutcomesHeader}\n0,cross,futures,0,,0,0.2\n`;
    const routes = `${routeOutcomesHeader}\n0,cross,carry,0,,0,\n`;
    writeParquetTables(dir, "USDC", { "outcomes.csv": csv, "account-outcomes.csv": accounts, "route-outcomes.csv": routes });
    const schema = JSON.parse(readFileSync(join(dir, "schema.json"), "utf8")) as { quoteCurrency: string; tables: Record<string, { columns: { name: string; type: string; unit: string | null }[] }> };
    expect(schema.quoteCurrency).toBe("USDC");
    expect(Object.keys(schema.tables)).toEqual(["outcomes.parquet", "account-outcomes.parquet", "route-outcomes.parquet"]);
    const pnl = schema.tables["outcomes.parquet"]?.columns.find((column) => column.name === "pnl");
    expect(pnl).toMatchObject({ type: "DOUBLE", unit: "USDC" });
    expect(schema.tables["route-outcomes.parquet"]?.columns.find((column) => column.name === "liquidatedAt")?.unit).toBe("seconds from the start of the path");
  });

  describe("from the rows the CSV is formatted from", () => {
    // Doubles whose CSV form is special (-0 is written "0", NaN as an empty cell) or long, flags 0, 1 and NaN.
    const awkward = [Number.NaN, -0, 0, 1, 1.25e-7, -5e-324, 0.30000000000000004, 1.7976931348623157e308, -3012.4, Number.POSITIVE_INFINITY, 2993.0999999999995];
    const modes = ["isolated", "cross", "isolated-passive"];
    const accounts = ["futures", "reserve"];
    const noEmptyCell = awkward.filter((value) => !Number.isNaN(value)).concat(Number.NEGATIVE_INFINITY);
    const routes = ["carry", "hedge"];
    const rowsOf = (count: number, width: number, seed: number, values: readonly number[]): Float64Array => Float64Array.from({ length: count * width }, (_, i) => values[(i * 7 + seed) % values.length] ?? 0);

    /** Writes `tables` both ways, the CSV through the tables' own formatter; the two directories' files. */
    function bothWays(name: string, tables: RowTables, csv: Readonly<Record<string, string>>): { fromRows: string; fromCsv: string; files: string[] } {
      const fromRows = join(work, `${name}-rows`);
      const fromCsv = join(work, `${name}-csv`);
      writeParquetTablesOfRows(fromRows, "USDT", tables);
      writeParquetTables(fromCsv, "USDT", csv);
      return { fromRows, fromCsv, files: readdirSync(fromCsv).sort() };
    }

    it("writes the same bytes as from the CSV: -0 as 0, NaN as null, flags from 0, 1 and NaN", async () => {
      const paths = 40;
      const rows = rowsOf(paths * modes.length, outcomeWidth, 0, awkward);
      const accountRows = rowsOf(paths * modes.length * accounts.length, accountOutcomeWidth, 3, awkward);
      // No NaN in any route column: the writer gets Float64Arrays, holding -0, infinities and a denormal.
      const routeRows = rowsOf(paths * modes.length * routes.length, routeOutcomeWidth, 1, noEmptyCell);
      const { fromRows, fromCsv, files } = bothWays(
        "awkward",
        {
          "outcomes.csv": { header: outcomesHeader, rows, width: outcomeWidth, firstPath: 17, modes, entities: null },
          "account-outcomes.csv": { header: accountOutcomesHeader, rows: accountRows, width: accountOutcomeWidth, firstPath: 17, modes, entities: accounts },
          "route-outcomes.csv": { header: routeOutcomesHeader, rows: routeRows, width: routeOutcomeWidth, firstPath: 17, modes, entities: routes },
        },
        {
          "outcomes.csv": `${outcomesHeader}\n${textOf(outcomeLines(rows, 17, modes))}`,
          "account-outcomes.csv": `${accountOutcomesHeader}\n${textOf(accountOutcomeLines(accountRows, 17, modes, accounts))}`,
          "route-outcomes.csv": `${routeOutcomesHeader}\n${textOf(routeOutcomeLines(routeRows, 17, modes, routes))}`,
        },
      );
      expect(files).toEqual(["account-outcomes.parquet", "outcomes.parquet", "route-outcomes.parquet", "schema.json"]);
      expect(readdirSync(fromRows).sort()).toEqual(files);
      for (const file of files) expect(readFileSync(join(fromRows, file)).equals(readFileSync(join(fromCsv, file))), file).toBe(true);
      // The first -0 of the routes in a time column (a number) reads back as +0; the first NaN of the accounts as null.
      const routesRead = await readBack(join(fromRows, "route-outcomes.parquet"));
      const zeroAt = routeRows.findIndex((value, i) => Object.is(value, -0) && routeOutcomeFields[i % routeOutcomeWidth]?.endsWith("At") === true);
      expect(zeroAt).toBeGreaterThanOrEqual(0);
      const zeroRow = routesRead[Math.floor(zeroAt / routeOutcomeWidth)] ?? {};
      expect(Object.is(zeroRow[routeOutcomeFields[zeroAt % routeOutcomeWidth] ?? ""], 0)).toBe(true);
      const accountsRead = await readBack(join(fromRows, "account-outcomes.parquet"));
      const emptyAt = accountRows.findIndex((value) => Number.isNaN(value));
      expect(accountsRead[Math.floor(emptyAt / accountOutcomeWidth)]?.[accountOutcomeFields[emptyAt % accountOutcomeWidth] ?? ""]).toBeNull();
      // Row 9 of the routes is path 18, cross, the second route.
      expect(routesRead[9]).toMatchObject({ path: 18, mode: "cross", route: "hedge" });
    });

    it("refuses rows that are not whole paths of the table's modes and entities", () => {
      const table = { header: accountOutcomesHeader, rows: new Float64Array(accountOutcomeWidth * 3), width: accountOutcomeWidth, firstPath: 0, modes, entities: accounts };
      expect(() => {
        writeParquetTablesOfRows(join(work, "ragged"), "USDT", { "account-outcomes.csv": table });
      }).toThrow(/12 values are not whole paths of 24$/);
      expect(() => {
        writeParquetTablesOfRows(join(work, "no-entities"), "USDT", { "account-outcomes.csv": { ...table, entities: [] } });
      }).toThrow(/12 values are not whole paths of 0$/);
    });

    it("cuts row groups where the CSV's blocks are cut (100,000 rows), the same bytes", () => {
      const count = 100_001;
      const rows = Float64Array.from({ length: count * outcomeWidth }, (_, i) => (i % 5 === 0 ? Number.NaN : i / 7));
      const { fromRows, fromCsv } = bothWays(
        "long",
        { "outcomes.csv": { header: outcomesHeader, rows, width: outcomeWidth, firstPath: 0, modes: ["cross"], entities: null } },
        { "outcomes.csv": `${outcomesHeader}\n${textOf(outcomeLines(rows, 0, ["cross"]))}` },
      );
      const bytes = readFileSync(join(fromRows, "outcomes.parquet"));
      expect(parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).row_groups.map((group) => Number(group.num_rows))).toEqual([100_000, 1]);
      expect(bytes.equals(readFileSync(join(fromCsv, "outcomes.parquet")))).toBe(true);
    });

    // 100,000 rows with two accounts are 16,666 paths of six rows and four rows of the next: the second group starts
    // at that path's third mode. With three accounts, 11,111 paths of nine rows and one row: at its first mode's
    // second account.
    const cuts = [
      { name: "inside a path (three modes, two accounts)", entities: accounts, paths: 16_670, firstPath: 5, seed: 2, second: [[5 + 16_666, 2, 0], [5 + 16_666, 2, 1]] },
      { name: "inside a mode (three modes, three accounts)", entities: ["futures", "reserve", "hedge"], paths: 11_115, firstPath: 0, seed: 4, second: [[11_111, 0, 1], [11_111, 0, 2], [11_111, 1, 0]] },
    ] as const;
    it.each(cuts)("cuts a row group $name: the path, mode and account go on from there", async ({ name, entities, paths, firstPath, seed, second }) => {
      const accountRows = rowsOf(paths * modes.length * entities.length, accountOutcomeWidth, seed, awkward);
      const { fromRows, fromCsv } = bothWays(
        name,
        { "account-outcomes.csv": { header: accountOutcomesHeader, rows: accountRows, width: accountOutcomeWidth, firstPath, modes, entities } },
        { "account-outcomes.csv": `${accountOutcomesHeader}\n${textOf(accountOutcomeLines(accountRows, firstPath, modes, entities))}` },
      );
      const bytes = readFileSync(join(fromRows, "account-outcomes.parquet"));
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const rowCount = paths * modes.length * entities.length;
      expect(parquetMetadata(file).row_groups.map((group) => Number(group.num_rows))).toEqual([100_000, rowCount - 100_000]);
      const read = await parquetReadObjects({ file, rowStart: 100_000, rowEnd: 100_000 + second.length });
      expect(read.map((row): unknown[] => [row["path"], row["mode"], row["account"]])).toEqual(second.map(([path, mode, entity]) => [path, modes[mode], entities[entity]]));
      expect(bytes.equals(readFileSync(join(fromCsv, "account-outcomes.parquet")))).toBe(true);
    });
  });
});

function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}
