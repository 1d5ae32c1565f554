import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { MstressError, type ApiResponse, type VenueEndpoint, type VenueImporter } from "@mstress/core";
import { readInputBytes } from "../input/read-input-file.js";

/** The responses found for an import, by endpoint role, and the .json files no endpoint claims. */
export interface SavedResponses {
  readonly byRole: ReadonlyMap<string, readonly ApiResponse[]>;
  readonly ignored: readonly string[];
  readonly count: number;
}

/** `role.json`, or for a paged endpoint also `role-<anything>.json` (risk-limit-2.json, position-tiers-BTC-USDT.json). */
function claims(endpoint: VenueEndpoint, file: string): boolean {
  return file === `${endpoint.role}.json` || (endpoint.many && file.startsWith(`${endpoint.role}-`) && file.endsWith(".json"));
}

function readResponse(directory: string, file: string): ApiResponse {
  const path = join(directory, file);
  // A regular file within the size limit only: a FIFO or a link to /dev/zero named meta.json would never end.
  const bytes = readInputBytes(path, "response", "--from");
  return {
    file,
    text: bytes.toString("utf8"),
    sha256: createHash("sha256").update(bytes).digest("hex"),
    modifiedAt: new Date(Math.floor(statSync(path).mtimeMs)).toISOString(),
  };
}

/**
 * Reads the saved responses an importer needs from `--from`, in file-name order (so pages and per-symbol files
 * are read the same way every time). A required endpoint with no file is bad input naming the file to save.
 */
export function readSavedResponses(directory: string, importer: VenueImporter): SavedResponses {
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw new MstressError("E_BAD_INPUT", `--from: ${JSON.stringify(directory)} is not a directory; expected the folder where the venue's responses were saved (README: Venue files)`);
  }
  const files = readdirSync(directory).filter((file) => file.endsWith(".json")).sort();
  const missing = importer.endpoints.filter((endpoint) => endpoint.required && !files.some((file) => claims(endpoint, file)));
  if (missing.length > 0) {
    throw new MstressError(
      "E_BAD_INPUT",
      missing.map((endpoint) => `--from: ${directory} has no ${endpoint.role}.json; save the response of ${endpoint.request} there (README: Venue files)`).join("\n"),
    );
  }
  const byRole = new Map<string, ApiResponse[]>();
  const ignored: string[] = [];
  let count = 0;
  for (const file of files) {
    const endpoint = importer.endpoints.find((candidate) => claims(candidate, file));
    if (endpoint === undefined) {
      ignored.push(file);
      continue;
    }
    byRole.set(endpoint.role, [...(byRole.get(endpoint.role) ?? []), readResponse(directory, file)]);
    count++;
  }
  return { byRole, ignored, count };
}
