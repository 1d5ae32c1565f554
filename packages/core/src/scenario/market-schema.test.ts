// The Monte Carlo market block of a scenario (`market:`), tested through parseScenario as a user meets it: the
// shipped scenario parses with durations in seconds, and each invalid market is rejected with one line per
// problem naming the field path under `market`.
// The rule keeping core free of file-system access is for domain code; this test reads a shipped scenario file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { isMstressError } from "../errors/mstress-error.js";
import { maxExpectedJumpsPerStep } from "./market-schema.js";
import { notPsd, psd, singularNotPsd, singularPsd } from "../statistics/correlation-matrices.test-support.js";
import { parseScenario } from "./parse-scenario.js";
import type { Scenario } from "./scenario-schema.js";

type Fields = Record<string, unknown>;

const ORIGIN = "test.yaml";

const perpLeg: Fields = { name: "short-perp", account: "futures", type: "perp", symbol: "BTCUSDT", side: "short", qty: 1 };
const spotLeg = (asset: string): Fields => ({ name: "long-spot", account: "futures", type: "spot", asset, side: "long", qty: 1 });

/** A scenario's YAML text: one account, a short BTC perp and a long spot leg, cross margin only. */
function scenarioText(sections: Fields, legs: Fields[] = [perpLeg, spotLeg("BTC")]): string {
  return stringify({
    name: "market-test",
    accounts: [{ name: "futures", venue: "binance-usdm", deposit: 10_000 }],
    legs,
    modes: ["cross"],
    ...sections,
  });
}

const gbm: Fields = { kind: "gbm", volatility: 0.5 };

/** A one-day, hourly market of BTC alone; `btc` overrides fields of the BTC asset, `market` of the market. */
function btcMarket(btc: Fields = {}, market: Fields = {}): Fields {
  return { horizon: "1d", step: "1h", assets: { BTC: { price: 60_000, model: gbm, ...btc } }, ...market };
}

/** BTC, ETH and SOL under GBM, with the given correlation block. */
function threeAssetMarket(correlation: Fields): Fields {
  return {
    horizon: "1d",
    step: "1h",
    assets: {
      BTC: { price: 60_000, model: gbm },
      ETH: { price: 3_000, model: { kind: "gbm", volatility: 0.7 } },
      SOL: { price: 150, model: { kind: "gbm", volatility: 0.9 } },
    },
    correlation,
  };
}

function jumpDiffusion(jumps: Fields): Fields {
  return { kind: "jump-diffusion", volatility: 0.5, jumps };
}

function parseMarket(market: Fields, legs?: Fields[]): Scenario {
  return parseScenario(scenarioText({ market }, legs), ORIGIN);
}

/** The lines of the schema error parsing `text` throws; each must start with the origin. */
function problemsOf(text: string): string[] {
  let caught: unknown;
  try {
    parseScenario(text, ORIGIN);
  } catch (error) {
    caught = error;
  }
  if (!isMstressError(caught)) throw new Error(`expected an MstressError, got ${String(caught)}`);
  expect(caught.code).toBe("E_SCENARIO_SCHEMA");
  // Each line starts with the origin and the field's line and column in the YAML; the tests below read past them.
  const lines = caught.message.split("\n");
  for (const line of lines) expect(line, line).toMatch(/^test\.yaml:\d+:\d+: /);
  return lines.map((line) => line.replace(/^test\.yaml:\d+:\d+: /, `${ORIGIN}: `));
}

/** The one problem line for the field `path` (e.g. `market.horizon`), checked to contain each fragment. */
function problemAt(lines: readonly string[], path: string, ...fragments: string[]): string {
  const matching = lines.filter((line) => line.startsWith(`${ORIGIN}: ${path}: `));
  expect(matching, `a problem at ${path} among:\n${lines.join("\n")}`).toHaveLength(1);
  const line = matching[0] ?? "";
  for (const fragment of fragments) expect(line).toContain(fragment);
  return line;
}

function expectMarketProblem(market: Fields, path: string, ...fragments: string[]): string {
  return problemAt(problemsOf(scenarioText({ market })), path, ...fragments);
}

