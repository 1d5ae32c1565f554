import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { defaultMaxVenueAgeDays, MstressError, venueAge, type Scenario, type VenueProfile } from "@mstress/core";
import type { VenueFileRecord } from "@mstress/report";
import { displayPath, readVenueFile, resolveVenueFile, type VenueFile } from "./load-venue.js";

/** The environment variable that sets the staleness limit for every command (a flag, where there is one, wins). */
export const maxVenueAgeVariable = "MSTRESS_MAX_VENUE_AGE_DAYS";

/** Days after which venue figures are stale: the flag, else MSTRESS_MAX_VENUE_AGE_DAYS, else 90. */
export function maxVenueAgeDays(flag?: number): number {
  if (flag !== undefined) return flag;
  const text = process.env[maxVenueAgeVariable];
  if (text === undefined || text === "") return defaultMaxVenueAgeDays;
  const days = Number(text);
  if (!Number.isFinite(days) || days < 0) throw new MstressError("E_BAD_INPUT", `${maxVenueAgeVariable}: expected a number of days >= 0, got ${JSON.stringify(text)}`);
  return days;
}

/** What manifest.json records of one venue file a run read, with its age at `now` (the run's start). */
export function venueFileRecord(file: VenueFile, profile: VenueProfile, now: number, maxAgeDays: number): VenueFileRecord {
  const age = venueAge(profile, now, maxAgeDays);
  return {
    name: profile.name,
    file: displayPath(file.path),
    sha256: createHash("sha256").update(readFileSync(file.path)).digest("hex"),
    asOf: age.asOf,
    ageDays: age.ageDays,
    maxAgeDays,
    stale: age.stale,
  };
}

/** The venue files a scenario's accounts read, resolved as a run resolves them, each once. */
export function scenarioVenueRecords(scenario: Scenario, scenarioFile: string, now: number): VenueFileRecord[] {
  const maxAgeDays = maxVenueAgeDays();
  const seen = new Set<string>();
  const records: VenueFileRecord[] = [];
  scenario.accounts.forEach((account, index) => {
    const file = resolveVenueFile(account.venue, `accounts.${index}.venue`, dirname(resolve(scenarioFile)));
    if (seen.has(file.path)) return;
    seen.add(file.path);
    records.push(venueFileRecord(file, readVenueFile(file), now, maxAgeDays));
  });
  return records;
}

function isVenueFileRecord(value: unknown): value is VenueFileRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  const numberOrNull = (x: unknown): boolean => x === null || typeof x === "number";
  return (
    typeof r["name"] === "string" && typeof r["file"] === "string" && typeof r["sha256"] === "string" && (r["asOf"] === null || typeof r["asOf"] === "string") &&
    numberOrNull(r["ageDays"]) && typeof r["maxAgeDays"] === "number" && typeof r["stale"] === "boolean"
  );
}

/** manifest.json's `venues`, when it has well-formed ones (older manifests have none; the report then says nothing). */
export function venueRecordsOf(manifest: Record<string, unknown>): { venues?: readonly VenueFileRecord[] } {
  const venues = manifest["venues"];
  return Array.isArray(venues) && venues.every(isVenueFileRecord) ? { venues } : {};
}
