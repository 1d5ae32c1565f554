import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { carryLegs, carryMarket, mstressBin } from "../commands/small-carry.test-support.js";
import type { FaultStage } from "./fault-point.js";

// A run interrupted at each stage of writing its result (MSTRESS_FAULT, see fault-point.ts) leaves no directory
// that looks complete unless it exits 0: killed outright (SIGKILL, nothing can clean up), stopped by a signal
// (SIGINT as Ctrl-C sends it: exit 130 and nothing left at all) or failed by a full disk (exit 2, nothing left).
// A later run removes what a killed one left. Also: two runs claiming one --out.

const dir = mkdtempSync(join(tmpdir(), "mstress-faults-"));
const scenario = join(dir, "carry.yaml");
writeFileSync(scenario, `name: carry\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\nlegs:\n${carryLegs(3000)}\nmarket:\n${carryMarket}\n`);

const mstress = (fault: string, ...args: string[]) =>
  spawnSync(process.execPath, [mstressBin, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, MSTRESS_FAULT: fault } });

/** A directory a reader would take for a finished result. */
const looksComplete = (out: string): boolean => existsSync(join(out, "manifest.json")) || existsSync(join(out, "summary.json")) || existsSync(join(out, "report.html"));

// `parquet` is reached on the run's Parquet thread: its error comes back to the run, and a signal arrives there while
// the thread is still at work.
const stages: readonly FaultStage[] = ["simulate", "tables", "parquet", "report", "rename"];

describe("mstress run interrupted at each stage", () => {
  it.each(stages.flatMap((stage) => (["signal", "enospc", "kill"] as const).map((how) => [stage, how] as const)))("%s, %s: no complete-looking directory", (stage, how) => {
    const out = join(dir, `out-${stage}-${how}`);
    const run = mstress(`${stage}:${how}`, "run", scenario, "--paths", "40", "--workers", "1", "--chunk-size", "10", "--out", out);
    expect(run.status).not.toBe(0);
    expect(looksComplete(out)).toBe(false);
    expect(existsSync(out)).toBe(false);
    if (how === "kill") {
      expect(run.signal).toBe("SIGKILL");
      return;
    }
    expect(run.status).toBe(how === "signal" ? 130 : 2);
    expect(run.stderr).toMatch(how === "signal" ? /interrupted: no result was written/ : /no space left on device/);
    if (stage === "parquet" && how === "enospc") expect(run.stderr).toMatch(/--out: cannot write the Parquet tables for ".*out-parquet-enospc" \(no space left on device\); nothing was written/);
    // Nothing of this run is left: no partial directory, no lock.
    expect(readdirSync(dir).filter((name) => name.includes(`out-${stage}-${how}`))).toEqual([]);
  });

  it("a later run removes the partial directories and locks of killed runs, and the same --out can be used again", () => {
    expect(readdirSync(dir).some((name) => /^\.out-.*-kill\.partial-\d+$/.test(name))).toBe(true);
    const again = mstress("", "run", scenario, "--paths", "40", "--workers", "1", "--out", join(dir, "out-rename-kill"));
    expect(again.status).toBe(0);
    expect(looksComplete(join(dir, "out-rename-kill"))).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes(".partial-"))).toEqual([]);
  });

  it("merge interrupted while it writes leaves no merged directory", () => {
    const shards = ["1/2", "2/2"].map((shard, i) => {
      const out = join(dir, `shard-${String(i + 1)}`);
      expect(mstress("", "run", scenario, "--paths", "40", "--workers", "1", "--shard", shard, "--out", out).status).toBe(0);
      return out;
    });
    for (const fault of ["tables:enospc", "report:signal", "rename:kill"]) {
      const out = join(dir, `merged-${fault.replace(":", "-")}`);
      const merge = mstress(fault, "merge", ...shards, "--out", out);
      expect(merge.status).not.toBe(0);
      expect(existsSync(out)).toBe(false);
    }
    expect(mstress("", "merge", ...shards, "--out", join(dir, "merged")).status).toBe(0);
    expect(looksComplete(join(dir, "merged"))).toBe(true);
  });
});

describe("two runs for one --out", () => {
  it("the second claimant exits 2 at once and the first finishes", async () => {
    const out = join(dir, "contested");
    const first = spawn(process.execPath, [mstressBin, "run", scenario, "--paths", "4000", "--workers", "1", "--out", out], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    // Wait for the first run's claim: its lock file beside the target.
    for (let i = 0; i < 200 && !existsSync(join(dir, ".contested.lock")); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const second = mstress("", "run", scenario, "--paths", "10", "--workers", "1", "--out", out);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/--out: ".*contested" is being written by another mstress run \(pid \d+ on /);
    const status = await new Promise<number | null>((resolve) => first.on("close", resolve));
    expect(status).toBe(0);
    expect(looksComplete(out)).toBe(true);
  });
});