describe("the shipped funding-arb-btc scenario", () => {
  const text = readFileSync(new URL("../../../../scenarios/funding-arb-btc.yaml", import.meta.url), "utf8");
  const scenario = parseScenario(text, "funding-arb-btc.yaml");

  it("parses, with the market's durations in seconds", () => {
    const market = scenario.market;
    if (market === undefined) throw new Error("expected a market");
    expect(market.horizon).toBe(30 * 86_400);
    expect(market.horizon).toBe(2_592_000);
    // It leaves market.step to "auto": 30 d is a whole number of 8 h steps, 6 jumps a year each way expect
    // 6 x 8 / 8,760 = 0.0055 a step (under 0.5), and it has no policies, regime, overlays or ADL: so 8 h.
    expect(market.step).toBe(8 * 3_600);
    expect(market.stepAuto).toContain("8h");
    expect(market.stress).toEqual([]);
    const btc = market.assets.BTC;
    if (btc === undefined) throw new Error("expected BTC among the assets");
    expect(btc.price).toBe(60_000);
    expect(btc.basis?.halfLife).toBe(6 * 3_600);
    expect(btc.funding?.halfLife).toBe(2 * 86_400);
    expect(btc.funding?.returnCoupling).toBe(0.005);
    expect(btc.funding?.venueOffset).toEqual({});
  });

  it("keeps the jump-diffusion model with its up and down legs", () => {
    const model = scenario.market?.assets.BTC?.model;
    if (model?.kind !== "jump-diffusion") throw new Error(`expected a jump-diffusion, got ${model?.kind ?? "none"}`);
    expect(model.volatility).toBe(0.5);
    expect(model.jumps.up).toEqual({ intensity: 6, mean: 0.04, stdDev: 0.02 });
    expect(model.jumps.down).toEqual({ intensity: 6, mean: -0.05, stdDev: 0.03 });
  });
});

describe("market schema: price models", () => {
  it("accepts the minimal market and applies the defaults", () => {
    const market = parseMarket({ horizon: "1d", assets: { BTC: { price: 60_000, model: gbm } } }).market;
    // "auto": 1 d is three 8 h steps, and a GBM has nothing a coarse step would blur.
    expect(market?.step).toBe(8 * 3_600);
    expect(market?.horizon).toBe(86_400);
    expect(market?.assets.BTC?.model).toEqual({ kind: "gbm", drift: 0, volatility: 0.5 });
  });

  it("rejects a negative volatility, naming the field", () => {
    const line = expectMarketProblem(btcMarket({ model: { kind: "gbm", volatility: -0.5 } }), "market.assets.BTC.model.volatility");
    expect(line).toBe("test.yaml: market.assets.BTC.model.volatility: expected a value > 0, got -0.5");
  });

  it("rejects GARCH with alpha + beta >= 1 at beta, and accepts a stationary one", () => {
    const garch = (alpha: number, beta: number): Fields => ({ kind: "garch-t", volatility: 0.6, alpha, beta, degreesOfFreedom: 4 });
    expectMarketProblem(btcMarket({ model: garch(0.1, 0.9) }), "market.assets.BTC.model.beta", "alpha + beta < 1", "0.1 + 0.9");
    expectMarketProblem(btcMarket({ model: garch(0.3, 0.8) }), "market.assets.BTC.model.beta", "alpha + beta < 1");
    expect(parseMarket(btcMarket({ model: garch(0.1, 0.85) })).market?.assets.BTC?.model.kind).toBe("garch-t");
  });

  it("rejects GARCH-t with degreesOfFreedom <= 2 (no variance)", () => {
    const garch = (degreesOfFreedom: number): Fields => ({ kind: "garch-t", volatility: 0.6, alpha: 0.1, beta: 0.85, degreesOfFreedom });
    expectMarketProblem(btcMarket({ model: garch(2) }), "market.assets.BTC.model.degreesOfFreedom", "> 2", "got 2");
    expectMarketProblem(btcMarket({ model: garch(1.5) }), "market.assets.BTC.model.degreesOfFreedom", "> 2", "got 1.5");
    expect(parseMarket(btcMarket({ model: garch(2.5) })).market).toBeDefined();
  });

  it("rejects a zero basis or funding half-life", () => {
    expectMarketProblem(btcMarket({ basis: { mean: 0, stdDev: 0.001, halfLife: 0 } }), "market.assets.BTC.basis.halfLife", "positive duration");
    expectMarketProblem(btcMarket({ funding: { mean: 0.0001, stdDev: 0.0001, halfLife: "0h" } }), "market.assets.BTC.funding.halfLife", "positive duration");
    expect(parseMarket(btcMarket({ funding: { mean: 0.0001, stdDev: 0.0001, halfLife: "90m" } })).market?.assets.BTC?.funding?.halfLife).toBe(5_400);
  });
});

