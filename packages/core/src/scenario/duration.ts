import { z } from "zod";

const unitSeconds = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** The longest duration a scenario may give: ten years. */
export const maxDurationSeconds = 10 * 365 * 86_400;

/** Parses "90s", "15m", "1.5h", "30d" (or a plain number of seconds, at most ten years) to seconds; null if malformed. */
export function durationSeconds(value: string | number): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 && value <= maxDurationSeconds ? value : null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/.exec(value);
  if (match === null) return null;
  const [, amount, unit] = match;
  const seconds = Number(amount) * unitSeconds[unit as keyof typeof unitSeconds];
  return seconds <= maxDurationSeconds ? seconds : null;
}

/** A duration field: seconds as a number, or a string with a unit (s, m, h, d). */
export const durationSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  const seconds = durationSeconds(value);
  if (seconds === null) {
    context.addIssue({ code: "custom", message: 'expected a duration such as 90s, 15m, 1h or 3d (or seconds as a number), at most 3650d' });
    return z.NEVER;
  }
  return seconds;
});
