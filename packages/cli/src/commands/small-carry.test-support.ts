// What the CLI's end-to-end tests share: the built binary, run from the repository root as the README runs it
// (`pnpm test` builds first), and the small BTC carry that the run, report and trend tests simulate.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const mstressBin = join(repositoryRoot, "packages/cli/dist/bin/mstress.js");

/** Runs `mstress <args>` to completion and returns its status and output. */
export const mstress = (...args: string[]) => spawnSync(process.execPath, [mstressBin, ...args], { encoding: "utf8", cwd: repositoryRoot });

/** The carry's two legs on the account `futures` (YAML list items under `legs:`): short 1 BTC perp, long 1 BTC spot. */
export const carryLegs = (isolatedMargin: number): string => `  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: ${String(isolatedMargin)} }
  - { name: long-spot, account: futures, type: spot, asset: BTC, side: long, qty: 1 }`;

/**
 * The market under `market:`: 4 days at 1 h steps of BTC at $60,000, 60 % volatility with jumps of ±4 % at 30 a
 * year each way, OU basis, and funding coupled to the return.
 */
export const carryMarket = `  horizon: 4d
  step: 1h
  assets:
    BTC:
      price: 60000
      model: { kind: jump-diffusion, volatility: 0.6, jumps: { up: { intensity: 30, mean: 0.04, stdDev: 0.02 }, down: { intensity: 30, mean: -0.04, stdDev: 0.02 } } }
      basis: { mean: 0.0002, stdDev: 0.0008, halfLife: 6h }
      funding: { mean: 0.0001, stdDev: 0.0001, halfLife: 1d, returnCoupling: 0.01 }`;

/**
 * A scenario file of the carry (one $10,000 Binance account, the short's isolated allocation as given, the market
 * above), with an optional first comment line, description and sign-off limits (each a YAML flow mapping).
 */
export function carryScenario(name: string, isolatedMargin: number, extra: { readonly header?: string; readonly description?: string; readonly limits?: readonly string[] } = {}): string {
  return `${extra.header === undefined ? "" : `${extra.header}\n`}name: ${name}
${extra.description === undefined ? "" : `description: ${JSON.stringify(extra.description)}\n`}accounts:
  - { name: futures, venue: binance-usdm, deposit: 10000 }
legs:
${carryLegs(isolatedMargin)}
market:
${carryMarket}
${(extra.limits ?? []).length === 0 ? "" : `limits:\n${(extra.limits ?? []).map((limit) => `  - ${limit}\n`).join("")}`}`;
}
