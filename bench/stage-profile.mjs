// Where a path's time goes: the work a worker does for a chunk (path generation, the evaluator, the tables' lines)
// and the summary the main thread makes of the rows, run in this process under V8's sampling profiler, each sample's
// self time put in a stage by the file (and, inside the path generator, the line) it was taken in. Stages:
// - path generation: the market models, the seeded uniforms and the normal/Student-t/Poisson draws;
// - bridge extremes: the arithmetic of each step's maximum and minimum (their two uniforms a step are drawn with the
//   others, in path generation), and the sub-steps drawn from the bridge where a policy may act
//   (bridge-refinement, step-refinement);
// - margin checks: the evaluator's step loop, the screens and corner checks, maintenance margin, the liquidation
//   price and engine, ADL;
// - policies: the policies' triggers and actions;
// - bookings: the decimal ledger (decimal.js), funding settlements, the route's PnL and tallies;
// - tables and summary: the CSV lines of the tidy tables and summary.json's statistics (arquero);
// - other: garbage collection and the rest.
// Beside the stages, the functions with the most self time (name, file:line), the first thing to open next.
// Usage: node bench/stage-profile.mjs [paths] [scenario]  (MSTRESS_ROOT selects another build, as kernel-workload.mjs;
// TOP=n lists n functions instead of 12).
import { Session } from "node:inspector/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL("..", import.meta.url));

const stageOfFile = [
  [/bridge-refinement|step-refinement/, "bridge extremes"],
  [/sim\/dist\/(models|rng)\/|standard-normal-quantile|poisson-count|student-t/, "path generation"],
  [/sim\/dist\/policies\//, "policies"],
  [/ledger\/|decimal\.js|funding-settlement|route-pnl|liquidation-tally|funding\/|account\/account\.js/, "bookings"],
  [/sim\/dist\/kernel\/|account-risk|maintenance-margin|liquidation\/|path-market|sim\/dist\/route\//, "margin checks"],
  [/sim\/dist\/tables\/|report\/dist\/|cli\/dist\/results\/|arquero|flechette/, "tables and summary"],
];
/** Lines of the path generator that compute a step's extremes. */
const bridgeLine = /indexHigh\[here\]|indexLow\[here\]|bridgeM(aximum|inimum)|\b(high|low) = |const d = x1 - x0/;

/** How many functions, by self time, a profile lists beside its stages. */
const topFunctions = Number(process.env.TOP ?? 12);

export const stages = ["path generation", "bridge extremes", "margin checks", "policies", "bookings", "tables and summary", "other"];

/** Seconds per stage for `paths` paths of `scenarioFile` (three modes, seed "bench"), and the total. */
export async function stageProfile(paths, scenarioFile = "scenarios/funding-arb-btc.yaml", root = process.env.MSTRESS_ROOT ?? here) {
  const load = (path) => import(pathToFileURL(join(root, path)).href);
  const { parseScenario, parseVenueProfile } = await load("packages/core/dist/index.js");
  const { planSimulation, RouteKernel, simulateChunk, chunkTables } = await load("packages/sim/dist/index.js");
  const { runSummary } = await load("packages/cli/dist/results/run-summary.js");
  const { accountOutcomesOfRows, routeOutcomesOfRows, policyOutcomesOfRows } = await load("packages/cli/dist/results/scoped-outcomes.js");
  const scenario = parseScenario(readFileSync(join(here, scenarioFile), "utf8"), scenarioFile);
  const venues = new Map([["binance-usdm", parseVenueProfile(readFileSync(join(root, "packages/core/venues/binance-usdm.yaml"), "utf8"), "binance-usdm.yaml")]]);
  const plan = planSimulation({ scenario, venues, bootstrap: new Map(), modes: ["isolated", "cross", "portfolio"], seed: "bench", reservoirPaths: 0 });
  const kernel = new RouteKernel(plan);
  const labels = plan.evaluations.map((e) => e.label);
  const work = (first, count) => {
    const rows = [];
    for (let start = first; start < first + count; start += 100) {
      const chunk = simulateChunk(kernel, 0, { firstPath: start, paths: Math.min(100, first + count - start) });
      chunkTables(plan, chunk);
      rows.push(chunk);
    }
    const join = (key) => {
      const out = new Float64Array(rows.reduce((n, c) => n + c[key].length, 0));
      let at = 0;
      for (const c of rows) {
        out.set(c[key], at);
        at += c[key].length;
      }
      return out;
    };
    const { accounts, routes, policies } = plan.entities;
    runSummary({
      scenario: scenario.name, scenarioSha256: "", seed: "bench", horizonSeconds: plan.market.horizonSeconds, modes: labels, rows: join("rows"), paths: count,
      accountOutcomes: accountOutcomesOfRows(join("accountRows"), { firstPath: first, modes: labels, accounts }),
      routeOutcomes: routeOutcomesOfRows(join("routeRows"), { firstPath: first, modes: labels, routes }),
      policyOutcomes: policyOutcomesOfRows(join("policyRows"), { firstPath: first, modes: labels, policies }),
    });
  };
  work(1_000_000, 300);
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  const started = performance.now();
  work(0, paths);
  const seconds = (performance.now() - started) / 1000;
  const { profile } = await session.post("Profiler.stop");
  session.disconnect();

  const sources = new Map();
  const sourceLines = (url) => {
    if (!sources.has(url)) {
      try {
        sources.set(url, readFileSync(fileURLToPath(url), "utf8").split("\n"));
      } catch {
        sources.set(url, []);
      }
    }
    return sources.get(url);
  };
  const byStage = Object.fromEntries(stages.map((s) => [s, 0]));
  // Within the stages, the functions themselves (self time): what to attack next.
  const byFunction = new Map();
  let total = 0;
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
  for (const node of profile.nodes) {
    const { url, functionName } = node.callFrame;
    if (functionName === "(idle)" || functionName === "(program)") continue;
    const ticks = node.hitCount ?? 0;
    if (ticks === 0) continue;
    total += ticks;
    const where = `${functionName || "(anonymous)"} ${url === "" ? "" : `${url.split("/").slice(-2).join("/")}:${node.callFrame.lineNumber + 1}`}`.trim();
    byFunction.set(where, (byFunction.get(where) ?? 0) + ticks);
    const stage = stageOfFile.find(([pattern]) => pattern.test(url))?.[1] ?? "other";
    if (stage === "path generation" && url.includes("market-path")) {
      // Split the generator's ticks by line: the extremes' lines against the rest.
      const lines = sourceLines(url);
      let bridge = 0;
      for (const { line, ticks: t } of node.positionTicks ?? []) if (bridgeLine.test(lines[line - 1] ?? "")) bridge += t;
      byStage["bridge extremes"] += bridge;
      byStage[stage] += ticks - bridge;
    } else {
      byStage[stage] += ticks;
    }
  }
  const shares = Object.fromEntries(stages.map((s) => [s, total === 0 ? 0 : byStage[s] / total]));
  const functions = [...byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topFunctions)
    .map(([name, ticks]) => ({ name, share: ticks / total }));
  return { paths, seconds, microsecondsPerPath: (1e6 * seconds) / paths, shares, functions, sampleMicroseconds: interval, stepSeconds: plan.market.stepSeconds };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const result = await stageProfile(Number(process.argv[2] ?? 3000), process.argv[3]);
  console.log(JSON.stringify(result, null, 2));
}
