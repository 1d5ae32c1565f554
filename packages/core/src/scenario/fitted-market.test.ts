import { describe, expect, it } from "vitest";
import { fittedAssetYaml, scenarioWithFittedMarket, type FittedAssetBlock } from "./fitted-market.js";
import { parseScenario } from "./parse-scenario.js";

const block: FittedAssetBlock = {
  price: 103414.7,
  model: { kind: "garch-t", drift: 0.5936361234, volatility: 1.64134567, alpha: 0.0947263111, beta: 0.904275222, degreesOfFreedom: 3.3121199 },
  funding: { mean: 0.000102345678, stdDev: 0.000201234567, halfLife: 2.345 * 86_400, returnCoupling: 0.0123456789 },
};

const scenario = `# Question: a carry.
name: carry
accounts:
  - { name: futures, venue: binance-usdm, deposit: 10000 }
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
market:
  horizon: 7d
  step: 1h
  assets:
    BTC:
      price: 60000               # the route's entry
      model: { kind: gbm, volatility: 0.5 }
      basis: { mean: 0.0002, stdDev: 0.0008, halfLife: 6h }
      funding: { mean: 0.0001, stdDev: 0.0001, halfLife: 1d, returnCoupling: 0, venueOffset: { binance-usdm: 0.00005 } }
`;

describe("fitted market YAML", () => {
  it("a block to paste: six significant digits, the half-life as a duration, the comment on top", () => {
    const text = fittedAssetYaml("BTC", block, ["fitted by mstress calibrate"]);
    expect(text).toBe(
      [
        "# fitted by mstress calibrate",
        "BTC:",
        "  price: 103415",
        "  model:",
        "    kind: garch-t",
        "    drift: 0.593636",
        "    volatility: 1.64135",
        "    alpha: 0.0947263",
        "    beta: 0.904275",
        "    degreesOfFreedom: 3.31212",
        "  funding:",
        "    mean: 0.000102346",
        "    stdDev: 0.000201235",
        "    halfLife: 2.35d",
        "    returnCoupling: 0.0123457",
        "",
      ].join("\n"),
    );
  });

  it("a scenario copy: model replaced, funding's four fields set and its venue offset kept, the rest as written, and it validates", () => {
    const text = scenarioWithFittedMarket(scenario, "s.yaml", "BTC", block, ["fitted: garch-t"]);
    expect(text).toContain("# Question: a carry.\n# fitted: garch-t\n");
    expect(text).toContain("price: 60000 # the route's entry");
    const parsed = parseScenario(text, "fitted.yaml");
    expect(parsed.market?.assets.BTC?.model).toEqual({ kind: "garch-t", drift: 0.593636, volatility: 1.64135, alpha: 0.0947263, beta: 0.904275, degreesOfFreedom: 3.31212 });
    expect(parsed.market?.assets.BTC?.funding).toEqual({ mean: 0.000102346, stdDev: 0.000201235, halfLife: 2.35 * 86_400, returnCoupling: 0.0123457, venueOffset: { "binance-usdm": 0.00005 } });
    expect(parsed.market?.assets.BTC?.basis).toEqual({ mean: 0.0002, stdDev: 0.0008, halfLife: 6 * 3600 });
  });

  it("adds the asset when the market lacks it, and refuses a scenario with no market", () => {
    const other = scenario.replace("    BTC:\n", "    ETH:\n");
    expect(parseScenario(scenarioWithFittedMarket(other, "s.yaml", "BTC", { ...block, funding: null }, []), "f.yaml").market?.assets.BTC?.price).toBe(103415);
    expect(() => scenarioWithFittedMarket("name: x\n", "s.yaml", "BTC", block, [])).toThrow("s.yaml: market.assets: expected a scenario with a market");
  });
});
