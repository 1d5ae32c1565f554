import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isAbsolute, resolve } from "node:path";
import { MstressError, parseVenueProfile, shippedVenuesDirectory, type VenueProfile } from "@mstress/core";
import { readInputFile } from "../input/read-input-file.js";

/** Names of the shipped venue profiles (file names without .yaml). */
export function shippedVenueNames(): string[] {
  return readdirSync(shippedVenuesDirectory)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => file.slice(0, -".yaml".length))
    .sort();
}

/**
 * A venue by shipped name (e.g. "binance-usdm") or by path to a venue file (YAML or JSON), a relative path being
 * taken from `baseDirectory`. `field` names the input in error messages ("--venue", "accounts.0.venue").
 */
export function loadVenue(reference: string, field: string, baseDirectory = process.cwd()): VenueProfile {
  const looksLikePath = /[/\\]|\.(ya?ml|json)$/i.test(reference);
  if (!looksLikePath) {
    if (!shippedVenueNames().includes(reference)) {
      throw new MstressError("E_UNKNOWN_VENUE", `${field}: expected a shipped venue (${shippedVenueNames().join(", ")}) or a path to a venue file, got ${JSON.stringify(reference)}`);
    }
    const file = new URL(`${reference}.yaml`, shippedVenuesDirectory);
    return parseVenueProfile(readFileSync(file, "utf8"), fileURLToPath(file));
  }
  const path = isAbsolute(reference) ? reference : resolve(baseDirectory, reference);
  return parseVenueProfile(readInputFile(path, "venue", field), reference);
}
