import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Command } from "commander";
import { mergeCommand } from "../commands/merge-command.js";
import { reportCommand } from "../commands/report-command.js";
import { runCommand } from "../commands/run-command.js";
import { shardCommand } from "../commands/shard-command.js";
import { carryScenario } from "../commands/small-carry.test-support.js";
import { suiteCommand } from "../commands/suite-command.js";
import { repositoryRoot } from "./generated-files.js";
import { ensureSlurm, startSlurmCluster, type SlurmCluster } from "./slurm-cluster.test-support.js";

// docs/examples/slurm run for real: a single-node Slurm cluster on this machine (slurm-cluster.test-support.ts)
// takes submit.sh's array job of shards and its merge job, and the merged result is a single run's, byte for byte;
// then one shard task is requeued while it runs (Slurm kills it and starts it again), and the bytes are the same
// again; then submit-suite.sh runs a night of two routes and its index is the one `mstress suite` writes here.
// Skipped, saying why, only where Slurm cannot be installed.

const examples = join(repositoryRoot, "docs/examples/slurm");
const bin = join(repositoryRoot, "packages/cli/dist/bin/mstress.js");
const scenario = "scenarios/funding-arb-btc.yaml";
// 4 shards of 500 paths: each shard simulates for a second or more, time enough to requeue one while it runs.
const paths = "2000";
const shards = "4";
const seed = "slurm-night";

