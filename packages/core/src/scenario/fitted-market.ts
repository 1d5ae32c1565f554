import { Document, parseDocument, type ToStringOptions } from "yaml";
import { MstressError } from "../errors/mstress-error.js";
import type { PriceModelSpec } from "./market-schema.js";

/** A fitted `market.assets.<ASSET>` block: the price model and, when a funding history was fitted, its process. */
export interface FittedAssetBlock {
  /** The index price at t = 0 (the last close of the history, for the block to paste). */
  readonly price: number;
  readonly model: Exclude<PriceModelSpec, { kind: "bootstrap" }>;
  /** Rate per 8 h, stationary sd, half-life in seconds, coupling to the interval's log return. */
  readonly funding: { readonly mean: number; readonly stdDev: number; readonly halfLife: number; readonly returnCoupling: number } | null;
}

/** Six significant digits: a fitted value's standard error is never smaller than that, and the YAML stays readable. */
function rounded(value: number): number {
  return Number(value.toPrecision(6));
}

/** Seconds as the scenario writes a duration: "2.35d", "7.5h", "45m". */
function durationText(seconds: number): string {
  const [unit, size] = seconds >= 86_400 ? ["d", 86_400] : seconds >= 3600 ? ["h", 3600] : ["m", 60];
  return `${String(Number((seconds / size).toPrecision(3)))}${unit}`;
}

function modelObject(model: FittedAssetBlock["model"]): Record<string, unknown> {
  if (model.kind !== "jump-diffusion") return Object.fromEntries(Object.entries(model).map(([k, v]) => [k, typeof v === "number" ? rounded(v) : v]));
  const leg = (l: { intensity: number; mean: number; stdDev: number } | undefined): Record<string, number> | undefined => (l === undefined ? undefined : { intensity: rounded(l.intensity), mean: rounded(l.mean), stdDev: rounded(l.stdDev) });
  return { kind: model.kind, drift: rounded(model.drift), volatility: rounded(model.volatility), jumps: { up: leg(model.jumps.up), down: leg(model.jumps.down) } };
}

function fundingObject(funding: NonNullable<FittedAssetBlock["funding"]>): Record<string, unknown> {
  return { mean: rounded(funding.mean), stdDev: rounded(funding.stdDev), halfLife: durationText(funding.halfLife), returnCoupling: rounded(funding.returnCoupling) };
}

/** The project's width, and flow collections written as the shipped scenarios write them (`[isolated, cross]`). */
const textOptions: ToStringOptions = { lineWidth: 118, flowCollectionPadding: false };

/** The block to paste under `market.assets:`, with `comment` lines above it. */
export function fittedAssetYaml(asset: string, block: FittedAssetBlock, comment: readonly string[]): string {
  const document = new Document({ [asset]: { price: rounded(block.price) } });
  document.setIn([asset, "model"], modelObject(block.model));
  if (block.funding !== null) document.setIn([asset, "funding"], fundingObject(block.funding));
  return `${commentLines(comment)}${document.toString(textOptions)}`;
}

function commentLines(comment: readonly string[]): string {
  return comment.map((line) => `# ${line}\n`).join("");
}

/**
 * A copy of a scenario's YAML with `market.assets.<asset>` fitted: its model replaced, its funding's mean, stdDev,
 * halfLife and returnCoupling set (other funding fields, such as venue offsets, kept), everything else as written,
 * comments included, and `comment` added after the file's leading comment lines. The asset is added at `block.price` if the market lacks it;
 * a scenario without a market is bad input.
 */
export function scenarioWithFittedMarket(text: string, origin: string, asset: string, block: FittedAssetBlock, comment: readonly string[]): string {
  const document = parseDocument(text);
  if (!document.hasIn(["market", "assets"])) throw new MstressError("E_BAD_INPUT", `${origin}: market.assets: expected a scenario with a market (the fitted ${asset} model goes in market.assets.${asset})`);
  if (!document.hasIn(["market", "assets", asset])) document.setIn(["market", "assets", asset], document.createNode({ price: rounded(block.price) }));
  document.setIn(["market", "assets", asset, "model"], document.createNode(modelObject(block.model)));
  if (block.funding !== null) {
    for (const [key, value] of Object.entries(fundingObject(block.funding))) document.setIn(["market", "assets", asset, "funding", key], value);
  }
  // The comment goes after the file's own leading comment lines (a shipped scenario's question and answer).
  const lines = document.toString(textOptions).split("\n");
  lines.splice(Math.max(0, lines.findIndex((line) => !line.startsWith("#"))), 0, ...comment.map((line) => `# ${line}`));
  return lines.join("\n");
}