describe("market schema: jumps", () => {
  // 10,000 jumps a year over an hour: 10000 * 3600 / (365 * 86400) = 1.14 expected jumps per step.
  const frequentUp = jumpDiffusion({ up: { intensity: 10_000, mean: 0.01, stdDev: 0.01 } });

  it("rejects an intensity giving more than half a jump per step, naming the step", () => {
    expect(10_000 * 3_600 / (365 * 86_400)).toBeGreaterThan(maxExpectedJumpsPerStep);
    expectMarketProblem(btcMarket({ model: frequentUp }), "market.assets.BTC.model.jumps.up.intensity", "3600s step", "market.step", "1.14");
  });

  it("accepts the same intensity with a one-minute step", () => {
    const model = parseMarket(btcMarket({ model: frequentUp }, { step: "1m" })).market?.assets.BTC?.model;
    expect(model?.kind).toBe("jump-diffusion");
  });

  it("counts the regime's jump-intensity multiplier against the step", () => {
    // 1,000 a year over an hour is 0.114 per step; five times that in stress is 0.571.
    const model = jumpDiffusion({ down: { intensity: 1_000, mean: -0.05, stdDev: 0.02 } });
    expect(parseMarket(btcMarket({ model })).market).toBeDefined();
    const regime = { calmToStress: 4, stressToCalm: 50, jumpIntensityMultiplier: 5 };
    expectMarketProblem(btcMarket({ model }, { regime }), "market.assets.BTC.model.jumps.down.intensity", "stress multiplier 5", "0.571");
  });

  it("rejects an up-jump with a negative mean and a down-jump with a positive mean", () => {
    const lines = problemsOf(
      scenarioText({
        market: btcMarket({
          model: jumpDiffusion({ up: { intensity: 6, mean: -0.04, stdDev: 0.02 }, down: { intensity: 6, mean: 0.05, stdDev: 0.03 } }),
        }),
      }),
    );
    expect(lines).toHaveLength(2);
    problemAt(lines, "market.assets.BTC.model.jumps.up.mean", "non-negative");
    problemAt(lines, "market.assets.BTC.model.jumps.down.mean", "non-positive");
  });
});

describe("market schema: correlation", () => {
  it("rejects a matrix that is not positive semi-definite", () => {
    expectMarketProblem(threeAssetMarket({ assets: ["BTC", "ETH", "SOL"], matrix: notPsd }), "market.correlation.matrix", "positive semi-definite");
  });

  it("rejects a non-PSD correlation matrix with a zero pivot", () => {
    expectMarketProblem(threeAssetMarket({ assets: ["BTC", "ETH", "SOL"], matrix: singularNotPsd }), "market.correlation.matrix", "positive semi-definite");
  });

  it("accepts a positive definite matrix and a singular one with correlation 1", () => {
    for (const matrix of [psd, singularPsd]) {
      const market = parseMarket(threeAssetMarket({ assets: ["BTC", "ETH", "SOL"], matrix })).market;
      expect(market?.correlation).toEqual({ assets: ["BTC", "ETH", "SOL"], matrix });
    }
  });

  it("accepts a correlation over a subset of the assets, in any order", () => {
    const matrix = [
      [1, -0.4],
      [-0.4, 1],
    ];
    expect(parseMarket(threeAssetMarket({ assets: ["SOL", "BTC"], matrix })).market?.correlation?.assets).toEqual(["SOL", "BTC"]);
  });

  it("rejects a non-symmetric matrix at the entry above the diagonal", () => {
    const matrix = [
      [1, 0.5, 0.3],
      [0.4, 1, 0.2],
      [0.3, 0.2, 1],
    ];
    expectMarketProblem(threeAssetMarket({ assets: ["BTC", "ETH", "SOL"], matrix }), "market.correlation.matrix.0.1", "symmetric", "0.5 vs 0.4");
  });

  it("rejects a matrix of the wrong size, or ragged", () => {
    const twoByTwo = [
      [1, 0.5],
      [0.5, 1],
    ];
    expectMarketProblem(threeAssetMarket({ assets: ["BTC", "ETH", "SOL"], matrix: twoByTwo }), "market.correlation.matrix", "3x3");
    const ragged = [[1, 0.5, 0.3], [0.5, 1], [0.3, 0.2, 1]];
    expectMarketProblem(threeAssetMarket({ assets: ["BTC", "ETH", "SOL"], matrix: ragged }), "market.correlation.matrix", "3x3");
  });

  it("rejects a diagonal entry other than 1", () => {
    const matrix = [
      [1, 0.5, 0.3],
      [0.5, 0.9, 0.2],
      [0.3, 0.2, 1],
    ];
    expectMarketProblem(threeAssetMarket({ assets: ["BTC", "ETH", "SOL"], matrix }), "market.correlation.matrix.1.1", "1 on the diagonal", "got 0.9");
  });

  it("rejects an entry outside [-1, 1]", () => {
    const matrix = [
      [1, 1.5],
      [1.5, 1],
    ];
    const lines = problemsOf(scenarioText({ market: threeAssetMarket({ assets: ["BTC", "ETH"], matrix }) }));
    problemAt(lines, "market.correlation.matrix.0.1", "<= 1", "got 1.5");
    problemAt(lines, "market.correlation.matrix.1.0", "<= 1", "got 1.5");
  });

  it("rejects an asset the market does not model, and an asset listed twice", () => {
    expectMarketProblem(threeAssetMarket({ assets: ["BTC", "ETH", "DOGE"], matrix: psd }), "market.correlation.assets.2", "BTC, ETH, SOL", '"DOGE"');
    expectMarketProblem(threeAssetMarket({ assets: ["BTC", "BTC", "SOL"], matrix: psd }), "market.correlation.assets", "each asset once");
  });
});

