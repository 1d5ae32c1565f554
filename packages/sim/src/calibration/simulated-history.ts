import type { AssetSpec } from "@mstress/core";
import { compileMarket } from "../models/market-model.js";
import { allocateMarketPath, allocatePathScratch, generateMarketPath } from "../models/market-path.js";
import { pathStream } from "../rng/path-stream.js";
import { returnSeries, type ReturnSeries } from "./return-series.js";

/** One asset's simulated history: the step returns of the index and, where the asset has funding, the OU state. */
export interface SimulatedHistory {
  readonly series: ReturnSeries;
  readonly index: Float64Array;
  /** The funding model's state (a rate per 8 h, before the return coupling) at t_0..t_S. */
  readonly fundingState: Float64Array;
}

/**
 * A history drawn by the simulator itself (compileMarket and generateMarketPath, path 0 of `seed`): `steps` steps
 * of `stepSeconds` of one asset. The calibration is checked on these, where the true parameters are known.
 */
export function simulatedHistory(asset: AssetSpec, steps: number, stepSeconds: number, seed: string): SimulatedHistory {
  const market = compileMarket({ horizon: steps * stepSeconds, step: stepSeconds, assets: { X: asset }, stress: [] });
  const path = allocateMarketPath(market);
  generateMarketPath(market, pathStream(seed, 0), path, allocatePathScratch(market));
  const returns = new Float64Array(steps);
  for (let s = 0; s < steps; s++) returns[s] = Math.log((path.index[s + 1] ?? 1) / (path.index[s] ?? 1));
  return { series: returnSeries(returns, stepSeconds), index: path.index, fundingState: path.fundingState };
}
