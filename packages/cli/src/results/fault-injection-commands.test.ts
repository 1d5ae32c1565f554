import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { carryLegs, carryMarket, mstressBin, repositoryRoot } from "../commands/small-carry.test-support.js";
import type { FaultStage } from "./fault-point.js";

// fault-injection.test.ts for the other commands that write a results directory: sweep, trend, calibrate and
// backtest. Each is failed by a full disk (exit 2) at each stage it writes through (MSTRESS_FAULT, see
// fault-point.ts), stopped by Ctrl-C (exit 130) while it writes its report, killed outright before its rename, and
// (all but trend) sent a real SIGTERM or SIGINT while it works. Whatever happens, no --out directory appears unless the command exits 0: at
// most the hidden partial of a killed command is left, and the next command into that --out removes it.
// Inputs are small (20 paths a point, four weeks of the shipped BTC history) so each case takes a second or two.

const dir = mkdtempSync(join(tmpdir(), "mstress-command-faults-"));
const scenario = join(dir, "carry.yaml");
writeFileSync(scenario, `name: carry\naccounts:\n  - { name: futures, venue: binance-usdm, deposit: 10000 }\nlegs:\n${carryLegs(3000)}\nmarket:\n${carryMarket}\n`);

/** The last `hours` rows of the shipped hourly BTC history, with its header, as a file of their own. */
function shippedHistory(name: string, hours: number): string {
  const lines = readFileSync(join(repositoryRoot, "scenarios/data/btc-usd-1h-2019-2025.csv"), "utf8").trimEnd().split("\n");
  const path = join(dir, name);
  writeFileSync(path, `${[lines[0] ?? "", ...lines.slice(-hours)].join("\n")}\n`);
  return path;
}
const fourWeeks = shippedHistory("btc-4-weeks.csv", 24 * 28);

const mstress = (fault: string, args: readonly string[]) =>
  spawnSync(process.execPath, [mstressBin, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, MSTRESS_FAULT: fault } });

/** The runs trend reads, made once. */
const runs = [join(dir, "run-1"), join(dir, "run-2")];
beforeAll(() => {
  for (const [i, out] of runs.entries()) {
    const run = mstress("", ["run", scenario, "--paths", "20", "--workers", "1", "--seed", String(i + 1), "--out", out]);
    expect(run.status, run.stderr).toBe(0);
  }
}, 120_000);

interface FaultedCommand {
  /** The command line writing into `out` (a calibrate also writes its fitted scenario copy beside it). */
  readonly args: (out: string) => string[];
  /** The stages the command passes through (fault-point.ts). */
  readonly stages: readonly FaultStage[];
  /** The page a finished result holds. */
  readonly page: string;
}

const commands: Readonly<Record<"sweep" | "trend" | "calibrate" | "backtest", FaultedCommand>> = {
  sweep: { args: (out) => ["sweep", scenario, "--set", "vol=0.4,0.8", "--paths", "20", "--workers", "1", "--chunk-size", "10", "--out", out], stages: ["simulate", "tables", "report", "rename"], page: "report.html" },
  trend: { args: (out) => ["trend", ...runs, "--out", out], stages: ["tables", "report", "rename"], page: "trend.html" },
  calibrate: { args: (out) => ["calibrate", fourWeeks, "--models", "gbm", "--scenario", scenario, "--write", `${out}.yaml`, "--out", out], stages: ["tables", "report", "rename"], page: "calibration.html" },
  backtest: { args: (out) => ["backtest", scenario, "--history", fourWeeks, "--every", "1d", "--paths", "20", "--workers", "1", "--out", out], stages: ["simulate", "tables", "report", "rename"], page: "backtest.html" },
};
const names = Object.keys(commands) as (keyof typeof commands)[];

/** What this command left in the working directory under its --out's name: the directory, its partial, lock, fitted copy. */
const leftBehind = (name: string): string[] => readdirSync(dir).filter((entry) => entry === name || entry.startsWith(`${name}.`) || entry.startsWith(`.${name}.`));