interface Finished {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("the Slurm example's scripts, read", () => {
  const text = (file: string): string => readFileSync(join(examples, file), "utf8");
  const lines = (file: string, command: string): string[] =>
    text(file)
      .replace(/\\\n\s*/g, " ")
      .split("\n")
      .filter((line) => line.includes(`mstress ${command} `));

  it("uses only flags mstress has", () => {
    const flagsOf = (command: Command): Set<string | undefined> => new Set(command.options.map((o) => o.long));
    const commands = { run: runCommand(), merge: mergeCommand(), report: reportCommand(), suite: suiteCommand(), shard: shardCommand() };
    let checked = 0;
    for (const file of ["shard.sh", "merge.sh", "index.sh", "submit-suite.sh"]) {
      for (const [name, command] of Object.entries(commands)) {
        for (const line of lines(file, name)) {
          for (const flag of line.slice(line.indexOf(`mstress ${name} `)).matchAll(/ (--[a-z-]+)/g)) {
            expect(flagsOf(command).has(flag[1]), `${file}: mstress ${name} ${String(flag[1])}`).toBe(true);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("gives each shard task as many workers as the CPUs it asks Slurm for, lets Slurm requeue it, and merges only after every task succeeded", () => {
    for (const file of ["submit.sh", "submit-suite.sh"]) {
      expect(text(file), file).toMatch(/--array="1-\$MSTRESS_SHARDS" --cpus-per-task="\$MSTRESS_WORKERS" --requeue/);
      expect(text(file), file).toMatch(/--dependency="afterok:\$array" --kill-on-invalid-dep=yes/);
    }
    expect(text("shard.sh")).toContain('--workers "${SLURM_CPUS_PER_TASK:-$MSTRESS_WORKERS}"');
    expect(text("submit-suite.sh")).toContain('--dependency=afterany$merges');
  });
});

describe("the Slurm example on a single-node Slurm cluster of this machine", () => {
  const work = mkdtempSync(join(tmpdir(), "mstress-slurm-"));
  // munged's socket lies below: its path must be open to every user.
  chmodSync(work, 0o755);
  // `mstress` on PATH, as the example asks of the compute nodes.
  const shims = join(work, "bin");
  mkdirSync(shims);
  writeFileSync(join(shims, "mstress"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(join(shims, "mstress"), 0o755);
  const single = join(work, "single");
  const scripts: ChildProcess[] = [];
  let cluster: SlurmCluster | undefined;
  let unavailable = "";

  /** Runs one of the example's scripts as a user would, from the repository, until it exits. */
  const submit = (script: string, args: readonly string[], onStdout?: (text: string) => void): Promise<Finished> => {
    if (cluster === undefined) throw new Error("no cluster");
    // One CPU per shard task, so the machine's cores run shards side by side.
    const child = spawn("sh", [join(examples, script), ...args], { cwd: repositoryRoot, env: { ...cluster.env, PATH: `${shims}:${process.env.PATH ?? ""}`, MSTRESS_WORKERS: "1" } });
    scripts.push(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout);
    });
    child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
    return new Promise((resolve) => child.on("exit", (status) => { resolve({ status, stdout, stderr }); }));
  };
  const bytes = (dir: string, file: string): string => readFileSync(join(dir, file), "utf8");

  beforeAll(async () => {
    const setup = ensureSlurm();
    if (!setup.ready) {
      unavailable = setup.reason;
      process.stderr.write(`slurm-example.test.ts skipped: ${unavailable}\n`);
      return;
    }
    cluster = await startSlurmCluster(join(work, "cluster"), setup.paths);
    const one = spawnSync(process.execPath, [bin, "run", scenario, "--paths", paths, "--seed", seed, "--out", single], { encoding: "utf8", cwd: repositoryRoot });
    if (one.status !== 0) throw new Error(`the single run failed: ${one.stderr}`);
  }, 180_000);

  afterAll(async () => {
    for (const child of scripts) if (child.exitCode === null) child.kill("SIGTERM");
    await cluster?.stop();
  }, 60_000);

  it("submit.sh: an array job of shards and a merge job that depends on it give a single run's summary.json and outcomes.csv", { timeout: 180_000 }, async (context) => {
    if (cluster === undefined) context.skip(unavailable);
    const results = join(work, "night");
    const night = await submit("submit.sh", [scenario, paths, shards, seed, results]);
    expect(night.status, `${night.stdout}\n${night.stderr}`).toBe(0);
    expect(night.stdout).toMatch(/shards: array job \d+ \(4 tasks\)/);
    for (const file of ["summary.json", "outcomes.csv"]) expect(bytes(join(results, "all"), file), file).toBe(bytes(single, file));
    // Each task ran its own shard, once: shard i/4 holds paths [(i - 1) N / 4, i N / 4).
    for (let i = 1; i <= 4; i++) {
      const manifest = JSON.parse(bytes(join(results, `shard-${String(i)}`), "manifest.json")) as { firstPath: number; paths: number; shard: unknown };
      expect(manifest.shard).toEqual({ index: i, count: 4 });
      expect([manifest.firstPath, manifest.paths]).toEqual([(i - 1) * 500, 500]);
      expect(bytes(join(results, "logs"), `shard-${String(i)}.out`)).toContain(`shard ${String(i)}/4 of ${scenario}, attempt 1`);
    }
  });

  it("submit.sh with one shard task requeued while it runs: Slurm kills it, runs it again, and the merge gives the same bytes", { timeout: 180_000 }, async (context) => {
    if (cluster === undefined) context.skip(unavailable);
    const slurm = cluster;
    const results = join(work, "night-requeued");
    let arrayJob = "";
    const running = submit("submit.sh", [scenario, paths, shards, seed, results], (stdout) => {
      arrayJob = /shards: array job (\d+)/.exec(stdout)?.[1] ?? arrayJob;
    });
    // Shard 2 is mid-run once its hidden partial directory exists (claimed, simulating, not yet renamed into place).
    const midRun = (): boolean => existsSync(results) && readdirSync(results).some((name) => name.startsWith(".shard-2.partial-"));
    for (let i = 0; i < 4800 && !midRun(); i++) await sleep(25);
    expect(midRun(), "shard 2 never started").toBe(true);
    expect(arrayJob).not.toBe("");
    const requeue = slurm?.client("scontrol", "requeue", `${arrayJob}_2`);
    expect(requeue?.status, requeue?.stderr).toBe(0);
    const night = await running;
    expect(night.status, `${night.stdout}\n${night.stderr}`).toBe(0);
    // The first attempt was stopped mid-run and left nothing; the second ran the shard from its start.
    const log = bytes(join(results, "logs"), "shard-2.out");
    expect(log).toContain(`shard 2/4 of ${scenario}, attempt 1`);
    expect(log).toContain("mstress: interrupted: no result was written");
    expect(log).toContain(`shard 2/4 of ${scenario}, attempt 2`);
    expect(log.indexOf("attempt 1")).toBeLessThan(log.indexOf("interrupted"));
    expect(log.indexOf("interrupted")).toBeLessThan(log.indexOf("attempt 2"));
    expect(readdirSync(results).sort()).toEqual(["all", "logs", "shard-1", "shard-2", "shard-3", "shard-4"]);
    for (const file of ["summary.json", "outcomes.csv"]) expect(bytes(join(results, "all"), file), file).toBe(bytes(single, file));
  });

  it("submit-suite.sh: one array per route and an index job after every merge give the index mstress suite writes here, and its exit status", { timeout: 180_000 }, async (context) => {
    if (cluster === undefined) context.skip(unavailable);
    // Two 4-day carries; "thin" fails its limit (isolated liquidated on about half the paths, far above 1 %), so the
    // night exits 1 through Slurm as it does here.
    const library = join(work, "library");
    mkdirSync(library);
    writeFileSync(join(library, "thin.yaml"), carryScenario("thin", 3000, { limits: ["{ mode: isolated, metric: liquidationProbability, max: 0.01 }"] }));
    writeFileSync(join(library, "netted.yaml"), carryScenario("netted", 3000, { limits: ["{ mode: portfolio, metric: liquidationProbability, max: 0.05 }"] }));
    const results = join(work, "suite-night");
    const night = await submit("submit-suite.sh", [library, "200", "2", seed, results]);
    expect(night.status, `${night.stdout}\n${night.stderr}`).toBe(1);
    expect(night.stdout).toMatch(/netted: shards array job \d+, merge job \d+\nthin: shards array job \d+, merge job \d+/);
    const here = join(work, "suite-here");
    const local = spawnSync(process.execPath, [bin, "suite", library, "--paths", "200", "--seed", seed, "--out", here], { encoding: "utf8", cwd: repositoryRoot });
    expect(local.status, local.stderr).toBe(1);
    for (const file of ["suite.json", "suite.csv", "index.html"]) expect(bytes(results, file), file).toBe(bytes(here, file));
    for (const name of ["netted", "thin"]) expect(bytes(join(results, name), "summary.json"), name).toBe(bytes(join(here, name), "summary.json"));
  });
});
