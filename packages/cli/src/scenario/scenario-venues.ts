import { dirname, resolve } from "node:path";
import type { Scenario, VenueProfile } from "@mstress/core";
import { loadVenue } from "../venues/load-venue.js";

/** Venue profiles for each account of a scenario, by the reference the scenario uses (a venue file relative to it). */
export function scenarioVenues(scenario: Scenario, scenarioFile: string): Map<string, VenueProfile> {
  const venues = new Map<string, VenueProfile>();
  scenario.accounts.forEach((account, index) => {
    if (!venues.has(account.venue)) venues.set(account.venue, loadVenue(account.venue, `accounts.${index}.venue`, dirname(resolve(scenarioFile))));
  });
  return venues;
}
