import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The built packages, as a run uses them: the pool's threads load the build (`pnpm build` comes before the tests).
const simBuild = new URL("../../dist/index.js", import.meta.url).href;
const coreBuild = new URL("../../../core/dist/index.js", import.meta.url).href;
const venueFile = fileURLToPath(new URL("../../../core/venues/binance-usdm.yaml", import.meta.url));

/**
 * Runs 40 paths on the run's own pool of one thread, with the pool's stop held open until the end (as when the
 * caller summarises while the threads exit, and the event loop sees them gone only at its next await), lets the
 * result go, collects in a later task, and prints whether the outcome rows' buffer is still alive.
 */
const probe = `
import { readFileSync } from "node:fs";
const { parseScenario, parseVenueProfile } = await import(${JSON.stringify(coreBuild)});
const { planSimulation, runSimulation, SimulationPool } = await import(${JSON.stringify(simBuild)});
const binance = parseVenueProfile(readFileSync(${JSON.stringify(venueFile)}, "utf8"), "binance-usdm.yaml");
const scenario = parseScenario(\`
name: release
accounts: [{ name: futures, venue: binance-usdm, deposit: 10000 }]
legs:
  - { name: short-perp, account: futures, type: perp, symbol: BTCUSDT, side: short, qty: 1, isolatedMargin: 3000 }
market:
  horizon: 2d
  step: 8h
  assets:
    BTC: { price: 60000, model: { kind: gbm, volatility: 0.8 } }
\`, "release.yaml");
const input = { scenario, venues: new Map([["binance-usdm", binance]]), bootstrap: new Map(), modes: ["isolated", "cross"], seed: "1", reservoirPaths: 0 };
let releaseStop = () => undefined;
const destroy = SimulationPool.prototype.destroy;
SimulationPool.prototype.destroy = function () {
  const stopped = destroy.call(this);
  return new Promise((resolve) => { releaseStop = () => resolve(stopped); });
};
const run = async () => {
  const result = await runSimulation({ input, firstPath: 0, paths: 40, workers: 1, chunkSize: 10 }, planSimulation(input).market.steps);
  return { paths: result.paths, rows: new WeakRef(result.rows.buffer) };
};
const { paths, rows } = await run();
// A WeakRef keeps its target to the end of the job that made it: collect in a later task.
await new Promise((resolve) => setImmediate(resolve));
globalThis.gc();
const kept = rows.deref() !== undefined;
releaseStop();
console.log(JSON.stringify({ paths, kept }));
`;

describe("runSimulation", () => {
  it("lets a finished run's arrays go once the caller does, while its own threads are still stopping", () => {
    // An inline handler on the pool's stop kept the run's scope, and so every row of a 10^6-path run (312 MB),
    // alive through the summary and the Parquet tables.
    const child = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", probe], { encoding: "utf8", timeout: 60_000 });
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual({ paths: 40, kept: false });
  });
});
