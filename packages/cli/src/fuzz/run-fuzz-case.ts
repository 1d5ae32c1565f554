import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FuzzCase } from "./fuzz-case.js";

/** The built binary (both from src/fuzz under vitest and from dist/fuzz under `pnpm fuzz`). */
export const mstressBinary = fileURLToPath(new URL("../../dist/bin/mstress.js", import.meta.url));

/** What one case did. */
export interface FuzzOutcome {
  readonly status: number | null;
  readonly timedOut: boolean;
  readonly stderr: string;
  /** Entries left in the case's working directory besides the scenario file (results, partials, locks). */
  readonly left: readonly string[];
  readonly complete: boolean;
}

/**
 * Runs one case in a fresh directory of its own under `root`: the scenario written as scenario.yaml, `--out`
 * pointing at `out` inside it, killed after `timeoutMs`. The directory is removed afterwards.
 */
export function runFuzzCase(fuzz: FuzzCase, root: string, timeoutMs: number): FuzzOutcome {
  const dir = mkdtempSync(join(root, "case-"));
  try {
    writeFileSync(join(dir, "scenario.yaml"), fuzz.scenario);
    const args = fuzz.args.map((arg) => (arg === "SCENARIO" ? "scenario.yaml" : arg === "OUT" ? "out" : arg));
    const run = spawnSync(process.execPath, [mstressBinary, ...args], { cwd: dir, encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL", env: { ...process.env, MSTRESS_FAULT: "" } });
    const left = readdirSync(dir).filter((name) => name !== "scenario.yaml");
    const out = join(dir, "out");
    const complete = existsSync(join(out, "manifest.json")) && existsSync(join(out, "summary.json"));
    return { status: run.status, timedOut: run.error !== undefined && (run.error as NodeJS.ErrnoException).code === "ETIMEDOUT", stderr: run.stderr, left, complete };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a case must never do: hang, exit other than 0 (pass or no limits), 1 (a limit failed), 2 (bad input) or
 * 3 (undecided), print an internal error, leave anything behind on exit 2, or (run, merge, sweep) exit 0, 1 or 3
 * without a complete result.
 */
export function fuzzProblems(fuzz: FuzzCase, outcome: FuzzOutcome): string[] {
  const problems: string[] = [];
  if (outcome.timedOut) return ["timed out (a hang?)"];
  if (outcome.status === null || ![0, 1, 2, 3].includes(outcome.status)) problems.push(`exit ${String(outcome.status)}`);
  if (outcome.stderr.includes("internal error")) problems.push("printed an internal error");
  if (outcome.status === 2 && outcome.left.length > 0) problems.push(`exit 2 left ${outcome.left.join(", ")}`);
  const writes = fuzz.args[0] === "run" || fuzz.args[0] === "sweep";
  if (writes && outcome.status !== null && [0, 1, 3].includes(outcome.status)) {
    if (fuzz.args[0] === "run" && !outcome.complete) problems.push(`exit ${String(outcome.status)} without a complete result`);
    if (outcome.left.some((name) => name !== "out")) problems.push(`left ${outcome.left.join(", ")} beside the result`);
  }
  return problems;
}
