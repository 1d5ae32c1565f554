// The step-coarsening check of packages/sim/src/kernel/auto-step-figures.test.ts at bench size: a shipped scenario
// at its default ("auto") step against a fine step, every mode's liquidation probability, mean PnL and mean
// funding (and each policy's reserve-exhausted probability, actions and money moved), with the 99 % two-sample
// interval of each difference.
// Usage, after `pnpm build`: node bench/auto-step-check.mjs [scenario] [fine step] [paths] [coarse step, default auto]
//   node bench/auto-step-check.mjs scenarios/funding-arb-btc.yaml 15m 20000
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseScenario, parseVenueProfile } from "../packages/core/dist/index.js";
import { outcomeColumn, outcomeWidth, planSimulation, policyOutcomeColumn, policyOutcomeWidth, RouteKernel, simulateChunk } from "../packages/sim/dist/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const [file = "scenarios/funding-arb-btc.yaml", fine = "15m", count = "20000", coarse] = process.argv.slice(2);
const paths = Number(count);
const venues = new Map([["binance-usdm", parseVenueProfile(readFileSync(join(root, "packages/core/venues/binance-usdm.yaml"), "utf8"), "binance-usdm.yaml")]]);
const text = readFileSync(join(root, file), "utf8").replace(/\n {2}step: [^\n]*/, "");

function arm(step, seed) {
  const scenario = parseScenario(step === null ? text : text.replace("\nmarket:\n", `\nmarket:\n  step: ${step}\n`), file);
  const plan = planSimulation({ scenario, venues, bootstrap: new Map(), modes: ["isolated", "cross"], seed, reservoirPaths: 0, baseline: false });
  const kernel = new RouteKernel(plan);
  const sums = new Map();
  const add = (key, value) => {
    const s = sums.get(key) ?? { n: 0, sum: 0, squares: 0 };
    s.n++;
    s.sum += value;
    s.squares += value * value;
    sums.set(key, s);
  };
  const e = plan.evaluations.length;
  const k = plan.entities.policies.length;
  for (let first = 0; first < paths; first += 500) {
    const chunk = simulateChunk(kernel, 0, { firstPath: first, paths: Math.min(500, paths - first) });
    for (let p = 0; p < chunk.paths; p++) {
      plan.evaluations.forEach((evaluation, m) => {
        for (const field of ["liquidated", "pnl", "fundingReceived"]) add(`${evaluation.label} ${field}`, chunk.rows[(p * e + m) * outcomeWidth + outcomeColumn[field]]);
        for (const field of ["reserveExhausted", "actions", "moved"]) plan.entities.policies.forEach((policy, j) => add(`${evaluation.label} ${policy} ${field}`, chunk.policyRows[((p * e + m) * k + j) * policyOutcomeWidth + policyOutcomeColumn[field]]));
      });
    }
  }
  return { step: plan.market.stepSeconds, sums };
}

const started = performance.now();
const auto = arm(coarse ?? null, "auto-check");
const reference = arm(fine, "auto-check-fine");
console.log(`${file}: auto step ${auto.step / 3600} h against ${fine}, ${paths} paths an arm (${((performance.now() - started) / 1000).toFixed(0)} s)`);
let outside = 0;
for (const [key, a] of auto.sums) {
  const b = reference.sums.get(key);
  const moments = (s) => ({ mean: s.sum / s.n, variance: (s.squares - (s.sum * s.sum) / s.n) / (s.n - 1) });
  const ma = moments(a);
  const mb = moments(b);
  const bound = 2.576 * Math.sqrt(ma.variance / a.n + mb.variance / b.n);
  const inside = Math.abs(ma.mean - mb.mean) <= bound;
  if (!inside) outside++;
  console.log(`${key.padEnd(44)} auto ${ma.mean.toPrecision(5).padStart(10)}  fine ${mb.mean.toPrecision(5).padStart(10)}  |diff| ${Math.abs(ma.mean - mb.mean).toPrecision(3).padStart(9)} <= ${bound.toPrecision(3).padStart(9)} ${inside ? "" : "OUTSIDE"}`);
}
console.log(outside === 0 ? "every figure within its 99 % interval" : `${outside} figure(s) outside their 99 % interval`);
