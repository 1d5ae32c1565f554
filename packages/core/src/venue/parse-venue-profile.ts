import { parse } from "yaml";
import { describeZodIssue } from "../errors/describe-zod-issue.js";
import { MstressError } from "../errors/mstress-error.js";
import { venueProfileSchema, type VenueProfile } from "./venue-profile.js";

/**
 * Parses and validates a venue profile from YAML (or JSON, a subset) text. `origin` names the file in messages.
 * Throws an MstressError listing every problem, one line each.
 */
export function parseVenueProfile(text: string, origin: string): VenueProfile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new MstressError("E_VENUE_SCHEMA", `${origin}: not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error)}`);
  }
  const result = venueProfileSchema.safeParse(raw);
  if (!result.success) {
    throw new MstressError("E_VENUE_SCHEMA", result.error.issues.map((issue) => `${origin}: ${describeZodIssue(issue, raw)}`).join("\n"));
  }
  return result.data;
}
