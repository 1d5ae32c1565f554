// The kernel scripts' common set-up: the benchmark's workload (scenarios/funding-arb-btc.yaml, three modes, seed
// "bench", no sampled paths) as a compiled RouteKernel of this checkout's build, or of the build at MSTRESS_ROOT
// (another checkout, to compare two builds on the same inputs). Run `pnpm build` first.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL("..", import.meta.url));

/** The workload's kernel, warmed up on paths outside any measured range so the JIT has compiled the hot loop. */
export async function kernelWorkload() {
  // BENCH_SCENARIO picks another shipped scenario, BENCH_STEP writes its market.step (e.g. 1h, to compare two
  // builds at one step, where the rows must be bit-identical). BENCH_PASSIVE=1 adds each mode's passive route
  // beside a scenario's policies, as `mstress run` evaluates it (six evaluations a path for the managed carry).
  const root = process.env.MSTRESS_ROOT ?? here;
  const load = (path) => import(pathToFileURL(join(root, path)).href);
  const { parseScenario, parseVenueProfile } = await load("packages/core/dist/index.js");
  const { planSimulation, RouteKernel, simulateChunk } = await load("packages/sim/dist/index.js");
  const file = process.env.BENCH_SCENARIO ?? "scenarios/funding-arb-btc.yaml";
  const text = readFileSync(join(here, file), "utf8").replace(/\n {2}step: [^\n]*/, "");
  const step = process.env.BENCH_STEP;
  const scenario = parseScenario(step === undefined ? text : text.replace("\nmarket:\n", `\nmarket:\n  step: ${step}\n`), file);
  const venues = new Map([["binance-usdm", parseVenueProfile(readFileSync(join(here, "packages/core/venues/binance-usdm.yaml"), "utf8"), "binance-usdm.yaml")]]);
  const plan = planSimulation({ scenario, venues, bootstrap: new Map(), modes: ["isolated", "cross", "portfolio"], seed: "bench", reservoirPaths: 0, baseline: process.env.BENCH_PASSIVE === "1" });
  const kernel = new RouteKernel(plan);
  simulateChunk(kernel, 0, { firstPath: 1e6, paths: 200 });
  /** Simulates paths [first, first + paths) and returns the chunk's outputs. */
  const simulate = (first, paths) => simulateChunk(kernel, 0, { firstPath: first, paths });
  return { root, simulate };
}
