import { describe, expect, it } from "vitest";
import { isMstressError } from "../errors/mstress-error.js";
import { parseScenario } from "./parse-scenario.js";

// What a user sees for a mistake in a scenario file: one line per mistake, starting file:line:column, naming the
// field (list items by their name) and what was expected. The base scenario is valid; each case edits one line.
const base = `name: carry
accounts:
  - name: futures
    venue: binance-usdm
    deposit: 10000
legs:
  - name: short-perp
    account: futures
    type: perp
    symbol: BTCUSDT
    side: short
    qty: 1
    isolatedMargin: 3000
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }
market:
  horizon: 30d
  assets:
    BTC:
      price: 60000
      model: { kind: gbm, volatility: 0.5 }
`;

function problems(edit: (text: string) => string): string[] {
  const text = edit(base);
  expect(text).not.toBe(base);
  try {
    parseScenario(text, "carry.yaml");
  } catch (error) {
    if (!isMstressError(error)) throw error;
    expect(error.code).toBe("E_SCENARIO_SCHEMA");
    return error.message.split("\n");
  }
  throw new Error("expected the edited scenario to be rejected");
}

describe("scenario errors", () => {
  it("the base scenario is valid", () => {
    expect(parseScenario(base, "carry.yaml").legs).toHaveLength(2);
  });

  it("a mistyped field is one line at the key, with the field it most likely meant, and no missing-field follow-on", () => {
    // Without the suggestion's read-through, isolatedMargin would also be reported missing (isolated is a mode).
    expect(problems((t) => t.replace("    isolatedMargin: 3000", "    isolatedMagrin: 3000"))).toEqual([
      "carry.yaml:13:5: legs.short-perp.isolatedMagrin: unknown field; did you mean isolatedMargin?",
    ]);
    expect(problems((t) => t.replace("  horizon: 30d", "  horizn: 30d"))).toEqual(["carry.yaml:16:3: market.horizn: unknown field; did you mean horizon?"]);
    expect(problems((t) => t.replace("market:", "markt:"))).toEqual(["carry.yaml:15:1: markt: unknown field; did you mean market?"]);
    // Inside a model the known fields are those of the model's kind (gbm: kind, drift, volatility).
    expect(problems((t) => t.replace("volatility: 0.5", "volatilty: 0.5"))).toEqual(["carry.yaml:20:27: market.assets.BTC.model.volatilty: unknown field; did you mean volatility?"]);
  });

  it("a mistake under a mistyped key is still found, once, where it was written", () => {
    expect(problems((t) => t.replace("  horizon: 30d", "  horizn: 30x"))).toEqual([
      "carry.yaml:16:3: market.horizn: unknown field; did you mean horizon?",
      "carry.yaml:16:11: market.horizn: expected a duration such as 90s, 15m, 1h or 3d (or seconds as a number), at most 3650d",
    ]);
  });

  it("an unknown field with no near neighbour lists the fields that are known there", () => {
    expect(problems((t) => t.replace("    deposit: 10000", "    deposit: 10000\n    colour: blue"))).toEqual([
      "carry.yaml:6:5: accounts.futures.colour: unknown field; expected one of name, venue, deposit, mode",
    ]);
  });

  it("names list items by their name and points at the offending value", () => {
    expect(problems((t) => t.replace("    qty: 1\n", "    qty: -1\n"))).toEqual(["carry.yaml:12:10: legs.short-perp.qty: expected a value >= 1e-8, got -1"]);
    expect(problems((t) => t.replace("qty: 1 }", "qty: lots }"))).toEqual(['carry.yaml:14:83: legs.long-spot.qty: expected a number, got "lots"']);
  });

  it("a near miss of an allowed value says which one", () => {
    expect(problems((t) => t.replace("kind: gbm", "kind: gmb"))).toEqual([
      'carry.yaml:20:22: market.assets.BTC.model.kind: expected one of "gbm", "jump-diffusion", "garch-t", "bootstrap", got "gmb" (did you mean gbm?)',
    ]);
    expect(problems((t) => t.replace("    type: perp", "    type: prep"))).toEqual(['carry.yaml:9:11: legs.short-perp.type: expected one of "perp", "spot", got "prep" (did you mean perp?)']);
  });

  it("says NaN and Infinity (out of range) rather than null", () => {
    expect(problems((t) => t.replace("volatility: 0.5", "volatility: .nan"))).toEqual([
      "carry.yaml:20:39: market.assets.BTC.model.volatility: expected a finite number, got NaN (not a number)",
    ]);
    expect(problems((t) => t.replace("price: 60000", "price: 1e999"))).toEqual([
      "carry.yaml:19:14: market.assets.BTC.price: expected a finite number, got Infinity (out of range: beyond ±1.8e308)",
    ]);
  });

  it("a missing field is said to be missing, at the item that lacks it", () => {
    expect(problems((t) => t.replace("    deposit: 10000\n", ""))).toEqual(["carry.yaml:3:5: accounts.futures.deposit: missing; expected a number"]);
  });
});
