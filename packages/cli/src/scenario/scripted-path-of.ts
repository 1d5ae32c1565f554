import { dirname, resolve } from "node:path";
import { MstressError, parsePathCsv, type Scenario, type VenueProfile } from "@mstress/core";
import { ScriptedPath, scenarioAssets } from "@mstress/sim";
import { readInputFile } from "../input/read-input-file.js";

/** The scenario's scripted path (points or CSV), checked against the assets its legs are priced in. */
export function scriptedPathOf(scenario: Scenario, scenarioFile: string, venues: ReadonlyMap<string, VenueProfile>): ScriptedPath {
  const assets = scenarioAssets(scenario, venues);
  const spec = scenario.path;
  if (spec === undefined) throw new MstressError("E_BAD_INPUT", "path: expected a scripted path to replay (this scenario has only a market: use mstress run)");
  const defaults = { basis: spec.basis, funding: spec.funding };
  if (spec.points !== undefined) return new ScriptedPath(spec.points, assets, defaults);
  const asset = spec.asset ?? (assets.length === 1 ? assets[0] : undefined);
  if (asset === undefined) throw new MstressError("E_BAD_INPUT", `path.asset: expected the asset the CSV prices (one of ${assets.join(", ")})`);
  if (assets.length > 1) throw new MstressError("E_BAD_INPUT", `path.csv: a CSV path prices one asset; this route holds ${assets.join(", ")}: use points with prices`);
  const text = readInputFile(resolve(dirname(resolve(scenarioFile)), spec.csv ?? ""), "csv", "path.csv");
  return new ScriptedPath(parsePathCsv(text, spec.csv ?? "", asset), assets, defaults);
}