describe("sweep, trend, calibrate and backtest failed or stopped at each stage", () => {
  // Ctrl-C takes the same way out as a full disk (the checkpoint throws, the partial is discarded), so it is
  // injected at one stage of each command; the disk fills up at every stage.
  const cases = names.flatMap((command) => [...commands[command].stages.map((stage) => [command, stage, "enospc"] as const), [command, "report", "signal"] as const]);
  it.each(cases)("%s at %s, %s: nothing written", (command, stage, how) => {
    const name = `${command}-${stage}-${how}`;
    const run = mstress(`${stage}:${how}`, commands[command].args(join(dir, name)));
    expect(run.status, run.stderr).toBe(how === "signal" ? 130 : 2);
    // The message proves the fault was reached, not that the command failed on something else first.
    expect(run.stderr).toMatch(how === "signal" ? /interrupted: no result was written/ : new RegExp(`cannot write ${stage} for .*no space left on device`));
    expect(leftBehind(name)).toEqual([]);
  });
});

describe("sweep, trend, calibrate and backtest killed before the rename", () => {
  it.each(names)("%s: only the hidden partial is left, and the next run of it into that --out removes it", (command) => {
    const name = `${command}-killed`;
    const out = join(dir, name);
    const killed = mstress("rename:kill", commands[command].args(out));
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(out)).toBe(false);
    expect(leftBehind(name).some((entry) => new RegExp(`^\\.${name}\\.partial-\\d+$`).test(entry))).toBe(true);
    expect(leftBehind(name).filter((entry) => !entry.startsWith("."))).toEqual([]);

    const again = mstress("", commands[command].args(out));
    expect(again.status, again.stderr).toBe(0);
    expect(existsSync(join(out, commands[command].page))).toBe(true);
    expect(leftBehind(name).filter((entry) => entry.startsWith("."))).toEqual([]);
  });
});

// A real signal while the command works. trend has none of its own: it reads its runs before it claims --out and
// then writes without yielding, so a signal either comes before the claim (the default action ends it before
// anything exists) or is handled after the rename; the hook above stops it between its writes.
describe("sweep, calibrate and backtest sent a signal while they work", () => {
  const threeMonths = shippedHistory("btc-13-weeks.csv", 24 * 7 * 13);
  const working: readonly (readonly [string, NodeJS.Signals, (out: string) => string[], RegExp])[] = [
    // Two points of 2,000 paths: stopped during the first point's simulation, which checks the signal per chunk.
    ["sweep", "SIGINT", (out) => ["sweep", scenario, "--set", "vol=0.4,0.8", "--paths", "2000", "--workers", "1", "--out", out], /paths\/s/],
    // Fitting is synchronous: the signal is taken after it, before anything is written (as a long fit would be).
    ["calibrate", "SIGTERM", (out) => ["calibrate", threeMonths, "--scenario", scenario, "--write", `${out}.yaml`, "--out", out], /fitting gbm/],
    // The model check's Monte Carlo runs to its end; the signal is taken right after it.
    ["backtest", "SIGTERM", (out) => ["backtest", scenario, "--history", fourWeeks, "--every", "1d", "--paths", "2000", "--workers", "1", "--out", out], /model check: simulating/],
  ];
  it.each(working)("%s stopped by %s: exit 130, nothing written", async (command, signal, args, working) => {
    const name = `${command}-${signal}`;
    const child = spawn(process.execPath, [mstressBin, ...args(join(dir, name))], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    let sent = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!sent && working.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    const status = await new Promise<number | null>((done) => child.on("close", done));
    expect(sent).toBe(true);
    expect(status, stderr).toBe(130);
    expect(stderr).toContain("interrupted: no result was written");
    expect(leftBehind(name)).toEqual([]);
  }, 60_000);
});
