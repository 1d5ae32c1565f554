import { describe, expect, it } from "vitest";
import type { VenueFileRecord } from "./report-input.js";
import { venueAgeNotice } from "./venue-age-section.js";

const fresh: VenueFileRecord = { name: "binance-usdm", file: "venues/binance-usdm.yaml", sha256: "b".repeat(64), asOf: "2026-11-30T00:00:00.000Z", ageDays: 3, maxAgeDays: 90, stale: false };

describe("venueAgeNotice", () => {
  it("says nothing when every venue file was fresh, or when the manifest records none (older runs)", () => {
    expect(venueAgeNotice([fresh])).toBe("");
    expect(venueAgeNotice(undefined)).toBe("");
  });

  it("names each stale or undated file with its age, escaped", () => {
    const stale = { ...fresh, file: "venues/<b>x</b>.yaml", asOf: "2026-01-01", ageDays: 200 };
    const undated: VenueFileRecord = { ...fresh, name: "bybit-linear", file: "packages/core/venues/bybit-linear.yaml", asOf: null, ageDays: null, stale: true };
    const markup = String(venueAgeNotice([fresh, { ...stale, stale: true }, undated]));
    expect(markup).toContain('<section id="venue-age" class="panel">');
    expect(markup).toContain("venues/&#60;b&#62;x&#60;/b&#62;.yaml (binance-usdm): figures as of 2026-01-01, 200 days old when the run started (limit 90).");
    expect(markup).toContain("packages/core/venues/bybit-linear.yaml (bybit-linear): its figures carry no dated asOf, so their age is unknown.");
    expect(markup).not.toContain("3 days");
  });
});
