import { MstressError } from "../errors/mstress-error.js";
import type { PathPoint } from "./scenario-schema.js";

/**
 * Parses a price path CSV: `timestamp,price[,funding]`, an optional header row, one point per line. A timestamp
 * is seconds since the start, or an ISO-8601 date-time (then times are taken relative to the first row).
 * Prices are for `asset`. Errors name the file, row and column but never quote a cell: a path given by mistake
 * (a system file) must not have its content printed.
 */
export function parsePathCsv(text: string, origin: string, asset: string): PathPoint[] {
  const rows = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  const first = rows[0];
  // A header is a first row whose price cell is not a number ("timestamp,price,funding").
  if (first !== undefined && !Number.isFinite(Number(first.split(",")[1] ?? ""))) rows.shift();
  const points: PathPoint[] = [];
  let origin0: number | undefined;
  rows.forEach((row, index) => {
    const line = `${origin}: row ${index + 1}`;
    const [timestamp = "", price = "", funding] = row.split(",").map((cell) => cell.trim());
    const seconds = /^\d+(\.\d+)?$/.test(timestamp) ? Number(timestamp) : Date.parse(timestamp) / 1000;
    if (!Number.isFinite(seconds)) throw new MstressError("E_BAD_INPUT", `${line}: timestamp: expected seconds or an ISO-8601 date-time`);
    origin0 ??= seconds;
    const value = Number(price);
    if (!(Number.isFinite(value) && value > 0)) throw new MstressError("E_BAD_INPUT", `${line}: price: expected a positive number`);
    const t = seconds - origin0;
    const previous = points[points.length - 1];
    if (previous !== undefined && t <= previous.t) throw new MstressError("E_BAD_INPUT", `${line}: timestamp: expected a time after the previous row`);
    const rate = funding === undefined || funding === "" ? undefined : Number(funding);
    if (rate !== undefined && !Number.isFinite(rate)) throw new MstressError("E_BAD_INPUT", `${line}: funding: expected a number`);
    points.push(rate === undefined ? { t, prices: { [asset]: value } } : { t, prices: { [asset]: value }, funding: rate });
  });
  if (points.length < 2) throw new MstressError("E_BAD_INPUT", `${origin}: expected at least 2 rows of timestamp,price`);
  return points;
}
