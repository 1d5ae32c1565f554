// The route's rules (`policies:`), tested through parseScenario as a user meets them: a valid set parses with its
// defaults, and each bad policy is rejected with one line naming the field under `policies`.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isMstressError } from "../errors/mstress-error.js";
import { parseScenario } from "./parse-scenario.js";

type Fields = Record<string, unknown>;

function text(policies: Fields[], extra: Fields = {}): string {
  return stringify({
    name: "rules",
    accounts: [
      { name: "futures", venue: "binance-usdm", deposit: 10_000 },
      { name: "reserve", venue: "binance-usdm", deposit: 5_000 },
    ],
    legs: [
      { name: "short-perp", account: "futures", type: "perp", symbol: "BTCUSDT", side: "short", qty: 1, isolatedMargin: 3000 },
      { name: "long-spot", account: "futures", type: "spot", asset: "BTC", side: "long", qty: 1 },
    ],
    routes: [{ name: "carry", legs: ["short-perp", "long-spot"] }],
    modes: ["isolated", "cross"],
    policies,
    market: { horizon: "1d", step: "1h", assets: { BTC: { price: 60_000, model: { kind: "gbm", volatility: 0.5 } } } },
    ...extra,
  });
}

const topUp: Fields = { kind: "topUp", leg: "short-perp", when: { distanceBelow: 0.03 }, add: { amount: 1000 }, from: "account:reserve", delay: "30m", maxTotal: 5000 };

function problems(policies: Fields[], extra: Fields = {}): string[] {
  try {
    parseScenario(text(policies, extra), "rules.yaml");
  } catch (error) {
    if (isMstressError(error)) return error.message.split("\n");
    throw error;
  }
  return [];
}

function expectProblem(policies: Fields[], path: string, fragment: string): void {
  const lines = problems(policies);
  const line = lines.find((l) => l.includes(`${path}:`));
  expect(line, `expected a problem at ${path}, got:\n${lines.join("\n")}`).toBeDefined();
  expect(line).toContain(fragment);
}

describe("policies: a valid set", () => {
  it("parses with durations in seconds and the defaults filled in", () => {
    const scenario = parseScenario(text([topUp, { kind: "unwind" }, { kind: "exit", when: { fundingBelow: 0, settlements: 3 } }, { kind: "deRisk", when: { distanceBelow: 0.02 }, reduce: "close" }]), "rules.yaml");
    expect(scenario.policies).toHaveLength(4);
    expect(scenario.policies[0]).toMatchObject({ kind: "topUp", delay: 1800, cooldown: 0, fee: 0, maxTotal: 5000 });
    expect(scenario.policies[1]).toMatchObject({ kind: "unwind", delay: 0 });
    expect(scenario.costs.slippage).toEqual({ bps: 0, bpsPerMillion: 0 });
  });

  it("defaults to no policies", () => {
    expect(parseScenario(text([]), "rules.yaml").policies).toEqual([]);
  });
});

