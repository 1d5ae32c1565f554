import { MstressError, marginModes, type MarginMode, type Scenario, type VenueProfile } from "@mstress/core";

/**
 * The modes to run: `--modes`, else the scenario's `modes`, else every mode all its venues offer. A mode an
 * unpinned account's venue does not offer is bad input, named by the field that asked for it.
 */
export function runModes(scenario: Scenario, venues: ReadonlyMap<string, VenueProfile>, requested: readonly MarginMode[] | undefined): MarginMode[] {
  const offers = (mode: MarginMode): VenueProfile | undefined =>
    scenario.accounts
      .filter((a) => a.mode === undefined)
      .map((a) => venues.get(a.venue))
      .find((venue) => venue !== undefined && mode === "portfolio" && venue.portfolio === undefined);
  const asked = requested ?? scenario.modes;
  if (asked === undefined) return marginModes.filter((mode) => offers(mode) === undefined);
  for (const mode of asked) {
    const lacking = offers(mode);
    if (lacking !== undefined) {
      throw new MstressError("E_BAD_INPUT", `${requested === undefined ? "modes" : "--modes"}: ${mode} is not offered by venue ${lacking.name} (its profile has no portfolio block); expected a subset of isolated, cross`);
    }
  }
  return [...asked];
}
