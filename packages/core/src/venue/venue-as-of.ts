import type { VenueProfile } from "./venue-profile.js";

const dayMs = 86_400_000;

/** Days after which a venue file's figures are called stale unless the user says otherwise. */
export const defaultMaxVenueAgeDays = 90;

/**
 * The time an `asOf` reads as, in ms since the epoch: an ISO 8601 date ("2024-10-24", midnight UTC) or date-time;
 * null for a note such as "undated (venues snapshot)".
 */
export function asOfTime(asOf: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(asOf)) return null;
  const time = Date.parse(asOf);
  return Number.isNaN(time) ? null : time;
}

/** Every `asOf` a venue file carries: each symbol's brackets, and the other groups where they give one. */
function asOfValues(profile: VenueProfile): string[] {
  return Object.values(profile.symbols).flatMap((spec) =>
    [spec.instrument?.asOf, spec.brackets.asOf, spec.fees.asOf, spec.funding.asOf, spec.liquidationFeeRate.asOf].filter((value) => value !== undefined),
  );
}

/**
 * The date a venue file's figures are as of: its oldest dated `asOf`, as written (a file is as old as its oldest
 * figure); null when no group carries a date.
 */
export function venueAsOf(profile: VenueProfile): string | null {
  let oldest: { asOf: string; time: number } | null = null;
  for (const asOf of asOfValues(profile)) {
    const time = asOfTime(asOf);
    if (time !== null && (oldest === null || time < oldest.time)) oldest = { asOf, time };
  }
  return oldest?.asOf ?? null;
}

export interface VenueAge {
  /** The file's oldest dated asOf; null when it has none. */
  readonly asOf: string | null;
  /** Whole days from asOf to `now`; null when undated. */
  readonly ageDays: number | null;
  /** Older than the limit, or undated (its age cannot be vouched for). */
  readonly stale: boolean;
}

/** How old a venue file's figures are at `now` (ms since the epoch; time is data here, the CLI reads the clock). */
export function venueAge(profile: VenueProfile, now: number, maxAgeDays: number): VenueAge {
  const asOf = venueAsOf(profile);
  const time = asOf === null ? null : asOfTime(asOf);
  if (asOf === null || time === null) return { asOf: null, ageDays: null, stale: true };
  const ageDays = Math.floor((now - time) / dayMs);
  return { asOf, ageDays, stale: ageDays > maxAgeDays };
}

/** One line for a stale venue file, naming it; null when the file is fresh enough. */
export function venueAgeWarning(file: string, age: VenueAge, maxAgeDays: number): string | null {
  if (!age.stale) return null;
  const refresh = "refresh it with `mstress venue import` (README: Venue files)";
  if (age.asOf === null || age.ageDays === null) return `warning: ${file}: its venue figures carry no dated asOf, so their age is unknown; ${refresh}`;
  return `warning: ${file}: its venue figures are as of ${age.asOf}, ${age.ageDays} days old (more than ${maxAgeDays}); ${refresh}`;
}
