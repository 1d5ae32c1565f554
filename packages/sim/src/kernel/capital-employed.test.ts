import { readFileSync } from "node:fs";
import { parseScenario, parseVenueProfile, type VenueProfile } from "@mstress/core";
import { describe, expect, it } from "vitest";
import { ScriptedPath } from "../models/scripted-path.js";
import { replayScenario, type ReplayModeResult } from "../replay/replay-route.js";
import { scenarioAssets } from "../route/open-route.js";

// Capital employed on a flat path (nothing happens after the route opens), worked by hand from the definition in
// docs/methodology.md: spot cost + the margin the mode commits + the fees paid to open + the policies' reserves.
// Binance's taker fee is 0.05 %, so opening a 1 BTC short at 60,000 costs 30.

const binance = parseVenueProfile(readFileSync(new URL("../../../core/venues/binance-usdm.yaml", import.meta.url), "utf8"), "binance-usdm.yaml");
const venues = new Map<string, VenueProfile>([["binance-usdm", binance]]);

const twoAccounts = "[{ name: futures, venue: binance-usdm, deposit: 10000 }, { name: reserve, venue: binance-usdm, deposit: 5000 }]";
const carryLegs = `
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }`;

function employed(body: { accounts?: string; legs?: string; fees?: boolean; policies?: string }): Map<string, number> {
  const text = `name: capital
accounts: ${body.accounts ?? twoAccounts}
legs: ${body.legs ?? carryLegs}
modes: [isolated, cross, portfolio]
costs: { fees: ${String(body.fees ?? false)}, funding: false, closeAtHorizon: false }
policies: ${body.policies ?? "[]"}
path:
  step: 1h
  points: [{ t: 0, price: 60000 }, { t: 1h, price: 60000 }]
`;
  const scenario = parseScenario(text, "capital.yaml");
  const spec = scenario.path;
  if (spec?.points === undefined) throw new Error("test scenarios use points");
  const path = new ScriptedPath(spec.points, scenarioAssets(scenario, venues), { basis: spec.basis, funding: spec.funding });
  const results: ReplayModeResult[] = replayScenario({ scenario, venues, path }, ["isolated", "cross", "portfolio"], true);
  return new Map(results.map((r) => [r.label, r.capitalEmployed]));
}

describe("capital employed: one basis for every mode", () => {
  it("counts the spot's cost in every mode, then the allocation (isolated) or the wallet backing the perps (cross, portfolio)", () => {
    const capital = employed({});
    // The reserve account holds no perps and no policy draws on it: its $5,000 is not the route's.
    expect(capital.get("isolated")).toBe(60_000 + 3000);
    expect(capital.get("cross")).toBe(60_000 + 10_000);
    expect(capital.get("portfolio")).toBe(60_000 + 10_000);
  });

  it("adds the fee paid to open, so cross and portfolio employ the deposit and isolated its allocation plus the fee", () => {
    const capital = employed({ fees: true });
    expect(capital.get("isolated")).toBeCloseTo(60_000 + 3000 + 30, 9);
    // The wallet after the fee (9,970) plus the fee.
    expect(capital.get("cross")).toBeCloseTo(70_000, 9);
    expect(capital.get("portfolio")).toBeCloseTo(70_000, 9);
  });

  it("counts spot held in an account without perps, but not that account's cash", () => {
    const capital = employed({
      accounts: "[{ name: futures, venue: binance-usdm, deposit: 10000 }, { name: spot, venue: binance-usdm, deposit: 2000 }]",
      legs: `
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
  - { name: long-spot, account: spot, type: spot, asset: BTC, side: long, qty: 1 }`,
    });
    expect(capital.get("isolated")).toBe(60_000 + 3000);
    expect(capital.get("cross")).toBe(60_000 + 10_000);
  });

  it("adds, with policies, the reserve a top-up may draw on (at most its maxTotal), and none to the passive baseline", () => {
    const fromReserve = employed({ policies: "[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: account:reserve, maxTotal: 2000 }]" });
    for (const mode of ["isolated", "cross", "portfolio"]) {
      const passive = fromReserve.get(`${mode}-passive`) ?? Number.NaN;
      expect(fromReserve.get(mode), mode).toBe(passive + 2000);
    }
    const wholeReserve = employed({ policies: "[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: account:reserve }]" });
    expect(wholeReserve.get("isolated")).toBe(60_000 + 3000 + 5000);
  });

  it("counts an isolated account's free balance a top-up may draw on; in cross that balance is already counted", () => {
    const capital = employed({ policies: "[{ kind: topUp, leg: short-perp, when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: free-balance, maxTotal: 5000 }]" });
    // Isolated: 10,000 - 3,000 allocated leaves 7,000 free, of which the policy may take 5,000.
    expect(capital.get("isolated")).toBe(60_000 + 3000 + 5000);
    expect(capital.get("cross")).toBe(60_000 + 10_000);
  });
});
