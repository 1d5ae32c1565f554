import { dirname, resolve } from "node:path";
import { MstressError, parsePathCsv, type Scenario } from "@mstress/core";
import { readInputFile } from "../input/read-input-file.js";

/**
 * Historical log returns for every bootstrapped asset, from its CSV (timestamp,price) relative to the scenario.
 * The rows must be spaced exactly one simulation step apart, so a drawn block is a block of steps.
 */
export function bootstrapReturns(scenario: Scenario, scenarioFile: string): Map<string, Float64Array> {
  const returns = new Map<string, Float64Array>();
  const market = scenario.market;
  if (market === undefined) return returns;
  for (const [asset, spec] of Object.entries(market.assets)) {
    if (spec.model.kind !== "bootstrap") continue;
    const field = `market.assets.${asset}.model.csv`;
    const file = resolve(dirname(resolve(scenarioFile)), spec.model.csv);
    const points = parsePathCsv(readInputFile(file, "csv", field), spec.model.csv, asset);
    const series = new Float64Array(points.length - 1);
    for (let i = 1; i < points.length; i++) {
      const previous = points[i - 1];
      const point = points[i];
      if (previous === undefined || point === undefined) continue;
      if (Math.abs(point.t - previous.t - market.step) > 1e-6) {
        throw new MstressError("E_BAD_INPUT", `${field}: expected rows ${market.step}s apart (market.step), row ${i + 1} is ${point.t - previous.t}s after the previous`);
      }
      series[i - 1] = Math.log((point.prices?.[asset] ?? 1) / (previous.prices?.[asset] ?? 1));
    }
    returns.set(asset, series);
  }
  return returns;
}
