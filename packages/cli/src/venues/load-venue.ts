import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { basename, isAbsolute, relative, resolve } from "node:path";
import { MstressError, parseVenueProfile, shippedVenuesDirectory, type VenueProfile } from "@mstress/core";
import { readInputFile } from "../input/read-input-file.js";

/** Names of the venue files (without .yaml) in a folder; none when it does not exist. */
function venueNamesIn(directory: string): string[] {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) return [];
  return readdirSync(directory)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => file.slice(0, -".yaml".length))
    .sort();
}

/** Names of the shipped venue profiles (file names without .yaml). */
export function shippedVenueNames(): string[] {
  return venueNamesIn(fileURLToPath(shippedVenuesDirectory));
}

/** The environment variable naming the venues folder for every command (run, validate, replay, sweep too). */
export const venuesDirectoryVariable = "MSTRESS_VENUES_DIR";

/**
 * The folder of the user's own venue files, searched before the shipped ones: `--venues-dir`, else
 * MSTRESS_VENUES_DIR, else `./venues` of the working directory (where `mstress venue import` writes by default).
 */
export function venuesDirectory(option?: string): string {
  const fromEnvironment = process.env[venuesDirectoryVariable];
  return resolve(option ?? (fromEnvironment === undefined || fromEnvironment === "" ? "venues" : fromEnvironment));
}

export function localVenueNames(directory: string): string[] {
  return venueNamesIn(directory);
}

/** A path as messages show it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const fromHere = relative(process.cwd(), path);
  return fromHere === "" || fromHere.startsWith("..") || isAbsolute(fromHere) ? path : fromHere;
}

/** Where a venue reference leads. */
export interface VenueFile {
  readonly path: string;
  /** `local`: the venues folder; `shipped`: packages/core/venues; `path`: a file named directly. */
  readonly origin: "local" | "shipped" | "path";
}

/** The shipped file of a venue (packages/core/venues/<name>.yaml). */
export function shippedVenueFile(name: string): VenueFile {
  return { path: fileURLToPath(new URL(`${name}.yaml`, shippedVenuesDirectory)), origin: "shipped" };
}

/**
 * A venue by name (`binance-usdm`: the venues folder's file first, then the shipped one) or by path to a venue
 * file (YAML or JSON), a relative path being taken from `baseDirectory`. `field` names the input in messages
 * ("--venue", "accounts.0.venue").
 */
export function resolveVenueFile(reference: string, field: string, baseDirectory = process.cwd(), localDirectory = venuesDirectory()): VenueFile {
  const looksLikePath = /[/\\]|\.(ya?ml|json)$/i.test(reference);
  if (looksLikePath) {
    const path = isAbsolute(reference) ? reference : resolve(baseDirectory, reference);
    if (!existsSync(path)) throw new MstressError("E_UNKNOWN_VENUE", `${field}: venue file ${JSON.stringify(reference)} does not exist`);
    return { path, origin: "path" };
  }
  if (localVenueNames(localDirectory).includes(reference)) return { path: resolve(localDirectory, `${reference}.yaml`), origin: "local" };
  if (shippedVenueNames().includes(reference)) return shippedVenueFile(reference);
  const local = localVenueNames(localDirectory);
  throw new MstressError(
    "E_UNKNOWN_VENUE",
    `${field}: expected a shipped venue (${shippedVenueNames().join(", ")}), one in ${displayPath(localDirectory)}/ (${local.length === 0 ? "none there" : local.join(", ")}) or a path to a venue file, got ${JSON.stringify(reference)}`,
  );
}

/**
 * Venue profiles already parsed in this process, by file and text: a run reads its venue file three times (the
 * simulation, the manifest's venue records, the quote currency) and a cold YAML parse costs ~40 ms.
 */
const parsedVenues = new Map<string, VenueProfile>();

/**
 * Parses a venue file (a regular file within the venue size limit, read-input-file.ts); one in the venues folder
 * must be named after its file, as the shipped ones are. `field` names the input in messages.
 */
export function readVenueFile(file: VenueFile, field = "venue"): VenueProfile {
  const origin = file.origin === "shipped" ? file.path : displayPath(file.path);
  const text = readInputFile(file.path, "venue", field);
  const key = `${origin}\n${text}`;
  const profile = parsedVenues.get(key) ?? parseVenueProfile(text, origin);
  parsedVenues.set(key, profile);
  const stem = basename(file.path).replace(/\.(ya?ml|json)$/i, "");
  if (file.origin === "local" && profile.name !== stem) {
    throw new MstressError("E_VENUE_SCHEMA", `${origin}: name: expected ${JSON.stringify(stem)} (the file's name, by which scenarios find it), got ${JSON.stringify(profile.name)}`);
  }
  return profile;
}

/** `resolveVenueFile` then `readVenueFile`: the profile a scenario account or `liq --venue` names. */
export function loadVenue(reference: string, field: string, baseDirectory = process.cwd(), localDirectory = venuesDirectory()): VenueProfile {
  return readVenueFile(resolveVenueFile(reference, field, baseDirectory, localDirectory), field);
}
