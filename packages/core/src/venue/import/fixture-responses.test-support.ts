// The saved API responses under fixtures/<venue>/ as an import sees them, for the importers' tests: each file's
// text, SHA-256 and a fixed modification time, grouped by endpoint as `mstress venue import` groups them.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { MstressError } from "../../errors/mstress-error.js";
import type { ApiResponse } from "./api-response.js";
import type { VenueImporter } from "./imported-venue.js";

/** The modification time the tests give every fixture (the CLI reads the real one). */
export const fixtureModifiedAt = "2026-11-30T06:00:00.000Z";

export function apiResponse(file: string, text: string, modifiedAt = fixtureModifiedAt): ApiResponse {
  return { file, text, sha256: createHash("sha256").update(text).digest("hex"), modifiedAt };
}

export function fixtureText(venue: string, file: string): string {
  return readFileSync(new URL(`./fixtures/${venue}/${file}`, import.meta.url), "utf8");
}

/** A fixture's JSON, to edit into a bad response. */
export function fixtureJson(venue: string, file: string): unknown {
  return JSON.parse(fixtureText(venue, file));
}

/**
 * The fixtures of `importer.venue` by endpoint role; `changes` replaces a file's text (JSON values are
 * stringified) or, with null, removes it.
 */
export function fixtureResponses(importer: VenueImporter, changes: Readonly<Record<string, unknown>> = {}): Map<string, ApiResponse[]> {
  const files = readdirSync(new URL(`./fixtures/${importer.venue}/`, import.meta.url)).filter((file) => file.endsWith(".json"));
  const byRole = new Map<string, ApiResponse[]>();
  for (const file of [...new Set([...files, ...Object.keys(changes)])].sort()) {
    const change = changes[file];
    if (change === null) continue;
    const text = change === undefined ? fixtureText(importer.venue, file) : typeof change === "string" ? change : JSON.stringify(change);
    const endpoint = importer.endpoints.find((e) => file === `${e.role}.json` || (e.many && file.startsWith(`${e.role}-`)));
    if (endpoint === undefined) throw new Error(`no endpoint of ${importer.venue} claims ${file}`);
    byRole.set(endpoint.role, [...(byRole.get(endpoint.role) ?? []), apiResponse(file, text)]);
  }
  return byRole;
}

/** The message of the input error `action` throws; fails the test when it does not throw one. */
export function inputFailure(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof MstressError && error.isInputError) return error.message;
    throw error;
  }
  throw new Error("expected an input error");
}
