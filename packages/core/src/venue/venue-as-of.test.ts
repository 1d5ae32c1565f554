import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseVenueProfile } from "./parse-venue-profile.js";
import { asOfTime, venueAge, venueAgeWarning, venueAsOf } from "./venue-as-of.js";
import type { VenueProfile } from "./venue-profile.js";

const shipped = (name: string): VenueProfile => parseVenueProfile(readFileSync(new URL(`../../venues/${name}.yaml`, import.meta.url), "utf8"), name);
const day = 86_400_000;

/** The shipped Binance profile with its brackets re-dated: BTCUSDT as `btc`, ETHUSDT as `eth`. */
function dated(btc: string, eth: string): VenueProfile {
  const binance = shipped("binance-usdm");
  const redate = (symbol: string, asOf: string) => {
    const spec = binance.symbols[symbol];
    if (spec === undefined) throw new Error(symbol);
    return { ...spec, brackets: { ...spec.brackets, asOf } };
  };
  return { ...binance, symbols: { BTCUSDT: redate("BTCUSDT", btc), ETHUSDT: redate("ETHUSDT", eth) } };
}

describe("asOfTime", () => {
  it("reads ISO dates and date-times, and nothing else", () => {
    expect(asOfTime("2024-10-24")).toBe(Date.UTC(2024, 9, 24));
    expect(asOfTime("2026-11-30T08:00:00.000Z")).toBe(Date.UTC(2026, 10, 30, 8));
    expect(asOfTime("undated (venues snapshot)")).toBeNull();
    expect(asOfTime("n/a (assumed pattern)")).toBeNull();
    expect(asOfTime("2024-13-45")).toBeNull();
  });
});

describe("venueAsOf and venueAge", () => {
  it("a file is as old as its oldest dated figure", () => {
    expect(venueAsOf(dated("2026-11-30T00:00:00.000Z", "2026-10-01"))).toBe("2026-10-01");
    expect(venueAsOf(shipped("binance-usdm"))).toBe("2024-10-24");
  });

  it("counts whole days and calls a file stale past the limit", () => {
    const profile = dated("2026-09-01", "2026-09-01");
    const now = Date.UTC(2026, 8, 1) + 90 * day + day / 2; // 90.5 days later: 90 whole days, not stale at 90
    expect(venueAge(profile, now, 90)).toEqual({ asOf: "2026-09-01", ageDays: 90, stale: false });
    expect(venueAge(profile, now + day, 90)).toEqual({ asOf: "2026-09-01", ageDays: 91, stale: true });
    expect(venueAge(profile, now + day, 120).stale).toBe(false);
  });

  it("an undated file is stale: its age cannot be vouched for", () => {
    // The shipped Bybit file's brackets say "undated (...)" and its other groups carry no asOf.
    expect(venueAge(shipped("bybit-linear"), Date.UTC(2026, 0, 1), 90)).toEqual({ asOf: null, ageDays: null, stale: true });
  });

  it("warns in one line naming the file, and not at all when fresh", () => {
    const profile = dated("2026-01-01", "2026-01-01");
    const stale = venueAge(profile, Date.UTC(2026, 3, 11), 90); // 100 days
    expect(venueAgeWarning("venues/binance-usdm.yaml", stale, 90)).toBe(
      "warning: venues/binance-usdm.yaml: its venue figures are as of 2026-01-01, 100 days old (more than 90); refresh it with `mstress venue import` (README: Venue files)",
    );
    expect(venueAgeWarning("x.yaml", venueAge(profile, Date.UTC(2026, 0, 11), 90), 90)).toBeNull();
    expect(venueAgeWarning("y.yaml", { asOf: null, ageDays: null, stale: true }, 90)).toMatch(/^warning: y\.yaml: its venue figures carry no dated asOf/);
  });
});
