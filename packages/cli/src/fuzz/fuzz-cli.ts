import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { fuzzCase } from "./fuzz-case.js";
import { fuzzProblems, runFuzzCase } from "./run-fuzz-case.js";

// `pnpm fuzz [--seconds S] [--seed N]`: the CLI fuzzer run long (default 10 minutes, seed 1). Prints the cases
// run, the seconds taken and every failure (the mutations and command line), and writes each failing case to
// results/fuzz-failures/<seed>-<case>/ (scenario.yaml and command.txt) to reproduce it. Exits 1 on any failure.

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
}

const seconds = option("seconds", 600);
const seed = option("seed", 1);
const root = mkdtempSync(join(tmpdir(), "mstress-fuzz-"));
const started = Date.now();
let cases = 0;
const failures: { index: number; problems: string[]; mutations: readonly string[]; args: readonly string[] }[] = [];
try {
  for (let batch = 0; (Date.now() - started) / 1000 < seconds; batch++) {
    for (const fuzz of fc.sample(fuzzCase, { seed: seed * 1_000_003 + batch, numRuns: 20 })) {
      if ((Date.now() - started) / 1000 >= seconds) break;
      const problems = fuzzProblems(fuzz, runFuzzCase(fuzz, root, 60_000));
      if (problems.length > 0) {
        failures.push({ index: cases, problems, mutations: fuzz.mutations, args: fuzz.args });
        const dir = join("results", "fuzz-failures", `${String(seed)}-${String(cases)}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "scenario.yaml"), fuzz.scenario);
        writeFileSync(join(dir, "command.txt"), `mstress ${fuzz.args.join(" ")}\n# ${fuzz.mutations.join("; ")}\n# ${problems.join("; ")}\n`);
      }
      cases++;
    }
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
const elapsed = (Date.now() - started) / 1000;
for (const failure of failures) process.stdout.write(`case ${String(failure.index)}: ${failure.problems.join("; ")} | ${failure.mutations.join("; ")} | mstress ${failure.args.join(" ")}\n`);
process.stdout.write(`fuzz: seed ${String(seed)}, ${String(cases)} cases in ${elapsed.toFixed(0)} s, ${String(failures.length)} failures\n`);
process.exitCode = failures.length > 0 ? 1 : 0;
