import { dirname, resolve } from "node:path";
import { MstressError, isMstressError, isoTime, joinPriceHistory, readPriceCsv, type Scenario } from "@mstress/core";
import { readInputFile } from "../input/read-input-file.js";

/**
 * Historical log returns for every bootstrapped asset, close to close, from its CSV relative to the scenario:
 * `timestamp,price` or bars `timestamp,open,high,low,close[,...]` (the shipped BTC history). The rows must be
 * exactly one simulation step apart with no gap, so a drawn block is a block of consecutive steps.
 */
export function bootstrapReturns(scenario: Scenario, scenarioFile: string): Map<string, Float64Array> {
  const returns = new Map<string, Float64Array>();
  const market = scenario.market;
  if (market === undefined) return returns;
  for (const [asset, spec] of Object.entries(market.assets)) {
    if (spec.model.kind !== "bootstrap") continue;
    const field = `market.assets.${asset}.model.csv`;
    const file = resolve(dirname(resolve(scenarioFile)), spec.model.csv);
    const text = readInputFile(file, "csv", field);
    try {
      const history = joinPriceHistory([readPriceCsv(text, spec.model.csv)], { step: market.step });
      const { gaps } = history;
      if (gaps.count > 0) {
        throw new MstressError("E_BAD_INPUT", `${spec.model.csv}: expected rows exactly one step (${String(market.step)} s, market.step) apart, found ${String(gaps.count)} gaps, the largest ${String(gaps.largestSeconds)} s after ${isoTime(gaps.largestAfter ?? 0)}`);
      }
      const series = new Float64Array(history.rows.length - 1);
      history.rows.forEach((row, i) => {
        const previous = history.rows[i - 1];
        if (previous !== undefined) series[i - 1] = Math.log(row.close / previous.close);
      });
      returns.set(asset, series);
    } catch (error) {
      if (isMstressError(error)) throw new MstressError(error.code, `${field}: ${error.message}`);
      throw error;
    }
  }
  return returns;
}
