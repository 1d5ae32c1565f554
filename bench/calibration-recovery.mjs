// Are the calibration's standard errors the right size? For each fitted model (packages/sim/src/calibration/
// recovery-cases.ts: 50,000 hourly steps drawn by the simulator with known parameters), 20 replications with
// seeds replication-<model>-1..20: per parameter, the spread of the 20 estimates (their sample standard deviation)
// against the mean of the 20 reported standard errors (from the observed information). The check is that the
// reported standard errors are within 30 % of the spread. With 20 replications the spread itself is uncertain by
// about 1 / sqrt(2 * 19) = 16 %, so a ratio outside [0.7, 1.3] is about two of its own standard errors out.
// Also printed: the bias of the mean estimate in standard errors and how many estimates fall within 3 standard
// errors of the truth. Takes several minutes (mostly the jump-diffusion fits). Usage, after `pnpm build`:
//   node bench/calibration-recovery.mjs [replications]
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";

const root = fileURLToPath(new URL("..", import.meta.url));
const { maximumLikelihood, recoveryCases, recoveryStepSeconds, recoverySteps, simulatedHistory } = await import(pathToFileURL(join(root, "packages/sim/dist/calibration.js")).href);
const replications = Number(process.argv[2] ?? 20);

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const results = [];
let failures = 0;
for (const recovery of recoveryCases) {
  const started = performance.now();
  const fits = [];
  for (let k = 1; k <= replications; k++) {
    const history = simulatedHistory({ price: 60_000, model: recovery.model }, recoverySteps, recoveryStepSeconds, `replication-${recovery.model.kind}-${String(k)}`);
    fits.push(maximumLikelihood(recovery.likelihood(history.series)));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${recovery.model.kind}: ${String(replications)} replications of ${String(recoverySteps)} steps in ${seconds.toFixed(0)} s`);
  console.log(`  ${"parameter".padEnd(22)} ${"truth".padStart(9)} ${"mean fit".padStart(10)} ${"spread".padStart(10)} ${"mean SE".padStart(10)} ${"SE/spread".padStart(9)} ${"bias/SE".padStart(8)} ${"|z|<3".padStart(6)}`);
  for (const [index, parameter] of fits[0].parameters.entries()) {
    const truth = recovery.truth[parameter.field];
    const estimates = fits.map((fit) => fit.parameters[index].value);
    const errors = fits.map((fit) => fit.parameters[index].standardError).filter((se) => se !== null);
    const spread = sd(estimates);
    const meanSe = errors.length === 0 ? Number.NaN : mean(errors);
    const ratio = meanSe / spread;
    const within = fits.filter((fit) => fit.parameters[index].standardError !== null && Math.abs(fit.parameters[index].value - truth) < 3 * fit.parameters[index].standardError).length;
    const ok = Math.abs(ratio - 1) <= 0.3 && errors.length === fits.length;
    if (!ok) failures++;
    results.push({ model: recovery.model.kind, parameter: parameter.field, truth, meanEstimate: mean(estimates), spread, meanStandardError: meanSe, ratio, withinThree: within, replications, withStandardError: errors.length, ok });
    const fmt = (x) => x.toPrecision(4).padStart(10);
    console.log(`  ${parameter.field.padEnd(22)} ${String(truth).padStart(9)} ${fmt(mean(estimates))} ${fmt(spread)} ${fmt(meanSe)} ${ratio.toFixed(2).padStart(9)} ${((mean(estimates) - truth) / meanSe).toFixed(2).padStart(8)} ${`${String(within)}/${String(replications)}`.padStart(6)}${ok ? "" : "  <- outside 30 %"}`);
  }
}
console.log(failures === 0 ? "every reported standard error is within 30 % of the spread of the estimates" : `${String(failures)} parameter(s) with standard errors more than 30 % off the spread (or missing)`);
