import { html, type SafeHtml } from "../html/safe-html.js";
import type { VenueFileRecord } from "./report-input.js";

/**
 * A warning panel when a venue file the run read was older than the limit (or undated) when the run started,
 * naming the file: its brackets, fees and funding caps may no longer be the venue's. Nothing otherwise.
 */
export function venueAgeNotice(venues: readonly VenueFileRecord[] | undefined): SafeHtml | "" {
  const stale = (venues ?? []).filter((venue) => venue.stale);
  if (stale.length === 0) return "";
  const line = (venue: VenueFileRecord): string =>
    venue.asOf === null || venue.ageDays === null
      ? `${venue.file} (${venue.name}): its figures carry no dated asOf, so their age is unknown.`
      : `${venue.file} (${venue.name}): figures as of ${venue.asOf}, ${String(venue.ageDays)} days old when the run started (limit ${String(venue.maxAgeDays)}).`;
  return html`<section id="venue-age" class="panel"><h2>Venue figures may be stale</h2><ul class="notes">${stale.map((venue) => html`<li>${line(venue)}</li>`)}</ul>
<p class="muted">Brackets, fees and funding caps change often; refresh the file from the venue's API with <code>mstress venue import</code> and run again.</p></section>`;
}
