import { dirname, resolve } from "node:path";
import { MstressError, type Scenario, type VenueProfile } from "@mstress/core";
import { loadVenue } from "../venues/load-venue.js";

/**
 * Venue profiles for each account of a scenario, by the reference the scenario uses (a venue file relative to it).
 * A funding `venueOffset` must name a venue an account uses: a misspelt one would otherwise apply to nothing.
 */
export function scenarioVenues(scenario: Scenario, scenarioFile: string): Map<string, VenueProfile> {
  const venues = new Map<string, VenueProfile>();
  scenario.accounts.forEach((account) => {
    if (!venues.has(account.venue)) venues.set(account.venue, loadVenue(account.venue, `accounts.${account.name}.venue`, dirname(resolve(scenarioFile))));
  });
  const names = [...new Set([...venues.values()].map((venue) => venue.name))];
  const problems = Object.entries(scenario.market?.assets ?? {}).flatMap(([asset, spec]) =>
    Object.keys(spec.funding?.venueOffset ?? {})
      .filter((venue) => !names.includes(venue))
      .map((venue) => `${scenarioFile}: market.assets.${asset}.funding.venueOffset: expected a venue an account uses (${names.join(", ")}), got ${JSON.stringify(venue)}`),
  );
  if (problems.length > 0) throw new MstressError("E_SCENARIO_SCHEMA", problems.join("\n"));
  return venues;
}
