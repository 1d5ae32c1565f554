// The kernel alone, in-process, on one thread: milliseconds per path of the benchmark's workload (three modes, no
// pool, no tables, no files) and a SHA-256 of the outcome rows, so two builds can be compared in the same minute
// (speed) and to the bit (results). Usage, after `pnpm build`:
//   node bench/kernel-per-path.mjs [paths]              this checkout
//   MSTRESS_ROOT=/path/to/other/checkout node bench/kernel-per-path.mjs [paths]   another build
// Run the two alternately a few times and compare medians: these machines are shared and noisy.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL("..", import.meta.url));
const root = process.env.MSTRESS_ROOT ?? here;
const load = (path) => import(pathToFileURL(join(root, path)).href);
const { parseScenario, parseVenueProfile } = await load("packages/core/dist/index.js");
const { planSimulation, RouteKernel, simulateChunk } = await load("packages/sim/dist/index.js");

const paths = Number(process.argv[2] ?? 3_000);
const chunk = 100;
const scenario = parseScenario(readFileSync(join(here, "scenarios/funding-arb-btc.yaml"), "utf8"), "funding-arb-btc.yaml");
const venues = new Map([["binance-usdm", parseVenueProfile(readFileSync(join(here, "packages/core/venues/binance-usdm.yaml"), "utf8"), "binance-usdm.yaml")]]);
const plan = planSimulation({ scenario, venues, bootstrap: new Map(), modes: ["isolated", "cross", "portfolio"], seed: "bench", reservoirPaths: 0 });
const kernel = new RouteKernel(plan);
// Warm-up on paths outside the measured range, so the JIT has compiled the hot loop before the clock starts.
simulateChunk(kernel, 0, { firstPath: 1e6, paths: chunk });

const rows = createHash("sha256");
const started = performance.now();
for (let first = 0; first < paths; first += chunk) {
  const result = simulateChunk(kernel, 0, { firstPath: first, paths: Math.min(chunk, paths - first) });
  for (const table of [result.rows, result.accountRows, result.routeRows]) rows.update(new Uint8Array(table.buffer, table.byteOffset, table.byteLength));
}
const msPerPath = (performance.now() - started) / paths;
console.log(`${msPerPath.toFixed(3)} ms per path over ${String(paths)} paths; outcome rows sha256 ${rows.digest("hex").slice(0, 16)} (${root})`);
