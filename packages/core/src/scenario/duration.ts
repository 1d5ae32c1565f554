import { z } from "zod";

const unitSeconds = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** Parses "90s", "15m", "1.5h", "30d" (or a plain number of seconds) to seconds; null if malformed. */
export function durationSeconds(value: string | number): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(value);
  if (match === null) return null;
  const [, amount, unit] = match;
  return Number(amount) * unitSeconds[unit as keyof typeof unitSeconds];
}

/** A duration field: seconds as a number, or a string with a unit (s, m, h, d). */
export const durationSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  const seconds = durationSeconds(value);
  if (seconds === null) {
    context.addIssue({ code: "custom", message: 'expected a duration such as 90s, 15m, 1h or 3d (or seconds as a number)' });
    return z.NEVER;
  }
  return seconds;
});