describe("policies: bad input, one line naming the field", () => {
  it("rejects an unknown leg and a spot leg as the watched leg", () => {
    expectProblem([{ ...topUp, leg: "short-prep" }], "policies.0.leg", "expected a perp leg (short-perp)");
    expectProblem([{ ...topUp, leg: "long-spot" }], "policies.0.leg", "expected a perp leg");
  });

  it("rejects both or neither of leg and account, and an account holding no perp", () => {
    expectProblem([{ ...topUp, account: "futures" }], "policies.0", "exactly one of leg (a perp leg) or account");
    const withoutLeg = Object.fromEntries(Object.entries(topUp).filter(([key]) => key !== "leg"));
    expectProblem([withoutLeg], "policies.0", "exactly one of leg");
    expectProblem([{ ...withoutLeg, account: "reserve", from: "free-balance", delay: 0 }], "policies.0.account", "expected an account holding a perp leg (futures)");
  });

  it("rejects a negative or zero amount and a distance outside (0, 1)", () => {
    expectProblem([{ ...topUp, add: { amount: -1000 } }], "policies.0.add.amount", "expected a value > 0");
    expectProblem([{ ...topUp, when: { distanceBelow: 1.2 } }], "policies.0.when.distanceBelow", "expected a fraction of the mark in (0, 1), such as 0.03 for 3 %, got 1.2");
    expectProblem([{ ...topUp, when: { distanceBelow: 0 } }], "policies.0.when.distanceBelow", "expected a fraction of the mark in (0, 1), such as 0.03 for 3 %, got 0");
    expectProblem([{ kind: "deRisk", when: { distanceBelow: 0.02 }, reduce: 1.5 }], "policies.0.reduce", "expected a fraction of each leg in (0, 1), such as 0.5, or close, got 1.5");
  });

  it("gives one line for one typo: a distance out of range is not also compared with the other distance", () => {
    // distanceBelow 1.5 was also reported as a toDistance (0.08) not above it; toDistance 0 as not above 0.03.
    const oneLine = (policy: Fields, line: string): void => {
      const lines = problems([policy]);
      expect(lines).toHaveLength(1);
      expect(lines[0]?.replace(/^rules\.yaml:\d+:\d+: /, "")).toBe(line);
    };
    oneLine({ ...topUp, when: { distanceBelow: 1.5 }, add: { toDistance: 0.08 } }, "policies.0.when.distanceBelow: expected a fraction of the mark in (0, 1), such as 0.03 for 3 %, got 1.5");
    oneLine({ ...topUp, add: { toDistance: 0 } }, "policies.0.add.toDistance: expected a fraction of the mark in (0, 1), such as 0.03 for 3 %, got 0");
  });

  it("rejects a source that names a missing account, the topped-up account itself, or a non-spot leg", () => {
    expectProblem([{ ...topUp, from: "account:treasury" }], "policies.0.from", "account:<one of futures, reserve>");
    expectProblem([{ ...topUp, from: "account:futures" }], "policies.0.from", "another account");
    expectProblem([{ ...topUp, from: "sell-spot:short-perp", delay: 0 }], "policies.0.from", "a spot leg: long-spot");
    expectProblem([{ ...topUp, from: "the-bank" }], "policies.0.from", "free-balance, account:<name> or sell-spot:<spot leg>");
  });

  it("rejects a delay or fee on a source that is not a transfer, and a target distance not above the trigger", () => {
    expectProblem([{ ...topUp, from: "free-balance" }], "policies.0.delay", "applies only to a transfer");
    expectProblem([{ ...topUp, add: { toDistance: 0.02 } }], "policies.0.add.toDistance", "expected more than when.distanceBelow (0.03)");
  });

  it("rejects an unknown route, a mode the scenario does not compare, a duplicate name and an unknown kind", () => {
    expectProblem([{ kind: "unwind", route: "cary" }], "policies.0.route", "expected one of the routes (carry)");
    expectProblem([{ kind: "unwind", modes: ["portfolio"] }], "policies.0.modes.0", "expected one of the scenario's modes (isolated, cross)");
    expectProblem([{ kind: "unwind", name: "u" }, { kind: "exit", name: "u", when: { pnlBelow: -1000 } }], "policies.u.name", 'policy name "u" is used twice');
    expect(problems([{ kind: "hedge" }]).join("\n")).toContain("policies.0.kind");
  });

  it("rejects an ADL of a leg that is not a perp", () => {
    const lines = problems([], { market: { horizon: "1d", step: "1h", assets: { BTC: { price: 60_000, model: { kind: "gbm", volatility: 0.5 } } }, stress: [{ at: "3h", adl: { legs: ["long-spot"] } }] } });
    expect(lines.some((l) => l.includes("market.stress.0.adl.legs.0:") && l.includes("expected a perp leg (short-perp)"))).toBe(true);
  });
});