describe("market schema: horizon and step", () => {
  it("rejects a horizon that is not a whole number of steps", () => {
    expectMarketProblem(btcMarket({}, { horizon: "1d", step: "7h" }), "market.horizon", "whole number of steps", "25200s");
  });

  it("rejects a horizon shorter than one step", () => {
    expectMarketProblem(btcMarket({}, { horizon: "30m", step: "1h" }), "market.horizon", "at least one step", "3600s");
  });

  it("accepts a horizon of whole steps given in different units", () => {
    const market = parseMarket(btcMarket({}, { horizon: "1.5h", step: "15m" })).market;
    expect(market?.horizon).toBe(5_400);
    expect(market?.step).toBe(900);
  });
});

describe("market schema: stress overlays", () => {
  const withStress = (...stress: Fields[]): Fields => btcMarket({}, { stress });

  it("accepts an overlay inside the horizon, converting its durations", () => {
    const stress = parseMarket(withStress({ at: "12h", over: "1h", move: -0.2, funding: "floor" })).market?.stress;
    expect(stress).toEqual([{ at: 43_200, over: 3_600, move: -0.2, funding: "floor" }]);
  });

  it("rejects an overlay ending after the horizon", () => {
    expectMarketProblem(withStress({ at: "23h", over: "2h", move: 0.12 }), "market.stress.0.over", "horizon (86400s)", "ends at 90000s");
  });

  it("rejects an overlay naming an asset the market does not model", () => {
    expectMarketProblem(
      withStress({ at: "1h", over: "1h", move: 0.1 }, { at: "2h", over: "1h", assets: ["BTC", "ETH"], move: -0.1 }),
      "market.stress.1.assets.1",
      '"ETH"',
    );
  });

  it("rejects an overlay with none of move, funding, basis or adl", () => {
    expectMarketProblem(withStress({ at: "1h", over: "1h" }), "market.stress.0", "move, funding, basis or adl");
  });

  it("rejects an overlay of zero length", () => {
    expectMarketProblem(withStress({ at: "1h", over: 0, basis: 0.01 }), "market.stress.0.over", "positive duration");
  });
});

describe("market schema: several problems and the rest of the scenario", () => {
  it("reports every problem at once, one line each", () => {
    const market = btcMarket(
      {
        model: { kind: "gbm", volatility: -0.5 },
        basis: { mean: 0, stdDev: 0.001, halfLife: 0 },
      },
      { horizon: "1d", step: "7h", stress: [{ at: "1h", over: "1h", assets: ["ETH"], move: 0.1 }] },
    );
    const lines = problemsOf(scenarioText({ market }));
    expect(lines, lines.join("\n")).toHaveLength(4);
    problemAt(lines, "market.assets.BTC.model.volatility", "> 0");
    problemAt(lines, "market.assets.BTC.basis.halfLife", "positive duration");
    problemAt(lines, "market.horizon", "whole number of steps");
    problemAt(lines, "market.stress.0.assets.0", '"ETH"');
  });

  it("rejects a scenario with neither a path nor a market", () => {
    const lines = problemsOf(scenarioText({}));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe("test.yaml: (top level): expected a path (for replay) or a market (for the Monte Carlo), or both");
  });

  it("rejects a spot leg on an asset the market does not model", () => {
    const market = { horizon: "1d", assets: { ETH: { price: 3_000, model: gbm } } };
    const lines = problemsOf(scenarioText({ market }, [perpLeg, spotLeg("BTC")]));
    expect(lines).toHaveLength(1);
    problemAt(lines, "legs.long-spot.asset", "(ETH)", '"BTC"');
  });
});
