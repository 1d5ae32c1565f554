// Bybit linear import from instruments-info and risk-limit pages in the documented shapes (fixtures/README.md).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveBrackets } from "../maintenance-bracket.js";
import { parseVenueProfile } from "../parse-venue-profile.js";
import { bybitImporter } from "./bybit-import.js";
import { fixtureJson, fixtureResponses, inputFailure } from "./fixture-responses.test-support.js";

const shipped = parseVenueProfile(readFileSync(new URL("../../../venues/bybit-linear.yaml", import.meta.url), "utf8"), "bybit-linear.yaml");

const read = (changes: Readonly<Record<string, unknown>> = {}, symbols?: readonly string[]) => bybitImporter.read(fixtureResponses(bybitImporter, changes), symbols);

const failure = (changes: Readonly<Record<string, unknown>>): string => inputFailure(() => read(changes));

type Page = { result: { list: Record<string, unknown>[] } };
/** The second risk-limit page (SOLUSDT's tiers) with one tier's fields changed. */
function solTiersWith(index: number, change: Record<string, unknown>): Page {
  const page = fixtureJson("bybit-linear", "risk-limit-2.json") as Page;
  Object.assign(page.result.list[index] ?? {}, change);
  return page;
}

describe("Bybit import", () => {
  it("imports the trading linear perpetuals that have tiers, and names the one without", () => {
    const result = read();
    expect(result.perpetuals.map((p) => p.symbol)).toEqual(["BTCUSDT", "SOLUSDT"]);
    expect(result.skipped).toEqual([{ symbol: "ETHUSDT", reason: "no tiers in the risk-limit pages" }]);
  });

  it("BTCUSDT's 20 tiers resolve to the shipped table: risk limit = cap, floor = the cap below, mmDeduction = amount", () => {
    const btc = read().perpetuals.find((p) => p.symbol === "BTCUSDT");
    const shippedTiers = shipped.symbols["BTCUSDT"]?.brackets.tiers ?? [];
    // The first tier's mmDeduction is "" (none), which the continuity recursion makes 0, as the shipped file says.
    expect(resolveBrackets("entry-value", btc?.brackets.tiers ?? [])).toEqual(resolveBrackets("entry-value", shippedTiers));
    expect(btc?.brackets.asOf).toBe("2026-11-30T00:00:05.000Z"); // risk-limit.json time 1795996805000
  });

  it("SOLUSDT from the second risk-limit page, and its funding from instruments-info", () => {
    const sol = read().perpetuals.find((p) => p.symbol === "SOLUSDT");
    expect(sol?.brackets.tiers).toEqual([
      { floor: 0, cap: 200000, maxLeverage: 50, maintenanceRate: 0.01 },
      { floor: 200000, cap: 400000, maxLeverage: 33.33, maintenanceRate: 0.015, maintenanceAmount: 1000 },
      { floor: 400000, cap: 600000, maxLeverage: 25, maintenanceRate: 0.02, maintenanceAmount: 3000 },
    ]);
    expect(sol?.brackets.source).toContain("risk-limit-2.json");
    // fundingInterval 240 minutes = 4 h; upper/lowerFundingRate ±0.02.
    expect(sol?.funding).toMatchObject({ intervalHours: 4, cap: 0.02, floor: -0.02, asOf: "2026-11-30T00:00:00.000Z" });
    expect(sol).toMatchObject({ base: "SOL", quote: "USDT", tickSize: 0.01 });
    expect(sol?.fees).toBeUndefined(); // Bybit's market endpoints serve no fee rates
  });

  it("reads rates given in percent, as the documentation's example gives them (0.5 and 1 at 100x)", () => {
    const sol = read({ "risk-limit-2.json": solTiersWith(0, { maintenanceMargin: "1", initialMargin: "2", maxLeverage: "50.00" }) }).perpetuals.find((p) => p.symbol === "SOLUSDT");
    expect(sol?.brackets.tiers[0]?.maintenanceRate).toBe(0.01);
  });

  it.each([
    ["an error body", { "risk-limit.json": { retCode: 10006, retMsg: "Too many visits!", result: {}, retExtInfo: {}, time: 1795996800000 } }, /^risk-limit\.json: \$\.retCode: the venue answered with an error \(retCode 10006: "Too many visits!"\)/],
    ["inverse tiers instead of linear", { "risk-limit-2.json": { ...solTiersWith(0, {}), result: { ...solTiersWith(0, {}).result, category: "inverse" } } }, /^risk-limit-2\.json: \$\.result\.category: expected "linear", got "inverse"/],
    ["a missing maintenanceMargin", { "risk-limit-2.json": solTiersWith(1, { maintenanceMargin: undefined }) }, /^risk-limit-2\.json: \$\.result\.list\[1\]\.maintenanceMargin: expected a number or a numeric string, got nothing/],
    ["overlapping tiers (a risk limit below the one before)", { "risk-limit-2.json": solTiersWith(1, { riskLimitValue: "150000" }) }, /^risk-limit-2\.json: \$\.result\.list\[1\]\.riskLimitValue: SOLUSDT tier 2 ends at 150000; expected a cap above its floor 200000/],
    ["an initial margin that is not 1 / max leverage", { "risk-limit-2.json": solTiersWith(2, { initialMargin: "0.5" }) }, /^risk-limit-2\.json: \$\.result\.list\[2\]\.initialMargin: SOLUSDT tier id 3 has initialMargin 0\.5 at maxLeverage 25/],
  ])("bad input: %s names the file and the JSON path", (_, changes, message) => {
    expect(failure(changes)).toMatch(message);
  });
});
