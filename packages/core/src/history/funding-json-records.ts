import { MstressError } from "../errors/mstress-error.js";
import { jsonError, numberCell, timestampExpectation, timestampSeconds, timestampUnitOf } from "./history-cells.js";
import type { FundingFile, FundingFormat, FundingRow } from "./history-series.js";
import { jsonRowsInTimeOrder } from "./ordered-rows.js";

/** JSON text as a value; malformed JSON is bad input named by its line and column. */
export function parseJsonText(text: string, origin: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position === null ? "" : lineAndColumn(text, Number(position[1]));
    throw new MstressError("E_BAD_INPUT", `${origin}: ${where}malformed JSON: ${message.split("\n")[0] ?? ""}`);
  }
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split("\n");
  return `line ${String(before.length)}, column ${String((before[before.length - 1]?.length ?? 0) + 1)}: `;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `key` of an object at `path`, or bad input naming the path. */
export function jsonField(origin: string, value: unknown, path: string, key: string): unknown {
  if (!isRecord(value)) throw jsonError(origin, path, "expected an object", value);
  return value[key];
}

/** The array at `path`, or bad input naming the path and what the venue's response holds there. */
export function jsonArray(origin: string, value: unknown, path: string, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw jsonError(origin, path, `expected ${what}`, typeof value === "object" && value !== null ? "an object" : value);
  return value;
}

/** Where a venue's record keeps its fields: the settlement time, the rate (first key with a value) and the name. */
export interface FundingRecordFields {
  readonly time: string;
  readonly rate: readonly string[];
  readonly instrument: string;
}

/**
 * A venue's funding records (the array at `path`), each an object: the settlement time in milliseconds (a number
 * or a numeric string, as each venue documents it), the rate as a numeric string or number. Sorted into time
 * order, duplicates dropped and counted; every problem names the file and the JSON path of the value.
 */
export function readFundingRecords(origin: string, format: FundingFormat, records: readonly unknown[], path: string, fields: FundingRecordFields, intervalHours: number | null = null): FundingFile {
  if (records.length === 0) throw jsonError(origin, path, "expected at least one funding record, found an empty list");
  const stampOf = (i: number): string => {
    const value = jsonField(origin, records[i], `${path}[${String(i)}]`, fields.time);
    return typeof value === "number" || typeof value === "string" ? String(value) : "";
  };
  const unit = timestampUnitOf(stampOf(0));
  let instrument: string | null = null;
  const rows = records.map((record, i): FundingRow => {
    const at = `${path}[${String(i)}]`;
    const stamp = stampOf(i);
    const time = timestampSeconds(stamp, unit);
    if (!Number.isFinite(time)) throw jsonError(origin, `${at}.${fields.time}`, timestampExpectation(unit), jsonField(origin, record, at, fields.time));
    const key = fields.rate.find((name) => {
      const value = jsonField(origin, record, at, name);
      return value !== undefined && value !== null && value !== "";
    }) ?? fields.rate[0] ?? "";
    const raw = jsonField(origin, record, at, key);
    const rate = typeof raw === "number" || typeof raw === "string" ? numberCell(String(raw)) : Number.NaN;
    if (!Number.isFinite(rate)) throw jsonError(origin, `${at}.${key}`, "expected a funding rate (a number, or a numeric string such as \"0.0001\")", raw);
    const name = jsonField(origin, record, at, fields.instrument);
    if (typeof name === "string" && name !== "") instrument ??= name;
    return { time, rate, intervalHours, origin: { path: at } };
  });
  const ordered = jsonRowsInTimeOrder(rows);
  return { origin, format, timestampUnit: unit, instrument, rows: ordered.rows, duplicates: ordered.duplicates };
}
